"""Every fixture's findings (built-in rules) equal the golden data in tests/golden/fixtures/.

Regenerate with `python tools/golden.py --write` and review the diff.
"""

from pathlib import Path

import pytest
import yaml
from golden import GOLDEN, cases, findings_of

TMP = Path(__import__("tempfile").mkdtemp(prefix="ecocheck-golden-"))
CASES = cases(TMP)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_matches_golden(name):
    expected = yaml.safe_load((GOLDEN / f"{name}.yaml").read_text(encoding="utf-8"))
    assert findings_of(CASES[name]) == expected


def test_every_fixture_has_a_golden():
    assert sorted(p.name[:-5] for p in GOLDEN.glob("*.yaml")) == sorted(CASES)
