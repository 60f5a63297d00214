"""Built-in plugin that contributes the YAML packs shipped in ``ecocheck.packs``."""

from __future__ import annotations

from ..plugin.hookspecs import hookimpl
from ..resources import package_dir


@hookimpl
def ecocheck_rule_packs():
    root = package_dir("ecocheck.packs")
    return sorted((p for p in root.iterdir() if p.name.endswith(".yaml") and not p.name.startswith("_")),
                  key=lambda p: p.name)
