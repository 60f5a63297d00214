"""Structure (S) and pairing (P) rules against golden expectations kept as data.

Each ``tests/golden/structure/<name>.yaml`` names a fixture and lists every S/P finding
``ecocheck lint --select S,P`` must produce on it (code, line, column, flagged text, fix),
nothing more; ``pairs`` (when present) is the problem ⇄ measure pairing the outline must show.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ecocheck import api
from ecocheck.config import Config

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = sorted((ROOT / "tests" / "golden" / "structure").glob("*.yaml"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lint_sp():
    cache: dict[str, object] = {}

    def run(rel: str):
        if rel not in cache:
            cache[rel] = api.lint_file(str(ROOT / rel), Config(select=["S", "P"]), keep_outline=True)
        return cache[rel]

    return run


def _actual(result) -> list[dict]:
    out = []
    for f in result.findings:
        d = {"code": f.code, "line": f.line, "col": f.column, "text": f.text}
        if f.fix is not None:
            d["fix"] = f.fix.replacement
        out.append(d)
    return out


def _expected(data: dict) -> list[dict]:
    return [{k: v for k, v in e.items() if k != "note"} for e in data["findings"] or []]


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_findings_match_golden(lint_sp, path):
    data = _load(path)
    result = lint_sp(data["fixture"])
    assert not result.error, result.findings
    assert result.genre == data["genre"]
    assert _actual(result) == _expected(data)


@pytest.mark.parametrize("path", [p for p in GOLDEN if "pairs" in _load(p)],
                         ids=[p.stem for p in GOLDEN if "pairs" in _load(p)])
def test_pairing_matches_golden(lint_sp, path):
    data = _load(path)
    outline = lint_sp(data["fixture"]).outline
    assert [[d["problem"], d["measure"]] for d in outline.pairing] == data["pairs"]


def test_golden_files_cover_every_structure_fixture():
    named = {_load(p)["fixture"] for p in GOLDEN}
    fixtures = {f"fixtures/structure/{p.name}" for p in (ROOT / "fixtures" / "structure").glob("*.txt")}
    assert fixtures <= named, sorted(fixtures - named)


@pytest.mark.parametrize("path", [p for p in GOLDEN if not _load(p)["findings"]],
                         ids=[p.stem for p in GOLDEN if not _load(p)["findings"]])
def test_clean_documents_have_no_structure_warning(path):
    """Every S and P rule, default options: a well-formed report gets no finding at all."""
    data = _load(path)
    result = api.lint_file(str(ROOT / data["fixture"]), Config(select=["S", "P"]))
    assert [f.to_dict() for f in result.findings] == []


@pytest.mark.parametrize("path", [p for p in GOLDEN if any("fix" in e for e in _load(p)["findings"] or [])],
                         ids=[p.stem for p in GOLDEN if any("fix" in e for e in _load(p)["findings"] or [])])
def test_label_fixes_replace_exactly_the_label(lint_sp, path):
    """A label fix is safe, its finding text is the label as written, and the fixed label parses again."""
    from ecocheck.outline import match_label

    result = lint_sp(_load(path)["fixture"])
    fixed = [f for f in result.findings if f.fix is not None]
    assert fixed
    for f in fixed:
        para = result.outline.document.paragraphs[f.paragraph].text
        assert para[f.start:f.end] == f.text
        assert f.fix.safe
        if f.code.startswith("S12") and f.text[:1] != "第":
            relabelled = f.fix.replacement + para[f.end:]
            lab = match_label(relabelled)
            assert lab is not None and lab.label == f.fix.replacement
