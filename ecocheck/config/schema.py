"""The configuration's keys: kebab-case key -> (``Config`` field, converter that checks the value).

An unknown key, a value of the wrong type or an unknown role is a :class:`~ecocheck.errors.ConfigError`
naming the file, the line and the key.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import fields
from typing import Any, Callable

from ..model import Severity
from .read import RawConfig
from .settings import Config


ORIGIN_DEFAULT = "默认"

ORIGIN_CLI = "命令行"


def _strings(raw: RawConfig, value: Any, *keys: str, allow_str: bool = True) -> list[str]:
    if isinstance(value, str) and allow_str:
        value = [v for v in re.split(r"[,，\s]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                               for v in value):
        raise raw.error(f"{'.'.join(keys)} 必须是字符串列表", *keys)
    return [str(v).strip() for v in value if str(v).strip()]


def _mapping(raw: RawConfig, value: Any, *keys: str) -> dict:
    if not isinstance(value, dict):
        raise raw.error(f"{'.'.join(keys)} 必须是映射（键: 值）", *keys)
    return value


def _severity_value(raw: RawConfig, value: Any, *keys: str) -> Severity:
    try:
        if not isinstance(value, str):
            raise ValueError
        return Severity.parse(value)
    except ValueError:
        raise raw.error(f"{'.'.join(keys)} 取值 {value!r} 无效（error / warning / info）", *keys) from None


def _conv_selectors(raw, value, key):
    return _strings(raw, value, key)


def _conv_str_list(raw, value, key):
    return _strings(raw, value, key)


def _conv_per_file(raw, value, key):
    out: dict[str, list[str]] = {}
    for pattern, codes in _mapping(raw, value, key).items():
        out[str(pattern)] = _strings(raw, codes, key, str(pattern))
    return out


def _conv_severity(raw, value, key):
    return {str(k): _severity_value(raw, v, key, str(k)) for k, v in _mapping(raw, value, key).items()}


def _conv_fail_on(raw, value, key):
    return _severity_value(raw, value, key)


def _conv_str(raw, value, key):
    if not isinstance(value, str) or not value.strip():
        raise raw.error(f"{key} 必须是非空字符串", key)
    return value.strip()


def _conv_genre(raw, value, key):
    """``genre: speech`` (every file) or ``genre: {"讲话/**": speech, …}`` (gitignore-style patterns
    relative to the config file, first match wins); stored as Config.genre or Config.genre_paths."""
    if isinstance(value, dict):
        return {str(pattern): _conv_str(raw, g, key) for pattern, g in _mapping(raw, value, key).items()}
    return _conv_str(raw, value, key)


def _conv_genres(raw, value, key):
    out = {}
    for name, profile in _mapping(raw, value, key).items():
        out[str(name)] = _mapping(raw, profile, key, str(name))
    return out


def _conv_sections(raw, value, key):
    from ..outline.roles import ROLES

    out: dict[str, list[str]] = {}
    for role, syns in _mapping(raw, value, key).items():
        if role not in ROLES:
            raise raw.error(f"sections 中未知的角色 {role!r}（可用：{'、'.join(ROLES)}）", key, str(role))
        out[str(role)] = _strings(raw, syns, key, str(role), allow_str=False)
    return out


def _conv_rules(raw, value, key):
    out: dict[str, dict[str, Any]] = {}
    for rule, options in _mapping(raw, value, key).items():
        opts = _mapping(raw, options, key, str(rule))
        out[str(rule)] = {str(k).replace("-", "_"): v for k, v in opts.items()}
    return out


def _conv_dirs(raw, value, key):
    out = []
    for i, d in enumerate(_strings(raw, value, key, allow_str=False)):
        full = d if os.path.isabs(d) else os.path.normpath(os.path.join(raw.base_dir, d))
        if not os.path.isdir(full):
            raise raw.error(f"{key} 中的目录不存在：{d}", key, f"[{i}]")
        out.append(full)
    return out


#: the largest value each limit accepts: a limit is there to hold, not to be switched off with
#: 10**9 (a rule may run for at most an hour on one document; no part or file beyond 4 GiB)
LIMIT_MAXIMA = {"rule_seconds": 3600, "max_memory_mib": 1 << 20, "max_part_bytes": 1 << 32, "max_total_bytes": 1 << 32,
                "max_text_bytes": 1 << 32, "max_entries": 1_000_000, "max_ratio": 100_000,
                "ratio_floor_bytes": 1 << 32}


def _conv_limits(raw, value, key):
    from ..limits import Limits

    known = [f.name for f in fields(Limits)]
    out: dict[str, int] = {}
    for name, v in _mapping(raw, value, key).items():
        attr = str(name).replace("-", "_")
        if attr not in known:
            raise raw.error(f"limits 中未知的键 {name!r}（可用：{', '.join(k.replace('_', '-') for k in known)}）",
                            key, str(name))
        if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
            raise raw.error(f"limits.{name} 必须是正整数", key, str(name))
        top = LIMIT_MAXIMA.get(attr)
        if top is not None and v > top:
            raise raw.error(f"limits.{name} 不能超过 {top}", key, str(name))
        out[attr] = v
    return out


def _conv_path(raw, value, key):
    """A file path, relative to the config file's directory (it need not exist yet)."""
    path = _conv_str(raw, value, key)
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(raw.base_dir, path))


def _conv_bool(raw, value, key):
    if not isinstance(value, bool):
        raise raw.error(f"{key} 必须是 true 或 false", key)
    return value


KEYS: dict[str, tuple[str, Callable]] = {
    "select": ("select", _conv_selectors),
    "ignore": ("ignore", _conv_selectors),
    "extend-select": ("extend_select", _conv_selectors),
    "per-file-ignores": ("per_file_ignores", _conv_per_file),
    "severity": ("severity", _conv_severity),
    "fail-on": ("fail_on", _conv_fail_on),
    "genre": ("genre", _conv_genre),
    "genres": ("genres", _conv_genres),
    "sections": ("sections", _conv_sections),
    "rules": ("rule_options", _conv_rules),
    "extra-rule-packs": ("pack_dirs", _conv_dirs),
    "extra-placeholders": ("extra_placeholders", _conv_str_list),
    "disable-plugins": ("disable_plugins", _conv_str_list),
    "exclude": ("exclude", _conv_str_list),
    "limits": ("limits", _conv_limits),
    "report-unused-suppressions": ("report_unused_suppressions", _conv_bool),
    "baseline": ("baseline", _conv_path),
}


def apply_file(config: Config, raw: RawConfig) -> None:
    """Validate ``raw`` and copy its values into ``config`` (recording origins)."""
    for key, value in raw.values.items():
        if key not in KEYS:
            hint = difflib.get_close_matches(str(key), list(KEYS), n=1)
            also = f"，是否想写 {hint[0]}？" if hint else f"（可用：{', '.join(KEYS)}）"
            raise raw.error(f"未知的配置键 {key!r}{also}", str(key))
        attr, conv = KEYS[key]
        converted = conv(raw, value, key)
        if attr == "genre" and isinstance(converted, dict):
            attr = "genre_paths"
        setattr(config, attr, converted)
        config.origins[key] = f"{raw.path}:{raw.line(key)}"
    config.path = raw.path
