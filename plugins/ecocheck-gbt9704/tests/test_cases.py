"""The F rules, case by case (rule_cases/F7xx.yaml, read by ecocheck's public harness ecocheck.testing).

A .docx case is a change merged into the correctly formatted report (gbt_docx.GOOD).  Each case runs
its rule alone; cases with the same id in several files are one document, which is also linted with
every F rule at once and must give exactly the findings of those cases together (no other F rule may
speak on it)."""

import json
from pathlib import Path

import pytest

import gbt_docx
from ecocheck import api
from ecocheck.testing import check_case, load_cases, missing_cases

CASES = load_cases(Path(__file__).parent / "rule_cases")


def build(change, path):
    return gbt_docx.build(path, gbt_docx.variant(change))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_case(case, tmp_path):
    check_case(case, tmp_path, build_docx=build)


def test_every_rule_has_cases():
    assert missing_cases(CASES, plugin="ecocheck-gbt9704") == []


def documents():
    """``{id: (change, options, expected findings)}``: every document the cases describe."""
    out = {}
    for case in CASES:
        change = case.data.get("fail_docx", case.data.get("pass_docx"))
        prev = out.setdefault(case.id, (change, {}, []))
        assert json.dumps(prev[0], sort_keys=True) == json.dumps(change, sort_keys=True), \
            f"cases named {case.id} describe different documents"
        if "configs" in case.data:
            prev[1][case.code] = case.data["configs"]
        prev[2].extend(f"{case.code}:{f}" for f in case.data.get("findings", ()))
    return out


def lint_every_document(tmp_path, select):
    got = {}
    for name, (change, options, _expected) in documents().items():
        path = build(change, tmp_path / f"{name}.docx")
        result = api.lint_file(str(path), api.Config(select=select, rule_options=options))
        got[name] = [f"{f.code}:{f.line}:{f.column}:{f.message}" for f in result.findings]
    return got


@pytest.mark.slow  # every case document again, with every F rule
def test_each_document_gives_exactly_its_cases_findings_with_every_f_rule(tmp_path):
    expected = {name: sorted(doc[2]) for name, doc in documents().items()}
    assert {name: sorted(found) for name, found in lint_every_document(tmp_path, ["F"]).items()} == expected


def test_good_report_with_the_default_rule_set(make_report):
    """Run with every enabled rule: no F finding, and no rule (F or other) crashes on the report."""
    result = api.lint_file(make_report())
    assert [f"{f.code}:{f.line}:{f.message}" for f in result.findings if f.code[0] in "FE"] == []


@pytest.mark.slow  # every case document twice more
def test_every_case_gives_the_same_findings_with_styles_xml_parsed_whole(tmp_path, monkeypatch):
    # the loader parses only the styles a document uses (ooxml.styles.styles_subset); the format
    # rules resolve fonts, sizes, spacing and indents through style chains: none may notice
    from ecocheck.loaders import docx as loader

    subset = lint_every_document(tmp_path, ["ALL"])
    monkeypatch.setattr(loader, "styles_subset", lambda *args: None)
    assert lint_every_document(tmp_path, ["ALL"]) == subset
    assert sum(map(len, subset.values())) > len(subset)
