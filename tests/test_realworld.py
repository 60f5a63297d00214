"""The real-document regression set: fixtures/realworld/ (documents modelled on real ones of every genre)
and the real documents in ../shared (corpus and seeds, skipped when absent).

Expectations are data (fixtures/realworld/expectations.yaml): the genre, the first-level headings, no
error or warning finding on professionally edited text, and the findings each document must and must not
give.  An expectation that fails today because of a named gap is listed under `xfail` and runs as
xfail(strict=True): closing the gap makes it pass unexpectedly, and its entry is then deleted.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from ecocheck import api
from ecocheck.config import Config
from ecocheck.model import Severity

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "fixtures" / "realworld"
SHARED = ROOT.parent / "shared"
DATA = yaml.safe_load((HERE / "expectations.yaml").read_text(encoding="utf-8"))
DOCS: dict[str, tuple[Path, dict]] = {
    **{name: (HERE / name, spec) for name, spec in DATA["fixtures"].items()},
    **{f"shared/{name}": (SHARED / name, spec) for name, spec in DATA["shared"].items()},
}


@cache
def _result(name: str):
    path, _spec = DOCS[name]
    if not path.exists():
        pytest.skip(f"{path} not present")
    return api.lint_file(str(path), Config(), keep_outline=True)


def _param(name: str, check: str, *values, spec: dict):
    reason = (spec.get("xfail") or {}).get(check)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, *values, marks=marks, id=f"{name}-{check}")


def _params(check: str, pick):
    out = []
    for name, (_path, spec) in DOCS.items():
        for values in pick(spec):
            key = check if not values else f"{check}:{values[0]['code']}"
            out.append(_param(name, key, *values, spec=spec))
    return out


def _matches(finding, entry: dict) -> bool:
    return (finding.code == entry["code"] and entry.get("line", finding.line) == finding.line
            and entry.get("text", finding.text) == finding.text)


def test_every_fixture_has_expectations():
    texts = sorted(p.name for p in HERE.glob("*.txt"))
    assert texts == sorted(DATA["fixtures"])


@pytest.mark.parametrize("name", [_param(n, "genre", spec=s) for n, (_p, s) in DOCS.items()])
def test_genre(name):
    result = _result(name)
    decision = result.outline.genre_decision
    assert result.genre == DOCS[name][1]["genre"], decision
    if result.genre == "general":  # no genre's cues (a 工作规则): the fallback, which has no evidence
        assert decision.source == "fallback"
    else:
        assert decision.source == "detected" and decision.evidence


@pytest.mark.parametrize("name", [_param(n, "headings", spec=s) for n, (_p, s) in DOCS.items()])
def test_first_level_headings(name):
    spec = DOCS[name][1]
    sections = [n for n in _result(name).outline.sections if n.kind == "heading"]
    if "headings" in spec:
        assert [n.label + n.heading for n in sections] == spec["headings"]
    else:
        assert [n.label for n in sections] == spec["labels"]


@pytest.mark.parametrize("name", [_param(n, "clean", spec=s) for n, (_p, s) in DOCS.items() if s.get("clean")])
def test_no_error_or_warning(name):
    loud = [f"{f.line}:{f.column} {f.code} {f.message}" for f in _result(name).findings
            if f.severity >= Severity.WARNING]
    assert loud == []


@pytest.mark.parametrize("name,entry", _params("must", lambda s: [(e,) for e in s.get("must") or []]))
def test_must_find(name, entry):
    found = [f for f in _result(name).findings if _matches(f, entry)]
    assert found, f"{entry} not found"


@pytest.mark.parametrize("name,entry", _params("must_not", lambda s: [(e,) for e in s.get("must_not") or []]))
def test_must_not_find(name, entry):
    found = [f"{f.line}:{f.column} {f.code} {f.message}" for f in _result(name).findings if _matches(f, entry)]
    assert found == []


def test_xfail_entries_name_real_checks():
    """Every xfail key names an expectation of its document (a typo would silently xfail nothing)."""
    for name, (_path, spec) in DOCS.items():
        known = {"genre", "headings", "clean"}
        known |= {f"must:{e['code']}" for e in spec.get("must") or []}
        known |= {f"must_not:{e['code']}" for e in spec.get("must_not") or []}
        assert set(spec.get("xfail") or {}) <= known, name


@pytest.mark.parametrize("name", sorted(DATA["fixtures"]))
def test_docx_gives_the_same_genre_and_headings(tmp_path, name):
    """The same document as Word gets the same genre and first-level headings."""
    from make_docx import build_docx, read_source

    txt = _result(name)
    docx = build_docx(read_source(HERE / name), tmp_path / f"{Path(name).stem}.docx")
    outline = api.outline_file(str(docx))
    assert outline.genre == txt.genre
    assert [n.label + n.heading for n in outline.sections] == [n.label + n.heading for n in txt.outline.sections]
