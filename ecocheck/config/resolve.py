"""Per-file resolution: the nearest config file, read and checked, with the command line over it.

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

Reading is :mod:`.read`, the keys and their checks :mod:`.schema`, finding files :mod:`.discover`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import E_CONFIG, ConfigError
from ..model import Severity
from .discover import find_config_file, matches_patterns
from .read import RawConfig, read_config_file
from .schema import KEYS, ORIGIN_CLI, ORIGIN_DEFAULT, apply_file
from .settings import Config


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
