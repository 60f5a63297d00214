"""Rule cases as data (sqlfluff style): tests/rule_cases/<CODE>.yaml.

Each file names one rule and lists cases; every case is one pytest item with the id
``<CODE>_<pass|fail>_<id>``, so ``pytest -k T403`` runs one rule and ``pytest -k T403_fail`` its failures.

Case keys:
  id          short name
  pass_str    text on which the rule must stay silent
  fail_str    text on which the rule must report
  fix_str     (with fail_str) the text after applying every fix the rule offers
  violations  (with fail_str) the exact texts flagged, in order ("" for a zero-width finding)
  count       (with fail_str) the number of findings, when the texts are not given
  genre       force a genre (report, speech, self-review)
  format      txt (default) or md
  configs     rule options, as a user would write them under [rules.CODE]
  severity    (with fail_str) the severity of every finding
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ecocheck import api
from ecocheck.config import Config

CASES_DIR = Path(__file__).parent / "rule_cases"


def _load():
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        code = data["rule"]
        for case in data["cases"]:
            kind = "fail" if "fail_str" in case else "pass"
            out.append(pytest.param(code, case, id=f"{code}_{kind}_{case['id']}"))
    return out


CASES = _load()


def lint(tmp_path, code, text, fmt="txt", genre=None, configs=None):
    path = tmp_path / f"case.{fmt}"
    path.write_text(text, encoding="utf-8")
    cfg = Config(select=[code], genre=genre, rule_options={code: dict(configs)} if configs else {})
    result = api.lint_file(str(path), cfg, keep_outline=True)
    assert not result.error, result.findings
    return result


def apply_fixes(result) -> str:
    """The document text after applying every fix (right to left per paragraph; overlapping fixes skipped)."""
    paras = [p.text for p in result.outline.document.paragraphs]
    by_para: dict[int, list] = {}
    for f in result.findings:
        if f.fix is not None and f.paragraph is not None:
            by_para.setdefault(f.paragraph, []).append(f)
    for pi, found in by_para.items():
        text = paras[pi]
        last = len(text) + 1
        for f in sorted(found, key=lambda f: (f.start, f.end), reverse=True):
            if f.end > last:
                continue
            text = text[:f.start] + f.fix.replacement + text[f.end:]
            last = f.start
        paras[pi] = text
    return "\n".join(paras)


@pytest.mark.parametrize("code,case", CASES)
def test_rule_case(tmp_path, code, case):
    fmt = case.get("format", "txt")
    text = case.get("fail_str", case.get("pass_str"))
    assert text is not None, f"case {case['id']} needs pass_str or fail_str"
    result = lint(tmp_path, code, text, fmt, case.get("genre"), case.get("configs"))
    crashed = [f for f in result.findings if f.code == "E100"]
    assert not crashed, crashed[0].message
    found = [f for f in result.findings if f.code == code]
    if "pass_str" in case:
        assert found == [], [(f.text, f.message) for f in found]
        return
    assert found, f"{code} found nothing in {text!r}"
    if "violations" in case:
        assert [f.text for f in found] == [str(v) for v in case["violations"]], [(f.text, f.message) for f in found]
    if "count" in case:
        assert len(found) == case["count"], [(f.text, f.message) for f in found]
    if "severity" in case:
        assert {f.severity.label for f in found} == {case["severity"]}
    if "fix_str" in case:
        assert apply_fixes(result).rstrip("\n") == case["fix_str"].rstrip("\n")


def test_every_case_file_names_a_registered_rule():
    reg = api.registry()
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert reg.get(data["rule"]) is not None, path.name
        assert path.stem == data["rule"], f"{path.name} should be named {data['rule']}.yaml"
