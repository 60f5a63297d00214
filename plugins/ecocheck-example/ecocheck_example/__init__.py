"""An example ecocheck plugin.

It shows both ways to contribute rules:

* ``ecocheck_rules`` returns Python rules (here W901, which needs counting);
* ``ecocheck_rule_packs`` returns YAML packs (here W902, a substitution list);

and how a plugin adds a genre built on a shipped one (``ecocheck_genre_profiles``, which receives
the shipped profiles).  Installing it changes no one's findings: both rules are opt-in
(``--extend-select W901,W902``) and the genre is used only when a configuration names it.
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
def ecocheck_genre_profiles(profiles):
    # this unit's annual report: the shipped report, with the analysis of causes required too
    report = profiles["report"]
    return {"unit-report": {**report, "label": "本单位年度报告", "required": [*report["required"], "causes"]}}
