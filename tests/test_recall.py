"""Recall on edited text (issue 16): typical template leftovers put into the clean documents of the
real-document regression set, one at a time, are each found (tools/inject_leftovers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from inject_leftovers import INJECTORS, injections, measure

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "fixtures" / "realworld"
SPECS = yaml.safe_load((HERE / "expectations.yaml").read_text(encoding="utf-8"))["fixtures"]
CLEAN = sorted(name for name, spec in SPECS.items() if spec.get("clean"))


@pytest.mark.parametrize("name", CLEAN)
def test_every_injected_leftover_is_found(name):
    rows = measure([HERE / name])
    assert rows, f"no injection fits {name}"
    missed = [f"{r['injection']} ({r['code']}, line {r['line']})" for r in rows if not r["found"]]
    assert missed == []


def test_every_kind_of_leftover_is_tried():
    """Each injector fits some clean document, and the missing measure is tried too: the set measures
    every kind, not only the easy ones."""
    kinds = {inj.name for name in CLEAN for inj in injections(HERE / name)}
    assert len(kinds) >= len(INJECTORS) + 1, kinds
    assert {"**", "XX", "20xx年", "X%", "占%", "（二）→（四）", "unpaired “", "half-width comma",
            "missing 整改措施 item"} <= kinds
