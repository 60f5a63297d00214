"""W510 (non-word): its tables, and silence on clean real text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecocheck import api
from ecocheck.config import Config
from ecocheck.resources import load_data
from ecocheck.rules.wording import _tables

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def test_tables_hold_the_issue_examples():
    by_prefix, rare, common, strong = _tables()
    assert by_prefix["觉中"]["觉中央"] == "党中央"
    assert by_prefix["数育"]["数育"] == "教育"
    assert by_prefix["海宴"]["海宴河清"] == "海晏河清"
    assert "赢" in rare["羸"] and "赢" in rare["嬴"]
    assert "家" in common["赢"]
    assert {"党中央", "教育", "赢家"} <= set(strong)


def test_no_variant_is_a_word_of_the_lexicon():
    """A variant that is a word would flag correct text: the build drops them; the lexicon agrees."""
    lex = load_data("lexicon.yaml")
    two = {}
    for line in str(lex["two_char"]).splitlines():
        line = line.strip()
        two[line[0]] = two.get(line[0], "") + line[1:]
    longer = set(str(lex["longer"]).split())
    by_prefix = _tables()[0]
    words = [v for group in by_prefix.values() for v in group
             if (len(v) == 2 and v[1] in two.get(v[0], "")) or v in longer]
    assert words == []


@pytest.mark.parametrize("name", ["congress_report.txt", "work_report_excerpt.txt",
                                  "minzhu_shenghuohui_excerpt.txt", "self_review_excerpt.txt"])
def test_silent_on_the_real_documents(name):
    path = SHARED / "corpus" / name
    if not path.exists():
        pytest.skip("../shared/corpus is not here")
    result = api.lint_file(str(path), Config(select=["W510"]))
    assert [(f.text, f.message) for f in result.findings] == []


@pytest.mark.parametrize("name", ["report_a.txt", "report_b.txt", "speech_a.txt"])
def test_silent_on_the_seeds(name):
    path = SHARED / "seeds" / name
    if not path.exists():
        pytest.skip("../shared/seeds is not here")
    result = api.lint_file(str(path), Config(select=["W510"]))
    assert [(f.text, f.message) for f in result.findings] == []
