"""The built-in plugin: Python rules, registered through the ``ecocheck`` entry point.

Rule modules are imported inside the hook, so start-up stays fast.
"""

from __future__ import annotations

import importlib

from ..plugin.hookspecs import hookimpl

#: one module per family; each exposes RULES (a list of Rule classes)
RULE_MODULES = (
    "ecocheck.rules.errors",
    "ecocheck.rules.suppression",
    "ecocheck.rules.typography",
    "ecocheck.rules.wording",
    "ecocheck.rules.consistency",
    "ecocheck.rules.leftovers",
    "ecocheck.rules.structure",
    "ecocheck.rules.pairing",
)


@hookimpl
def ecocheck_rules():
    rules = []
    for name in RULE_MODULES:
        rules.extend(importlib.import_module(name).RULES)
    return rules
