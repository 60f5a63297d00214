"""The outline's fast paths give what the plain scans give."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecocheck.engine.regexgate import _opening_classes
from ecocheck.outline import builder
from ecocheck.outline.grammar import (
    ITEM_FIRST_CHARS,
    ITEM_SECOND_CHARS,
    item_regex,
    item_start_regex,
)


def _plain_find_items(text: str, start: int, end: int):
    """The labels as a plain ``finditer`` over the span finds them (the builder's checks applied)."""
    out = []
    for m in item_regex().finditer(text, start, end):
        pos = m.start()
        if pos > start and text[pos - 1] not in builder._ITEM_BEFORE:
            continue
        if pos == start and pos > 0 and text[pos - 1] not in builder._ITEM_BEFORE and text[:pos].strip():
            continue
        tail = text[m.end():m.end() + 1]
        if not tail or tail in "，。、；":
            continue
        out.append((pos, m.group(0)))
    return out


def _fast_find_items(text: str, start: int, end: int):
    return [(pos, label) for pos, label, _ordinal, _family in builder._find_items(item_regex(), text, start, end)]


def test_item_start_chars_cover_the_item_terminals():
    _tree, first, _second = _opening_classes(item_regex())
    assert first is not None and set(first.strip("[]")) == set(ITEM_FIRST_CHARS)
    # every label's second character: labels are at most four characters long, so trying every
    # string of two to four characters over the terminals' own characters finds them all
    alphabet = sorted({ch for ch in item_regex().pattern if ord(ch) > 127} | set(",:"))
    rx = item_regex()
    rng = random.Random(1)
    for first_char in ITEM_FIRST_CHARS:
        for second_char in alphabet:
            tails = [""] + alphabet + ["".join(rng.choice(alphabet) for _ in range(2)) for _ in range(400)]
            for tail in tails + [a + b for a in "一二三四五六七八九十" for b in "，是"]:
                m = rx.match(first_char + second_char + tail)
                if m is not None:
                    assert second_char in ITEM_SECOND_CHARS, m.group(0)


ITEM_TEXT = st.text(st.sampled_from(list("一二三四五六七八九十第其是要，,、：:；。统唯 （x")), max_size=60)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ITEM_TEXT, st.integers(0, 60), st.integers(0, 60))
def test_find_items_equals_plain_finditer(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert _fast_find_items(text, start, end) == _plain_find_items(text, start, end)


def test_find_items_overlapping_candidates():
    # 十一是: a label starting at 十 hides the 一是 inside it, even when the checks refuse it
    text = "统十一是，二是加强"
    assert _fast_find_items(text, 0, len(text)) == _plain_find_items(text, 0, len(text))
    text = "。十一是加强，二是落实"
    assert _fast_find_items(text, 0, len(text)) == _plain_find_items(text, 0, len(text)) == [
        (1, "十一是"), (7, "二是")]
    assert item_start_regex().pattern.startswith("[")
