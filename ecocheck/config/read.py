"""Reading config files: ``ecocheck.yaml`` / ``.ecocheck.yaml`` (YAML) and ``[tool.ecocheck]`` in
``pyproject.toml`` (TOML), with the line of every key so that errors can name it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import E_CONFIG, ConfigError


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


def read_bounded(path: str) -> bytes:
    """A config file's bytes: a regular file (never a FIFO or /dev/zero), at most MAX_CONFIG_BYTES."""
    from ..errors import LoadError
    from ..inputs import read_regular

    try:
        return read_regular(path, MAX_CONFIG_BYTES)
    except LoadError as err:
        raise ConfigError(E_CONFIG, f"无法读取配置文件：{err.message}", path) from None


def read_config_file(path: str) -> RawConfig | None:
    """Parse one config file; ``None`` for a pyproject.toml without ``[tool.ecocheck]``."""
    data = read_bounded(path)
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
