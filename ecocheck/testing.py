"""Rule cases as data: the test harness for ecocheck's own rules and for plugins.

Each rule has one YAML file, ``<CODE>.yaml``, in a folder of rule cases::

    rule: W901
    cases:
      - id: three_times
        fail_str: "书记亲自部署、亲自推动、亲自督办。"
        violations: ["亲自"]
      - id: twice_is_fine
        pass_str: "书记亲自部署、亲自推动。"

A test module turns the folder into one pytest item per case (ids ``<CODE>_<pass|fail>_<id>``, so
``pytest -k W901`` runs one rule and ``pytest -k W901_fail`` its failures)::

    import pytest
    from ecocheck.testing import check_case, load_cases, missing_cases

    CASES = load_cases(Path(__file__).parent / "rule_cases")

    @pytest.mark.parametrize("case", CASES, ids=str)
    def test_rule_case(case, tmp_path):
        check_case(case, tmp_path)

    def test_every_rule_has_cases():
        assert missing_cases(CASES, plugin="ecocheck-example") == []

Case keys:
  id           short name (letters, digits, ``_``, ``-`` and ``.``)
  about        what the case shows, in a sentence (not checked)
  pass_str     text on which the rule must stay silent
  fail_str     text on which the rule must report
  pass_docx    a .docx on which the rule must stay silent, and
  fail_docx    one on which it must report: a document description handed to the ``build_docx``
               function the test passes to :func:`check_case` (ecocheck's own tests use
               ``tools/make_docx.py``'s paragraph list; a plugin may use its own builder)
  violations   (fail) the exact texts flagged, in order ("" for a zero-width or whole-section finding)
  count        (fail) the number of findings, when the texts are not given
  findings     (fail) every finding as ``"LINE:COLUMN:MESSAGE"``, in order
  fix_str      (fail_str) the text after applying every fix the rule offers
  severity     (fail) the severity of every finding (error, warning, info)
  genre        force a genre (report, speech, self-review, or one a plugin adds)
  format       txt (default) or md, for pass_str/fail_str
  configs      the rule's options, as a user writes them under ``[rules.CODE]``
  also_select  other rules that run with it (their findings are not checked): what a rule such as
               C699 unused-suppression needs to see
  policy       true: lint in CI policy mode (``--policy``), where C698 reports suppression comments

Every case runs the rule alone (``select = [CODE]``, plus ``also_select``) through the public API
on a file written to pytest's ``tmp_path``, and fails when any rule crashes (E100).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["RuleCase", "load_cases", "check_case", "lint_case", "apply_fixes", "missing_cases"]

INPUT_KEYS = ("pass_str", "fail_str", "pass_docx", "fail_docx")
CHECK_KEYS = ("violations", "count", "findings", "fix_str", "severity")
OTHER_KEYS = ("id", "about", "genre", "format", "configs", "also_select", "policy")
_ID = re.compile(r"[\w.-]+")


@dataclass(frozen=True)
class RuleCase:
    """One case of one rule, as read from ``<CODE>.yaml``."""

    code: str
    id: str
    data: dict[str, Any] = field(repr=False)
    path: Path | None = None

    @property
    def kind(self) -> str:
        """``fail`` (the rule must report) or ``pass`` (it must stay silent)."""
        return "fail" if ("fail_str" in self.data or "fail_docx" in self.data) else "pass"

    @property
    def name(self) -> str:
        return f"{self.code}_{self.kind}_{self.id}"

    def __str__(self) -> str:  # the pytest id
        return self.name


def load_cases(folder: str | Path) -> list[RuleCase]:
    """Every case of every ``*.yaml`` file in ``folder``, in file then case order.

    A malformed file raises ``ValueError`` naming it and the case, so the mistake shows when the
    test module is collected.
    """
    import yaml

    out: list[RuleCase] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        where = path.name
        if not isinstance(data, dict) or not isinstance(data.get("rule"), str) or \
                not isinstance(data.get("cases"), list):
            raise ValueError(f"{where}: expected a mapping with 'rule: CODE' and a list 'cases'")
        code = data["rule"]
        if path.stem != code:
            raise ValueError(f"{where}: a case file is named after its rule: {code}.yaml")
        seen: set[str] = set()
        for case in data["cases"]:
            _validate(where, case, seen)
            out.append(RuleCase(code, str(case["id"]), case, path))
    return out


def _validate(where: str, case: Any, seen: set[str]) -> None:
    if not isinstance(case, dict) or not _ID.fullmatch(str(case.get("id", ""))):
        raise ValueError(f"{where}: every case needs an id (letters, digits, _, - and .): {case!r}")
    where = f"{where}, case {case['id']}"
    if case["id"] in seen:
        raise ValueError(f"{where}: the id is used twice")
    seen.add(case["id"])
    unknown = set(case) - set(INPUT_KEYS) - set(CHECK_KEYS) - set(OTHER_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    inputs = [k for k in INPUT_KEYS if k in case]
    if len(inputs) != 1:
        raise ValueError(f"{where}: give exactly one of {', '.join(INPUT_KEYS)}")
    checks = [k for k in CHECK_KEYS if k in case]
    if inputs[0].startswith("pass") and checks:
        raise ValueError(f"{where}: {', '.join(checks)} only go with a failing case")
    if "fix_str" in case and inputs[0] != "fail_str":
        raise ValueError(f"{where}: fix_str goes with fail_str")


BuildDocx = Callable[[Any, Path], Any]


def lint_case(case: RuleCase, tmp_path: str | Path, build_docx: BuildDocx | None = None):
    """Write the case's document into ``tmp_path`` and lint it with the rule selected alone:
    the :class:`ecocheck.api.FileResult`, outline kept (for :func:`apply_fixes`)."""
    from . import api

    data = case.data
    tmp = Path(tmp_path)
    if "pass_docx" in data or "fail_docx" in data:
        if build_docx is None:
            raise ValueError(f"{case.name}: a .docx case needs check_case(..., build_docx=...)")
        path = tmp / f"{case.name}.docx"
        build_docx(data.get("fail_docx", data.get("pass_docx")), path)
    else:
        fmt = data.get("format", "txt")
        if fmt not in ("txt", "md"):
            raise ValueError(f"{case.name}: format is txt or md, not {fmt!r}")
        path = tmp / f"{case.name}.{fmt}"
        path.write_text(data.get("fail_str", data.get("pass_str")), encoding="utf-8")
    configs = data.get("configs")
    config = api.Config(select=[case.code, *data.get("also_select", ())], genre=data.get("genre"),
                        rule_options={case.code: dict(configs)} if configs else {},
                        policy=bool(data.get("policy", False)))
    return api.lint_file(str(path), config, keep_outline=True)


def check_case(case: RuleCase, tmp_path: str | Path, build_docx: BuildDocx | None = None) -> None:
    """Run one case and assert what it says (an ``AssertionError`` listing what was found if not)."""
    result = lint_case(case, tmp_path, build_docx)
    assert not result.error, [f"{f.code} {f.message}" for f in result.findings]
    crashed = [f for f in result.findings if f.code == "E100"]
    assert not crashed, crashed[0].message
    found = [f for f in result.findings if f.code == case.code]
    shown = [f"{f.line}:{f.column}:{f.message} [{f.text}]" for f in found]
    data = case.data
    if case.kind == "pass":
        assert found == [], f"{case.code} must stay silent but reported: {shown}"
        return
    assert found, f"{case.code} must report but found nothing"
    if "violations" in data:
        assert [f.text for f in found] == [str(v) for v in data["violations"]], shown
    if "count" in data:
        assert len(found) == data["count"], shown
    if "findings" in data:
        assert [f"{f.line}:{f.column}:{f.message}" for f in found] == [str(v) for v in data["findings"]], shown
    if "severity" in data:
        assert {f.severity.label for f in found} == {data["severity"]}, shown
    if "fix_str" in data:
        assert apply_fixes(result).rstrip("\n") == data["fix_str"].rstrip("\n"), shown


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


def missing_cases(cases: Iterable[RuleCase], plugin: str | None = None) -> list[str]:
    """What keeps the cases from covering the rules: one line per problem, ``[]`` when none.

    The rules looked at are those a plugin registers (``plugin``: its distribution name, as
    ``ecocheck rules`` shows it) or, with ``plugin=None``, ecocheck's own (built-in rules and
    shipped packs).  Each needs a case file with at least one case that must fire and one that
    must not.  The E family is left out: those codes name files that cannot be read and rules or
    plugins that fail, which no rule checks.  A case file whose rule is not registered at all is a
    problem too.
    """
    from . import api

    rules = api.registry().rules
    kinds: dict[str, set[str]] = {}
    problems = []
    for case in cases:
        kinds.setdefault(case.code, set()).add(case.kind)
    for code in sorted(kinds):
        if code not in rules:
            problems.append(f"{code}.yaml: no rule {code} is registered")
    for code, rule in sorted(rules.items()):
        if code.startswith("E") or not _from(rule.source, plugin):
            continue
        if code not in kinds:
            problems.append(f"{code} ({rule.name}): no case file {code}.yaml")
            continue
        for kind, what in (("fail", "fail_str/fail_docx: a case that must fire"),
                           ("pass", "pass_str/pass_docx: a case that must not")):
            if kind not in kinds[code]:
                problems.append(f"{code}.yaml: no {what}")
    return problems


def _from(source: str, plugin: str | None) -> bool:
    """Whether a rule's source (``built-in``, ``pack:NAME``, ``DIST``, ``DIST (pack:NAME)``) is ``plugin``'s."""
    if plugin is None:
        return source == "built-in" or source.startswith("pack:")
    return source == plugin or source.startswith(f"{plugin} (")
