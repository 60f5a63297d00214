"""ecocheck.testing, the public rule-case harness, catches what it promises to catch."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecocheck.testing import RuleCase, check_case, load_cases, missing_cases

CASES = load_cases(Path(__file__).parent / "rule_cases")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_registered_rule_without_a_case_file_is_named():
    without = [c for c in CASES if c.code != "T406"]
    assert missing_cases(without) == ["T406 (doubled-word): no case file T406.yaml"]


def test_a_rule_needs_a_case_that_fires_and_one_that_does_not():
    only_pass = [c for c in CASES if not (c.code == "T406" and c.kind == "fail")]
    assert missing_cases(only_pass) == ["T406.yaml: no fail_str/fail_docx: a case that must fire"]
    only_fail = [c for c in CASES if not (c.code == "T406" and c.kind == "pass")]
    assert missing_cases(only_fail) == ["T406.yaml: no pass_str/pass_docx: a case that must not"]


def test_a_case_file_for_no_registered_rule_is_named():
    stray = RuleCase("T499", "x", {"id": "x", "pass_str": "。"})
    assert missing_cases([*CASES, stray]) == ["T499.yaml: no rule T499 is registered"]


def test_a_plugins_rules_are_checked_apart_from_ecocheck_own():
    # the GB/T 9704 plugin's rules are not ecocheck's: they do not need a file here
    assert not any(p.startswith("F7") for p in missing_cases(CASES))
    assert missing_cases([], plugin="no-such-plugin") == []


@pytest.mark.parametrize("text,message", [
    ("cases: []\n", "expected a mapping with 'rule: CODE'"),
    ("rule: T406\ncases: []\n", "a case file is named after its rule: T406.yaml"),
    ("rule: T401\ncases:\n  - pass_str: x\n", "every case needs an id"),
    ("rule: T401\ncases:\n  - {id: a, pass_str: x, fail_str: y}\n", "give exactly one of"),
    ("rule: T401\ncases:\n  - {id: a, pass_str: x, count: 1}\n", "count only go with a failing case"),
    ("rule: T401\ncases:\n  - {id: a, fail_str: x, violation: [x]}\n", "unknown keys ['violation']"),
    ("rule: T401\ncases:\n  - {id: a, fail_str: x}\n  - {id: a, pass_str: y}\n", "the id is used twice"),
])
def test_a_malformed_case_file_is_refused_when_loaded(tmp_path, text, message):
    folder = write(tmp_path / "cases", "T401.yaml", text)
    with pytest.raises(ValueError, match=r"T401\.yaml") as err:
        load_cases(folder)
    assert message in str(err.value)


@pytest.mark.parametrize("case,complaint", [
    ({"id": "silent", "fail_str": "好好学习。"}, "T406 must report but found nothing"),
    ({"id": "noisy", "pass_str": "作为作为党员。"}, "T406 must stay silent but reported: ['1:1:"),
    ({"id": "wrong_text", "fail_str": "作为作为党员。", "violations": ["党员"]}, "作为作为"),
    ({"id": "wrong_count", "fail_str": "作为作为党员。", "count": 2}, ""),
    ({"id": "wrong_finding", "fail_str": "作为作为党员。", "findings": ["1:2:x"]}, ""),
])
def test_a_case_that_does_not_hold_fails(tmp_path, case, complaint):
    with pytest.raises(AssertionError) as err:
        check_case(RuleCase("T406", case["id"], case), tmp_path)
    assert complaint in str(err.value)


def test_a_docx_case_needs_a_builder(tmp_path):
    case = RuleCase("H306", "x", {"id": "x", "pass_docx": ["标题"]})
    with pytest.raises(ValueError, match="build_docx"):
        check_case(case, tmp_path)
