"""A Plan: one configuration resolved for running, built once per distinct configuration.

A :class:`~ecocheck.config.Config` holds what the user wrote (config file + command line); a
:class:`Plan` holds what linting a file needs from it, worked out once: the rules that
``select`` / ``extend-select`` / ``ignore`` leave on, each with its severity and options; the
``per-file-ignores`` patterns with the rule codes each one turns off; whether unused
suppression directives are reported (C699); the section synonyms; the genre profiles; the
limits.  A file then goes load → outline → rules → suppress with its plan
(:mod:`ecocheck.run.pipeline`).  A parallel run builds its plans before the workers fork, so
the workers inherit them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..config import Config
from ..config.discover import matches_patterns
from ..config.schema import KEYS
from ..engine.registry import Registry, build_registry
from ..engine.runner import Selected
from ..errors import ConfigError
from ..limits import Limits
from .suppress import UNUSED_CODE


@lru_cache(maxsize=8)
def _registry(disabled: tuple[str, ...], pack_dirs: tuple[str, ...]) -> Registry:
    return build_registry(disabled, pack_dirs)


def registry(config: Config | None = None) -> Registry:
    """Every rule a configuration can see: built-ins, plugins it does not disable, its extra packs."""
    config = config or Config()
    return _registry(tuple(config.disable_plugins), tuple(config.pack_dirs))


@lru_cache(maxsize=8)
def _section_config(disabled: tuple[str, ...], user: tuple[tuple[str, tuple[str, ...]], ...]):
    from ..outline.roles import default_section_config
    from ..plugin.manager import get_host

    cfg = default_section_config()
    shipped = {role: list(syns) for role, syns in cfg.synonyms.items()}  # a copy each plugin may read
    for _source, _plugin, result in get_host(disabled).call_each("ecocheck_section_synonyms", synonyms=shipped):
        if isinstance(result, dict):
            cfg = cfg.extended({str(role): [str(s) for s in syns] for role, syns in result.items()})
    return cfg.extended({role: list(syns) for role, syns in user} or None)


def section_config(config: Config):
    """Heading synonyms: shipped, then plugins (``ecocheck_section_synonyms``), then the user's config."""
    user = tuple(sorted((role, tuple(syns)) for role, syns in (config.sections or {}).items()))
    return _section_config(tuple(config.disable_plugins), user)


@dataclass
class Plan:
    """One configuration, resolved for linting files (see the module docstring)."""

    config: Config
    registry: Registry
    rules: list[Selected]  # on for every file, in registry order
    per_file: list[tuple[str, frozenset[str]]] = field(default_factory=list)  # pattern -> codes it turns off
    unused: Selected | None = None  # C699, unless a per-file pattern turns it off
    sections: Any = None  # outline.roles.SectionConfig
    genres: dict[str, Any] | None = None  # genre -> GenreProfile; None: a broken profile, met by the rules
    limits: Limits = field(default_factory=Limits)

    @property
    def fail_on(self):
        return self.config.fail_on

    def ignored_for(self, path: str) -> frozenset[str]:
        """The rule codes ``per-file-ignores`` turns off for ``path``."""
        if not self.per_file:
            return frozenset()
        base = os.path.dirname(self.config.path) if self.config.path else os.getcwd()
        out: set[str] = set()
        for pattern, codes in self.per_file:
            if matches_patterns((pattern,), path, base):
                out |= codes
        return frozenset(out)

    def for_path(self, path: str) -> tuple[list[Selected], Selected | None]:
        """The rules to run on ``path`` and the unused-suppression rule (or None)."""
        ignored = self.ignored_for(path)
        if not ignored:
            return self.rules, self.unused
        unused = self.unused if self.unused is not None and self.unused.rule.code not in ignored else None
        return [s for s in self.rules if s.rule.code not in ignored], unused


def build_plan(config: Config | None = None) -> Plan:
    """The :class:`Plan` of ``config`` (the defaults when None)."""
    from ..outline.genres import load_genre_profiles

    config = config or Config()
    reg = registry(config)

    def codes(selectors) -> frozenset[str]:
        return frozenset(r.code for s in selectors for r in reg.matches(s))

    selected = [_selected(rule, config) for rule in reg.select(config.select, config.extend_select, config.ignore)]
    unused = next((s for s in selected if s.rule.code == UNUSED_CODE), None)
    if unused is None and config.report_unused_suppressions:
        candidate = reg.get(UNUSED_CODE)
        if candidate is not None and UNUSED_CODE not in codes(config.ignore):
            unused = _selected(candidate, config)
    try:
        genres = load_genre_profiles(config)
    except ConfigError:
        genres = None  # the rules that read profiles meet the error, as they did before plans
    return Plan(config=config, registry=reg, rules=selected,
                per_file=[(pattern, codes(sels)) for pattern, sels in config.per_file_ignores.items()],
                unused=unused, sections=section_config(config), genres=genres, limits=Limits.of(config.limits))


def _selected(rule, config: Config) -> Selected:
    """A rule with its severity and options under ``config``.

    A rule's ``config_options`` (option -> configuration key) append a top-level list of the
    configuration to one of its options (H301's ``extra_tokens`` takes ``extra-placeholders``)."""
    options = config.options_for(rule)
    for option, key in getattr(rule, "config_options", {}).items():
        values = getattr(config, KEYS[key][0], None)
        if values:
            extra = list(options.get(option) or [])
            extra += [v for v in values if v not in extra]
            options = {**options, option: extra}
    return Selected(rule, config.severity_for(rule), options)
