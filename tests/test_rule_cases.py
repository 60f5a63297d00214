"""ecocheck's own rules, case by case (tests/rule_cases/<CODE>.yaml, read by ``ecocheck.testing``,
whose docstring lists the case keys).  ``pytest -k T403`` runs one rule, ``pytest -k T403_fail``
its failures.  A .docx case (``pass_docx``/``fail_docx``) is a paragraph list for
``tools/make_docx.py`` (see its docstring: runs with highlight, comments, tracked changes, tables)."""

from __future__ import annotations

from pathlib import Path

import pytest
from make_docx import build_docx  # tools/, on sys.path through conftest.py

from ecocheck.testing import check_case, load_cases, missing_cases

CASES_DIR = Path(__file__).parent / "rule_cases"
CASES = load_cases(CASES_DIR)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_case(tmp_path, case):
    check_case(case, tmp_path, build_docx=build_docx)


def test_every_rule_has_a_case_that_fires_and_one_that_does_not():
    assert missing_cases(CASES) == []
