"""Configuration files: discovery, parsing, validation, and per-file resolution.

A configuration is ``ecocheck.yaml`` or ``.ecocheck.yaml`` (a YAML mapping) or
the ``[tool.ecocheck]`` table of ``pyproject.toml``.  For each linted file the
nearest one wins, found by walking up from the file's directory (in one
directory the order above decides; a ``pyproject.toml`` without
``[tool.ecocheck]`` is skipped).  ``--config FILE`` applies one file to every
input; ``--isolated`` ignores all files.  Nearest wins as a whole: values are
not merged across directories.

Keys are kebab-case and mirror the command-line options (see ``KEYS``).  An
unknown key, a value of the wrong type or an unknown rule selector is a
:class:`~ecocheck.errors.ConfigError` naming the file, the line and the key.

Precedence: built-in defaults < the config file < the command line.  On the
command line ``--select`` replaces the file's ``select``, ``extend-select`` and
``ignore`` (as in ruff); ``--ignore`` and ``--extend-select`` add to the
file's lists.  ``Config.origins`` records, per key, where the value came from.

Paths inside a config file (``extra-rule-packs``, ``exclude``,
``per-file-ignores``) are relative to the file's directory; ``exclude`` and
``per-file-ignores`` use gitignore syntax, as do ``.ecocheckignore`` files.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, Callable

from ..errors import E_CONFIG, ConfigError
from ..model import Severity
from .settings import Config

CONFIG_NAMES = ("ecocheck.yaml", ".ecocheck.yaml", "pyproject.toml")
IGNORE_FILE = ".ecocheckignore"
ORIGIN_DEFAULT = "默认"
ORIGIN_CLI = "命令行"
# ---------------------------------------------------------------------------
# parsing


@dataclass
class RawConfig:
    """One parsed config file: values by kebab-case key, and where each key sits."""

    path: str
    values: dict[str, Any]
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)  # key path -> 1-based line
    base_line: int = 1  # the line of the table ([tool.ecocheck]) or 1

    @property
    def base_dir(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def line(self, *keys: str) -> int:
        for n in range(len(keys), 0, -1):
            if keys[:n] in self.lines:
                return self.lines[keys[:n]]
        return self.base_line

    def error(self, message: str, *keys: str) -> ConfigError:
        return ConfigError(E_CONFIG, message, self.path, self.line(*keys))


#: a configuration file or ``.ecocheckignore`` larger than this is refused (read no further)
MAX_CONFIG_BYTES = 4 * 1024 * 1024


def _read_bounded(path: str) -> bytes:
    """A config file's bytes: a regular file (never a FIFO or /dev/zero), at most MAX_CONFIG_BYTES."""
    from ..errors import LoadError
    from ..inputs import read_regular

    try:
        return read_regular(path, MAX_CONFIG_BYTES)
    except LoadError as err:
        raise ConfigError(E_CONFIG, f"无法读取配置文件：{err.message}", path) from None


