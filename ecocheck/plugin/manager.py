"""The plugin manager: loads entry points one by one, loudly reporting failures."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pluggy

from . import hookspecs
from .discovery import entry_points

GROUP = "ecocheck"
#: modules that make up the built-in plugin (also registered when the package
#: metadata is missing, e.g. when running from a source checkout)
BUILTIN = {"builtin": "ecocheck.rules.builtin", "packs": "ecocheck.engine.packs_plugin"}


@dataclass
class PluginFailure:
    """A plugin that could not be loaded, and why."""

    name: str
    error: str


@dataclass
class PluginHost:
    """The pluggy manager with every plugin registered, the failures, and who shipped each plugin."""

    pm: pluggy.PluginManager
    failures: list[PluginFailure] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # plugin name -> distribution name

    def source_of(self, plugin: Any) -> str:
        name = self.pm.get_name(plugin) or "?"
        if name in BUILTIN:
            return "built-in"
        return self.sources.get(name, name)

    def call_each(self, hook_name: str) -> list[tuple[str, Any, Any]]:
        """Call a hook implementation by implementation: ``(source, plugin, result)``.

        A raising implementation becomes a PluginFailure instead of stopping the run.
        """
        out = []
        hook = getattr(self.pm.hook, hook_name)
        for impl in reversed(hook.get_hookimpls()):
            try:
                res = impl.function()
            except Exception as exc:  # noqa: BLE001 - a plugin may raise anything
                self.failures.append(PluginFailure(self.source_of(impl.plugin), f"{hook_name}: {exc!r}"))
                continue
            if res is not None:
                out.append((self.source_of(impl.plugin), impl.plugin, res))
        return out


def _make_pm() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


@lru_cache(maxsize=4)
def get_host(disabled: tuple[str, ...] = ()) -> PluginHost:
    """Load every plugin of the ``ecocheck`` entry-point group except ``disabled``."""
    pm = _make_pm()
    host = PluginHost(pm)
    seen = set()
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.name not in BUILTIN, e.name)):
        if ep.name in seen:
            continue
        seen.add(ep.name)
        dist = ep.dist or ep.name
        if ep.name in disabled or dist in disabled:
            continue
        _register(host, ep.name, ep.load, dist)
    for name, module in BUILTIN.items():
        if name not in seen:
            _register(host, name, lambda m=module: importlib.import_module(m), "ecocheck")
    return host


def _register(host: PluginHost, name: str, loader: Callable[[], Any], dist: str) -> None:
    try:
        plugin = loader()
        host.pm.register(plugin, name=name)
        host.sources[name] = dist if dist != "ecocheck" else "built-in"
    except Exception as exc:  # noqa: BLE001 - report any failure by name
        host.failures.append(PluginFailure(name, f"{type(exc).__name__}: {exc}"))
