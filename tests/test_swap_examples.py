"""Every entry of every shipped substitution rule is a test case (data-driven).

For each ``swap`` entry the example sentence (its ``example`` key, or the wrong form itself when the entry
has no context guard) must be flagged at the wrong form, and the sentence with the entry's correction
applied must draw no finding from that rule.  The examples of one rule go into one document, one per
line, so a rule costs two lint runs whatever the size of its list.
"""

from __future__ import annotations

import pytest

from ecocheck import api
from ecocheck.config import Config
from ecocheck.engine.packs import GUARDS


#: the rules of the known-confusion set (issue 17): typos, 提法, collocations, 的/得, context confusions
CODES = ("W501", "W502", "W503", "W504", "W507", "W508", "W509")


def _swap_rules():
    reg = api.registry()
    return [reg.get(code) for code in CODES]


def _examples(rule):
    out = []
    for wrong, entries in rule.swap.items():
        for entry in entries:
            example = entry.get("example")
            guards = entry["guards"]
            if example is None and (guards is None or not (guards.before_yes or guards.after_yes)):
                example = wrong  # nothing has to come before or after it
            out.append((wrong, entry, example))
    return out


def _lint(tmp_path, code, lines):
    path = tmp_path / f"{code}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = api.lint_file(str(path), Config(select=[code]), keep_outline=True)
    assert not result.error, result.findings
    by_line: dict[int, list] = {}
    for f in result.findings:
        assert f.code == code, f.message
        by_line.setdefault(f.line, []).append(f)
    return by_line


@pytest.mark.parametrize("rule", _swap_rules(), ids=lambda r: r.code)
def test_every_swap_entry_fires_on_its_example_and_not_on_the_correction(tmp_path, rule):
    cases = _examples(rule)
    missing = [wrong for wrong, _entry, example in cases if example is None]
    assert not missing, f"{rule.code}: entries with guards need an example: {missing}"
    lines = [example for _w, _e, example in cases]
    for wrong, _entry, example in cases:
        assert wrong in example, f"{rule.code}: the example of {wrong!r} does not contain it: {example!r}"
        assert "\n" not in example
    found = _lint(tmp_path, rule.code, lines)
    corrected = []
    for lineno, (wrong, entry, example) in enumerate(cases, start=1):
        hits = [f for f in found.get(lineno, []) if f.text == wrong]
        assert hits, f"{rule.code}: {wrong!r} → {entry['to']} not found in {example!r}: " \
                     f"{[(f.text, f.message) for f in found.get(lineno, [])]}"
        f = hits[0]
        start = f.column - 1
        corrected.append(example[:start] + entry["to"][0] + example[start + len(wrong):])
    again = _lint(tmp_path, rule.code, corrected)
    wrongly = {corrected[line - 1]: [(f.text, f.message) for f in fs] for line, fs in again.items()}
    assert not wrongly, f"{rule.code}: the corrected form is flagged: {wrongly}"


def test_the_confusion_set_has_at_least_500_entries():
    """Issue 17: the known-confusion set (typos, context confusions, 的/得, 提法) holds 500 entries or more."""
    total = sum(len(entries) for r in _swap_rules() for entries in r.swap.values())
    assert total >= 500, total


def test_guard_keys_are_the_ones_the_examples_rely_on():
    assert set(GUARDS) == {"if_preceded_by", "unless_preceded_by", "if_followed_by", "unless_followed_by"}
