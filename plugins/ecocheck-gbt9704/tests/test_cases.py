"""Golden cases (cases.yaml): each format variant of the report gives exactly the expected F findings."""

from pathlib import Path

import pytest
import yaml

import gbt_docx
from ecocheck import api

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case, tmp_path):
    path = gbt_docx.build(tmp_path / f"{case['name']}.docx", gbt_docx.variant(case.get("change")))
    result = api.lint_file(str(path), api.Config(select=["F"], rule_options=case.get("options") or {}))
    got = [f"{f.code}:{f.line}:{f.column}:{f.message}" for f in result.findings]
    assert got == case["expect"]


def test_cases_cover_every_rule():
    from ecocheck_gbt9704.rules import RULES

    flagged = {line.split(":", 1)[0] for case in CASES for line in case["expect"]}
    assert flagged == {rule.code for rule in RULES}


def test_good_report_with_the_default_rule_set(make_report):
    """Run with every enabled rule: no F finding, and no rule (F or other) crashes on the report."""
    result = api.lint_file(make_report())
    assert [f"{f.code}:{f.line}:{f.message}" for f in result.findings if f.code[0] in "FE"] == []


def test_every_case_gives_the_same_findings_with_styles_xml_parsed_whole(tmp_path, monkeypatch):
    # the loader parses only the styles a document uses (loaders.docx.styles_subset); the format
    # rules resolve fonts, sizes, spacing and indents through style chains: none may notice
    from ecocheck.loaders import docx as loader

    def findings():
        out = []
        for case in CASES:
            path = gbt_docx.build(tmp_path / f"{case['name']}.docx", gbt_docx.variant(case.get("change")))
            result = api.lint_file(str(path), api.Config(select=["ALL"], rule_options=case.get("options") or {}))
            out.append([f"{f.code}:{f.line}:{f.column}:{f.message}" for f in result.findings])
        return out

    subset = findings()
    monkeypatch.setattr(loader, "styles_subset", lambda *args: None)
    assert findings() == subset
    assert sum(map(len, subset)) > len(CASES)