def read_config_file(path: str) -> RawConfig | None:
    """Parse one config file; ``None`` for a pyproject.toml without ``[tool.ecocheck]``."""
    data = _read_bounded(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(E_CONFIG, "配置文件不是 UTF-8 编码", path) from None
    if os.path.basename(path) == "pyproject.toml" or path.endswith(".toml"):
        return _read_toml(path, text)
    return _read_yaml(path, text)


def _read_yaml(path: str, text: str) -> RawConfig:
    import yaml

    from .. import yamlio

    try:
        yamlio.check_bounds(text)  # depth, recursion, alias expansion: before anything is built
        node = yamlio.compose(text)
        values = yamlio.safe_load(text)
    except yamlio.YamlBoundsError as exc:
        raise ConfigError(E_CONFIG, f"YAML 结构超出上限：{exc.message}", path, exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(E_CONFIG, f"YAML 语法错误：{problem}", path, mark.line + 1 if mark else None) from None
    if values is None:
        return RawConfig(path, {})
    if not isinstance(values, dict):
        raise ConfigError(E_CONFIG, "配置文件顶层必须是映射（键: 值）", path, 1)
    lines: dict[tuple[str, ...], int] = {}
    _yaml_lines(node, (), lines)
    return RawConfig(path, values, lines)


def _yaml_lines(node, prefix: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*prefix, str(key_node.value))
            out.setdefault(key, key_node.start_mark.line + 1)
            _yaml_lines(value_node, key, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            key = (*prefix, f"[{i}]")
            out.setdefault(key, item.start_mark.line + 1)
            _yaml_lines(item, key, out)


def _read_toml(path: str, text: str) -> RawConfig | None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib recurses per nesting level: [[[[…]]]] 100,000 deep
        raise ConfigError(E_CONFIG, "TOML 结构嵌套过深", path) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else (text.count("\n") + 1 if "end of document" in str(exc) else None)
        raise ConfigError(E_CONFIG, f"TOML 语法错误：{str(exc).split(' (at')[0]}", path, line) from None
    is_pyproject = os.path.basename(path) == "pyproject.toml"
    if is_pyproject:
        tool = data.get("tool")
        if not isinstance(tool, dict) or "ecocheck" not in tool:
            return None
        values = tool["ecocheck"]
        table = "tool.ecocheck"
    else:
        values, table = data, ""
    if not isinstance(values, dict):
        raise ConfigError(E_CONFIG, "[tool.ecocheck] 必须是表", path, 1)
    return RawConfig(path, values, _toml_lines(text, table, values), _toml_table_line(text, table))


def _toml_table_line(text: str, table: str) -> int:
    if not table:
        return 1
    rx = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(re.escape(p) for p in table.split(".")) + r"\s*[\].]", re.M)
    m = rx.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _toml_lines(text: str, table: str, values: dict) -> dict[tuple[str, ...], int]:
    """Best effort: the first line after the table header that assigns each key (or opens its sub-table)."""
    out: dict[tuple[str, ...], int] = {}
    start_line = _toml_table_line(text, table)
    lines = text.splitlines()

    def find(key: str, after: int) -> int | None:
        k = re.escape(key)
        rx = re.compile(rf'^\s*(?:\[\s*[^\]]*\.)?(?:"{k}"|\'{k}\'|{k})\s*(?:=|\])')
        for i in range(max(after - 1, 0), len(lines)):
            if rx.search(lines[i]):
                return i + 1
        return None

    def walk(obj: dict, prefix: tuple[str, ...], after: int) -> None:
        for key, value in obj.items():
            line = find(str(key), after)
            if line is None:
                continue
            out[(*prefix, str(key))] = line
            if isinstance(value, dict):
                walk(value, (*prefix, str(key)), line)

    walk(values, (), start_line)
    return out


# ---------------------------------------------------------------------------
# validation: kebab-case key -> (Config field, converter)


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


# ---------------------------------------------------------------------------
# command line


@dataclass
class Overrides:
    """Values given on the command line (``None`` / empty: not given)."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    fail_on: Severity | None = None
    genre: str | None = None

    def apply(self, config: Config) -> None:
        if self.select is not None:
            config.select = list(self.select)
            config.extend_select = list(self.extend_select)
            config.ignore = list(self.ignore)
            for key in ("select", "extend-select", "ignore"):
                config.origins[key] = ORIGIN_CLI
        else:
            if self.extend_select:
                config.extend_select = config.extend_select + list(self.extend_select)
                config.origins["extend-select"] = _plus(config.origins.get("extend-select"))
            if self.ignore:
                config.ignore = config.ignore + list(self.ignore)
                config.origins["ignore"] = _plus(config.origins.get("ignore"))
        if self.fail_on is not None:
            config.fail_on = self.fail_on
            config.origins["fail-on"] = ORIGIN_CLI
        if self.genre:
            config.genre = self.genre
            config.origins["genre"] = ORIGIN_CLI


def _plus(origin: str | None) -> str:
    if not origin or origin == ORIGIN_DEFAULT:
        return ORIGIN_CLI
    return f"{origin} + {ORIGIN_CLI}"


# ---------------------------------------------------------------------------
# discovery and resolution


def find_config_file(start: str, cache: dict[str, str | None] | None = None) -> str | None:
    """The nearest config file at or above ``start`` (a file or a directory).

    ``cache`` (directory -> result) saves repeated look-ups within one run.
    """
    d = os.path.abspath(start)
    if not os.path.isdir(d):
        d = os.path.dirname(d)
    cache = {} if cache is None else cache
    walked = []
    found = None
    while True:
        if d in cache:
            found = cache[d]
            break
        walked.append(d)
        found = _config_in(d)
        if found is not None:
            break
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    for w in walked:
        cache[w] = found
    return found


def _config_in(d: str) -> str | None:
    for name in CONFIG_NAMES:
        candidate = os.path.join(d, name)
        if os.path.isfile(candidate):
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(path: str) -> bool:
    try:
        text = _read_bounded(path).decode("utf-8-sig", errors="replace")
    except ConfigError:
        return True  # read it as a config: the error is reported there
    return re.search(r"^\s*\[\s*tool\s*\.\s*ecocheck\s*[\].]", text, re.M) is not None


def finalize(config: Config) -> Config:
    """The origin of every key the file and the command line left at its default.

    (A rule that takes a top-level key, as H301's ``extra_tokens`` takes ``extra-placeholders``,
    says so itself: ``Rule.config_options``, applied when the plan is built.)"""
    for key in KEYS:
        config.origins.setdefault(key, ORIGIN_DEFAULT)
    return config


def validate_rules(config: Config, raw: RawConfig | None, registry, cli: Overrides | None = None) -> None:
    """Every rule selector and rule key in the config must name a known rule."""
    from_cli = set((cli.select or []) + cli.ignore + cli.extend_select) if cli else set()

    def fail(message: str, selector: str, *keys: str) -> None:
        if raw is not None and selector not in from_cli:
            raise raw.error(message, *keys)
        raise ConfigError(E_CONFIG, message)

    for key in ("select", "extend-select", "ignore"):
        for i, sel in enumerate(getattr(config, KEYS[key][0]) or []):
            if not registry.matches(sel):
                fail(f"{key} 中未知的规则选择 {sel!r}（代码、前缀或名称；用 ecocheck rules 查看全部规则）",
                     sel, key, f"[{i}]")
    for pattern, codes in config.per_file_ignores.items():
        for sel in codes:
            if not registry.matches(sel):
                fail(f"per-file-ignores 中未知的规则选择 {sel!r}", sel, "per-file-ignores", pattern)
    for rule in config.severity:
        if registry.get(rule) is None:
            fail(f"severity 中未知的规则 {rule!r}（写规则代码或名称）", rule, "severity", rule)
    for rule in config.rule_options:
        found = registry.get(rule)
        if found is None:
            fail(f"rules 中未知的规则 {rule!r}（写规则代码或名称）", rule, "rules", rule)
        validate_options = getattr(found, "validate_options", None)  # pack rules: extra regexes compile?
        if validate_options is not None:
            try:
                validate_options(config.rule_options[rule], config)
            except ConfigError as err:
                fail(err.message, rule, "rules", rule)


class Resolver:
    """Per-file configuration: nearest config file (or ``config_file``) + command-line overrides.

    ``registry_factory(config) -> Registry`` validates rule selectors; without it
    selectors are not checked here.
    """

    def __init__(self, config_file: str | None = None, overrides: Overrides | None = None,
                 registry_factory: Callable[[Config], Any] | None = None, isolated: bool = False,
                 base: Config | None = None, policy: bool = False):
        if policy and not config_file:
            raise ConfigError(E_CONFIG, "策略模式需要一个策略文件（--policy FILE）")
        self.policy = policy
        self.config_file = os.path.abspath(config_file) if config_file else None
        self.overrides = overrides or Overrides()
        self.registry_factory = registry_factory
        self.isolated = isolated
        self.base = base
        self._by_file: dict[str | None, Config] = {}
        self._raw: dict[str, RawConfig | None] = {}
        self._found: dict[str, str | None] = {}
        if self.config_file is not None and not os.path.isfile(self.config_file):
            raise ConfigError(E_CONFIG, "配置文件不存在", config_file)

    @property
    def pinned(self) -> bool:
        """``--isolated``, ``--config FILE`` or ``--policy FILE``: no configuration from the tree, and
        no ``.ecocheckignore`` either (an ignore file is configuration the tree brings)."""
        return self.isolated or self.config_file is not None

    def config_path_for(self, path: str) -> str | None:
        if self.isolated:
            return None
        if self.config_file is not None:
            return self.config_file
        return find_config_file(path, self._found)

    def raw(self, cfg_path: str) -> RawConfig | None:
        if cfg_path not in self._raw:
            raw = read_config_file(cfg_path)
            if raw is None and cfg_path == self.config_file:
                raise ConfigError(E_CONFIG, "pyproject.toml 中没有 [tool.ecocheck] 表", cfg_path)
            self._raw[cfg_path] = raw
        return self._raw[cfg_path]

    def for_path(self, path: str) -> Config:
        return self.for_config_file(self.config_path_for(path))

    def for_config_file(self, cfg_path: str | None) -> Config:
        if cfg_path in self._by_file:
            return self._by_file[cfg_path]
        config = _copy(self.base) if self.base is not None else Config()
        raw = self.raw(cfg_path) if cfg_path else None
        if raw is not None:
            apply_file(config, raw)
        self.overrides.apply(config)
        if self.policy:
            config.policy = True
            config.origins["policy"] = self.config_file or ORIGIN_CLI
        finalize(config)
        if self.registry_factory is not None:
            validate_rules(config, raw, self.registry_factory(config), self.overrides)
        self._by_file[cfg_path] = config
        return config

    def configs(self) -> list[Config]:
        """Every configuration resolved so far."""
        return list(self._by_file.values())


def _copy(config: Config) -> Config:
    import copy

    return copy.deepcopy(config)


def describe(config: Config) -> list[tuple[str, Any, str]]:
    """``(key, value, origin)`` for every key, in ``KEYS`` order, values as the user writes them."""
    out = []
    for key, (attr, _conv) in KEYS.items():
        value = getattr(config, attr)
        if isinstance(value, Severity):
            value = value.label
        elif isinstance(value, dict):
            value = {k: (v.label if isinstance(v, Severity) else v) for k, v in value.items()}
        out.append((key, value, config.origins.get(key, ORIGIN_DEFAULT)))
    return out


# ---------------------------------------------------------------------------
# path matching (gitignore syntax)


@lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _relative(path: str, base: str, is_dir: bool = False) -> str | None:
    rel = os.path.relpath(os.path.abspath(path), base)
    if rel == "." or rel.startswith(".." + os.sep) or rel == "..":
        return None
    rel = rel.replace(os.sep, "/")
    return rel + "/" if is_dir else rel


def matches_patterns(patterns: list[str] | tuple[str, ...], path: str, base: str, is_dir: bool = False) -> bool:
    rel = _relative(path, base, is_dir)
    if rel is None or not patterns:
        return False
    return _spec(tuple(patterns)).match_file(rel)


def genre_for(config: Config, path: str | None) -> tuple[str | None, str]:
    """The genre set for ``path`` and where: ``--genre`` or ``genre: X``, else the first pattern of
    ``genre: {pattern: X}`` matching it; ``(None, "")`` leaves the genre to detection."""
    if config.genre:
        return config.genre, config.origins.get("genre", "")
    if config.genre_paths and path:
        base = os.path.dirname(config.path) if config.path else os.getcwd()
        for pattern, genre in config.genre_paths.items():
            if matches_patterns((pattern,), path, base):
                return genre, f"{config.origins.get('genre', '')}（{pattern}）"
    return None, ""


def is_excluded(config: Config, path: str, is_dir: bool = False) -> bool:
    if not config.exclude:
        return False
    base = os.path.dirname(config.path) if config.path else os.getcwd()
    return matches_patterns(config.exclude, path, base, is_dir)


#: What a repository says about itself (README.md, CHANGELOG.md, LICENSE.txt…), by the file
#: name's part before its first dot, any case: not reports, and report rules on them are noise (a
#: README quoting the placeholders it warns about, "missing" 基本情况 sections).  Ignored unless an
#: ``.ecocheckignore`` says otherwise (``!README.md``).
REPOSITORY_DOCS = frozenset({"readme", "changelog", "changes", "history", "news", "contributing", "license",
                             "licence", "copying", "notice", "authors", "code_of_conduct", "security"})


def is_repository_doc(path: str) -> bool:
    """True for README.md, README.zh-CN.md, CHANGELOG.md, LICENSE.txt and the like."""
    return os.path.basename(path).split(".", 1)[0].lower() in REPOSITORY_DOCS


class IgnoreFiles:
    """``.ecocheckignore`` files (gitignore syntax) in a directory and its ancestors.

    Ancestors are searched up to the first directory holding ``.git`` (the
    repository root) or the filesystem root.  A deeper file overrides a
    shallower one, as with ``.gitignore``.  Where none decides, the repository's
    own documents (:data:`REPOSITORY_DOCS`) are ignored.
    """

    def __init__(self, honoured: bool = True):
        self._cache: dict[str, list[tuple[str, Any]]] = {}
        self.honoured = honoured
        #: ignore files found but not applied (``honoured=False``: a pinned configuration)
        self.not_honoured: list[str] = []

    def _chain(self, d: str) -> list[tuple[str, Any]]:
        if d in self._cache:
            return self._cache[d]
        chain: list[tuple[str, Any]] = []
        parent = os.path.dirname(d)
        if parent != d and not os.path.isdir(os.path.join(d, ".git")):
            chain = list(self._chain(parent))
        ignore_path = os.path.join(d, IGNORE_FILE)
        if not self.honoured:
            if os.path.lexists(ignore_path):
                self.not_honoured.append(ignore_path)
        elif os.path.isfile(ignore_path):
            try:
                lines = _read_bounded(ignore_path).decode("utf-8-sig").splitlines()
            except UnicodeDecodeError as exc:
                raise ConfigError(E_CONFIG, f"无法读取 {IGNORE_FILE}：{exc}", ignore_path) from None
            chain.append((d, _spec(tuple(lines))))
        self._cache[d] = chain
        return chain

    def ignored(self, path: str, is_dir: bool = False) -> bool:
        path = os.path.abspath(path)
        for base, spec in reversed(self._chain(os.path.dirname(path))):
            rel = _relative(path, base, is_dir)
            if rel is None:
                continue
            res = spec.check_file(rel)
            if res.include is not None:
                return bool(res.include)
        return not is_dir and is_repository_doc(path)
