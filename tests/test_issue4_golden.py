"""Golden findings of the issue-4 rules (leftovers H302-H308, typography T4xx, wording W501-W505,
consistency C601-C604), kept as data in tests/golden/issue4/golden.yaml.

For every listed file the rules must produce exactly the listed findings (code, line, column, text, fix):
a lost defect and a new false positive both fail.  ``shared:seeds/…`` files are the real drafts in
../shared/seeds (skipped when that folder is absent).  tests/golden/issue4/fine_text.txt is a report full
of text that looks suspicious but is right (reduplications, word-boundary doubles, proper names, decimals,
times, English abbreviations, a deliberate 某, 必需品, 既…又…): it must stay silent.

To regenerate after a deliberate change, lint each file with ``--select`` set to the golden's ``select``
and read every finding that changed before writing it down.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ecocheck import api
from ecocheck.config import Config

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = yaml.safe_load((ROOT / "tests" / "golden" / "issue4" / "golden.yaml").read_text(encoding="utf-8"))
SEEDS = ROOT.parent / "shared" / "seeds"
MY_FAMILIES = GOLDEN["select"]


def _path(name: str) -> Path:
    if name.startswith("shared:"):
        return ROOT.parent / "shared" / name[len("shared:"):]
    return ROOT / name


def _findings(path: Path) -> list[dict]:
    result = api.lint_file(str(path), Config(select=MY_FAMILIES))
    out = []
    for f in result.findings:
        d = {"code": f.code, "line": f.line, "column": f.column, "text": f.text}
        if f.fix is not None:
            d["fix"] = f.fix.replacement
        out.append(d)
    return out


@pytest.mark.parametrize("name", sorted(GOLDEN["files"]))
def test_golden_findings(name):
    path = _path(name)
    if not path.exists():
        pytest.skip(f"{path} not present")
    assert _findings(path) == GOLDEN["files"][name]


def test_every_fixture_is_covered():
    fixtures = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "fixtures").glob("*") if p.suffix in (".txt", ".md"))
    missing = [f for f in fixtures if f not in GOLDEN["files"]]
    assert not missing, f"add golden findings for {missing}"


@pytest.mark.parametrize("name", ["fixtures/report_clean.txt", "tests/golden/issue4/fine_text.txt"])
def test_clean_texts_give_no_finding_from_these_rules(name):
    path = ROOT / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    assert _findings(path) == []


@pytest.mark.skipif(not (SEEDS / "speech_a.txt").exists(), reason="../shared/seeds not present")
def test_seed_speech_defects_and_silence():
    found = _findings(SEEDS / "speech_a.txt")
    texts = {(f["code"], f["text"]) for f in found}
    assert ("T401", "“") in texts  # the unpaired quote in “六个一“
    assert ("T406", "作为作为") in texts
    assert ("W504", "豁的出来") in texts
    lines = (SEEDS / "speech_a.txt").read_text(encoding="utf-8").splitlines()
    for f in found:
        line = lines[f["line"] - 1]
        for fine in ("实实在在", "扎实实施", "久久为功", "钉钉子", "下基层 察民情"):
            at = line.find(fine)
            if at >= 0:
                assert not (at < f["column"] - 1 + max(1, len(f["text"])) and f["column"] - 1 < at + len(fine)), (f, fine)
