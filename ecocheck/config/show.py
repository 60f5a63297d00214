"""The effective configuration as a config file: what ``ecocheck config`` prints.

:func:`user_values` gives every key of :data:`~ecocheck.config.schema.KEYS` with its value as a
user writes it (severities as labels, option and limit names in kebab-case, paths relative to the
config file's directory) and where it came from.  :func:`render` turns them into

- TOML: a ``[tool.ecocheck]`` table (a bare table for a ``.toml`` file other than ``pyproject.toml``)
  that ``tomllib`` reads back to the same values;
- YAML: an ``ecocheck.yaml`` that ``yaml.safe_load`` reads back to the same values;
- JSON: ``{"path": …, "settings": {key: {"value": …, "origin": …}}}`` for scripts.

In TOML and YAML each value's origin (``默认``, ``FILE:LINE`` or ``命令行``) is a comment.  A key
with no value (``select``: the default rules, ``genre``: detected) is a comment line, since neither
format has a "not set" that the reader accepts.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import re
from typing import Any

from ..model import Severity
from .schema import KEYS, ORIGIN_DEFAULT
from .settings import Config

FORMATS = ("toml", "yaml", "json")

#: what an unset key means, for its comment line
UNSET = {"select": "默认启用的规则", "genre": "自动识别文种", "baseline": "不使用基线"}


def _relative_path(path: str, base: str) -> str:
    """``path`` relative to ``base`` when it lies inside it (as a user writes it), else absolute."""
    rel = os.path.relpath(path, base)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return path
    return rel.replace(os.sep, "/") + ("/" if os.path.isdir(path) else "")


def _plain(value: Any) -> Any:
    if isinstance(value, Severity):
        return value.label
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _kebab(mapping: dict) -> dict:
    return {str(k).replace("_", "-"): v for k, v in mapping.items()}


def user_values(config: Config) -> list[tuple[str, Any, str]]:
    """``(key, value, origin)`` for every key in ``KEYS`` order; ``value`` is None when unset."""
    base = os.path.dirname(os.path.abspath(config.path)) if config.path else os.getcwd()
    out = []
    for key, (attr, _conv) in KEYS.items():
        value = getattr(config, attr)
        if key == "genre":
            value = config.genre or (dict(config.genre_paths) if config.genre_paths else None)
        elif key == "rules":
            value = {rule: _kebab(options) for rule, options in value.items()}
        elif key == "limits":
            value = _kebab(value)
        elif key == "extra-rule-packs":
            value = [_relative_path(d, base) for d in value]
        elif key == "baseline" and value:
            value = _relative_path(value, base)
        out.append((key, _plain(value), config.origins.get(key, ORIGIN_DEFAULT)))
    return out


def source_format(config: Config) -> str:
    """``toml`` for a configuration read from a ``.toml`` file (``pyproject.toml``), else ``yaml``."""
    return "toml" if config.path and config.path.endswith(".toml") else "yaml"


def render(config: Config, fmt: str | None = None) -> str:
    """The configuration as ``fmt`` (``toml``, ``yaml``, ``json``; None: the source's format).
    ValueError when TOML cannot hold a value (a ``null`` inside a YAML genre profile)."""
    fmt = fmt or source_format(config)
    rows = user_values(config)
    if fmt == "json":
        return json.dumps({"path": config.path, "settings": {k: {"value": v, "origin": o} for k, v, o in rows}},
                          ensure_ascii=False, indent=2, default=str) + "\n"
    where = config.path or "无（使用默认值）"
    head = [f"# ecocheck 的有效配置；配置文件：{where}",
            "# 每个值后面的注释是它的来源：默认、配置文件:行 或 命令行"]
    if fmt == "toml":
        pyproject = not config.path or not config.path.endswith(".toml") \
            or os.path.basename(config.path) == "pyproject.toml"
        return "\n".join(head + _toml(rows, "tool.ecocheck" if pyproject else "")) + "\n"
    if fmt == "yaml":
        return "\n".join(head + _yaml(rows)) + "\n"
    raise ValueError(f"未知的格式 {fmt!r}")


# -- TOML ---------------------------------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_str(text: str) -> str:
    # a JSON string is a TOML basic string, but for DEL, which TOML wants escaped
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_str(key)


def _toml_value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v, where) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_toml_key(str(k))} = {_toml_value(v, f'{where}.{k}')}"
                                for k, v in value.items()) + " }"
    raise ValueError(f"TOML 无法表示 {where} 的值 {value!r}（改用 --format yaml）")


def _unset(key: str, origin: str) -> str:
    return f"# {key}：未设置（{UNSET.get(key, '默认')}）  # {origin}"


def _toml(rows: list[tuple[str, Any, str]], table: str) -> list[str]:
    """Keys with plain values first (under the table's header), then one sub-table per mapping."""
    lines = [f"[{table}]"] if table else []
    tables = []
    for key, value, origin in rows:
        if value is None:
            lines.append(_unset(key, origin))
        elif isinstance(value, dict):
            tables.append((key, value, origin))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value, key)}  # {origin}")
    for key, value, origin in tables:
        name = f"{table}.{_toml_key(key)}" if table else _toml_key(key)
        lines.append("")
        lines.append(f"[{name}]  # {origin}")
        lines.extend(f"{_toml_key(str(k))} = {_toml_value(v, f'{key}.{k}')}" for k, v in value.items())
    return lines


# -- YAML ---------------------------------------------------------------------------------------

def _yaml(rows: list[tuple[str, Any, str]]) -> list[str]:
    import yaml

    lines = []
    for key, value, origin in rows:
        if value is None:
            lines.append(_unset(key, origin))
            continue
        # a collection of scalars on one line ([H, S]), but the key's own mapping always a block
        # (a lone scalar would make it {key: value}); long strings never folded
        flow = None if isinstance(value, (list, dict)) else False
        text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, default_flow_style=flow,
                              width=float("inf")).rstrip("\n")
        first, *rest = text.split("\n")
        if not rest or first == f"{key}:":
            lines.append(f"{first}  # {origin}")  # a comment after a scalar or a block's key
            lines.extend(rest)
        else:  # a quoted string over several lines: the comment goes above it
            lines.append(f"# {key}  # {origin}")
            lines.append(text)
    return lines
