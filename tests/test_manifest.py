"""Recall and precision on the fixtures, driven by fixtures/MANIFEST.yaml.

Every intended defect must be matched by a finding of the right family that overlaps it;
no finding may overlap a `must_not_flag` guard; `expect_clean` files produce no finding at all;
the outline puts every section at the line and role the manifest says.
"""

from pathlib import Path

import pytest
import yaml

from ecocheck import api

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = yaml.safe_load((ROOT / "fixtures" / "MANIFEST.yaml").read_text(encoding="utf-8"))["files"]
# manifest kind -> rule families that may report it (a doubled word is a typo in writers' terms, T406 for us)
FAMILY = {"placeholder": "H", "typo": "WT", "wording": "W", "structure": "S", "pairing": "P",
          "typography": "T", "consistency": "C"}
ROLE = {"basic": "overview", "features": "overview"}
TEXT_FILES = sorted(n for n, f in MANIFEST.items() if not n.endswith(".yaml"))


@pytest.fixture(scope="module")
def results():
    return {name: api.lint_file(str(ROOT / "fixtures" / name), keep_outline=True) for name in TEXT_FILES}


def _overlaps(f, line, col, length):
    return f.line == line and f.column < col + max(length, 1) and col < max(f.end_column, f.column + 1)


def _entries(name, key):
    return [pytest.param(name, i, e, id=f"{name}:{key}:{e['line']}:{e.get('text', '')[:12]}")
            for i, e in enumerate(MANIFEST[name].get(key) or [])]


@pytest.mark.parametrize("name,i,entry", [p for n in TEXT_FILES for p in _entries(n, "defects")])
def test_defect_is_found(results, name, i, entry):
    family = FAMILY[entry["kind"]]
    findings = [f for f in results[name].findings if f.code[0] in family]
    text = entry.get("token", entry["text"])
    col = entry.get("token_col", entry["col"])
    spots = [(entry["line"], col, len(text))]
    if entry.get("alt"):
        alt = entry["alt"]
        spots.append((alt["line"], alt.get("col", 1), len(alt.get("text", ""))))
    if entry["kind"] in ("structure", "pairing"):
        # findings about a section sit at its heading: accept any finding on the line
        assert any(f.line in [s[0] for s in spots] for f in findings), (entry, findings)
    else:
        assert any(_overlaps(f, *s) for f in findings for s in spots), (entry, [f.to_dict() for f in findings])


@pytest.mark.parametrize("name,i,entry", [p for n in TEXT_FILES for p in _entries(n, "must_not_flag")])
def test_guard_stays_silent(results, name, i, entry):
    kinds = entry.get("kinds")
    families = {c for k in kinds for c in FAMILY[k]} if kinds else None
    bad = [f for f in results[name].findings
           if (families is None or f.code[0] in families) and _overlaps(f, entry["line"], entry["col"],
                                                                         len(entry["text"]))]
    assert not bad, (entry, [f.to_dict() for f in bad])


@pytest.mark.parametrize("name", [n for n in TEXT_FILES if MANIFEST[n].get("expect_clean")])
def test_clean_fixture_has_no_finding(results, name):
    assert [f.to_dict() for f in results[name].findings] == []


@pytest.mark.parametrize("name", [n for n in TEXT_FILES if MANIFEST[n].get("expect_no_findings_of")])
def test_no_findings_of_kinds(results, name):
    families = {c for k in MANIFEST[name]["expect_no_findings_of"] for c in FAMILY[k]}
    assert [f.to_dict() for f in results[name].findings if f.code[0] in families] == []


@pytest.mark.parametrize("name", TEXT_FILES)
def test_outline_matches_manifest(results, name):
    expected = MANIFEST[name]["outline"]
    outline = results[name].outline
    title_line = outline.document.paragraphs[outline.title].line if outline.title is not None else None
    assert title_line == expected["title"]
    got = [(n.line, n.label, n.role) for n in outline.sections if n.kind == "heading"]
    want = [(s["line"], s["label"], ROLE.get(s["role"], s["role"])) for s in expected["sections"]]
    assert got == want
