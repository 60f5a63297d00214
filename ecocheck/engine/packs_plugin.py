"""Built-in plugin that contributes the YAML packs shipped in ``ecocheck.packs``."""

from __future__ import annotations

from importlib.resources import files

from ..plugin.hookspecs import hookimpl


@hookimpl
def ecocheck_rule_packs():
    root = files("ecocheck.packs")
    return sorted((p for p in root.iterdir() if p.name.endswith(".yaml") and not p.name.startswith("_")),
                  key=lambda p: p.name)
