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

    def call_each(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any, Any]]:
        """Call a hook implementation by implementation: ``(source, plugin, result)``.

        ``kwargs`` are the hook's arguments; each implementation receives the ones it names
        (as pluggy calls it).  A raising implementation becomes a PluginFailure instead of
        stopping the run.
        """
        out = []
        hook = getattr(self.pm.hook, hook_name)
        for impl in reversed(hook.get_hookimpls()):
            try:
                res = impl.function(*[kwargs[name] for name in impl.argnames])
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
    """Import and register one plugin; any failure is recorded under its name and the others go on.

    pluggy refuses a hookimpl that names an argument its spec lacks; ``check_pending`` then finds
    hooks no spec knows (a misspelled ``ecocheck_rule``).  Either way the plugin is not loaded at
    all: half a plugin would run some of its rules and silently skip the others.
    """
    try:
        plugin = loader()
    except Exception as exc:  # noqa: BLE001 - report any failure by name
        host.failures.append(PluginFailure(name, f"{type(exc).__name__}: {exc}"))
        return
    try:
        host.pm.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        host.failures.append(PluginFailure(name, _bad_arguments(host.pm, plugin, exc)))
        return
    except Exception as exc:  # noqa: BLE001 - e.g. the same module registered twice under two names
        host.failures.append(PluginFailure(name, f"{type(exc).__name__}: {exc}"))
        return
    try:
        host.pm.check_pending()
    except pluggy.PluginValidationError:
        # every plugin registered before passed the check: the unknown hooks are this one's
        unknown = sorted(hc.name for hc in host.pm.get_hookcallers(plugin) or () if not hc.has_spec())
        host.pm.unregister(plugin)
        host.failures.append(PluginFailure(name, _unknown_hooks(unknown)))
        return
    host.sources[name] = dist if dist != "ecocheck" else "built-in"


def _unknown_hooks(names: list[str]) -> str:
    import difflib

    known = [n for n in dir(hookspecs) if n.startswith(f"{hookspecs.PROJECT}_")]
    parts = []
    for hook in names:
        close = difflib.get_close_matches(hook, known, n=1)
        parts.append(f"{hook}（应为 {close[0]}？）" if close else hook)
    return f"实现了未知的钩子 {'、'.join(parts)}，插件未加载（可用的钩子：{'、'.join(known)}）"


def _bad_arguments(pm: pluggy.PluginManager, plugin: Any, exc: Exception) -> str:
    """Which hook names an argument its spec does not have (pluggy says so in three lines of English)."""
    import inspect

    for attr in dir(plugin):
        spec = getattr(hookspecs, attr, None) if attr.startswith(f"{hookspecs.PROJECT}_") else None
        if spec is None or pm.parse_hookimpl_opts(plugin, attr) is None:
            continue
        allowed = list(inspect.signature(spec).parameters)
        wanted = [n for n, p in inspect.signature(getattr(plugin, attr)).parameters.items()
                  if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        extra = [n for n in wanted if n not in allowed]
        if extra:
            return (f"钩子 {attr} 的参数 {'、'.join(extra)} 不存在（可用参数：{'、'.join(allowed) or '无'}），"
                    "插件未加载")
    return " ".join(str(exc).split()) + "，插件未加载"
