"""An example ecocheck plugin.

It shows both ways to contribute rules:

* ``ecocheck_rules`` returns Python rules (here W901, which needs counting);
* ``ecocheck_rule_packs`` returns YAML packs (here W902, a substitution list).
"""

from __future__ import annotations

from importlib.resources import files

import pluggy

hookimpl = pluggy.HookimplMarker("ecocheck")


@hookimpl
def ecocheck_rules():
    from .rules import OverusedQinzi

    return [OverusedQinzi]


@hookimpl
def ecocheck_rule_packs():
    return [files("ecocheck_example").joinpath("xinhua.yaml")]
