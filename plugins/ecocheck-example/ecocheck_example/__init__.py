"""An example ecocheck plugin.

It shows both ways to contribute rules:

* ``ecocheck_rules`` returns Python rules (here W901, which needs counting);
* ``ecocheck_rule_packs`` returns YAML packs (here W902, a substitution list);

and how a plugin teaches the outline a house heading (``ecocheck_section_synonyms``).
"""

from __future__ import annotations

from pathlib import Path

import pluggy

hookimpl = pluggy.HookimplMarker("ecocheck")


@hookimpl
def ecocheck_rules():
    from .rules import OverusedQinzi

    return [OverusedQinzi]


@hookimpl
def ecocheck_rule_packs():
    # a pack is any path (or importlib.resources Traversable); a file beside this module will do
    return [Path(__file__).with_name("xinhua.yaml")]


@hookimpl
def ecocheck_section_synonyms():
    # this unit's template titles its measures section "改进提升路径"
    return {"measures": ["改进提升路径"]}
