"""Scopes: which parts of the document a rule looks at.

``text`` (everything), ``heading`` (labels and heading text), ``body`` (all
but headings), ``title``, ``preamble`` and ``section:<role>`` (everything inside
the level-1 sections of a role: overview, problems, causes, measures).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from ..model import Outline, Paragraph, Span
from .regexgate import line_local, match_gate

SCOPES = ("text", "heading", "body", "title", "preamble")
ROLE_PREFIX = "section:"


def valid_scope(scope: str) -> bool:
    return scope in SCOPES or (scope.startswith(ROLE_PREFIX) and len(scope) > len(ROLE_PREFIX))


def scope_spans(outline: Outline, scope: str) -> list[Span]:
    key = f"scope:{scope}"
    cached = outline.cache.get(key)
    if cached is None:
        cached = outline.cache[key] = _compute(outline, scope)
    return cached


def _full(outline: Outline, idx: int) -> Span:
    return Span(idx, 0, len(outline.document.paragraphs[idx].text))


def is_report_text(p: Paragraph) -> bool:
    """Whether paragraph ``p`` belongs to the ``text`` scope: not empty, not Markdown code, not a
    suppression directive line (run/suppress.py)."""
    return bool(p.text) and not p.props.get("md_code") and not p.props.get("directive")


def _compute(outline: Outline, scope: str) -> list[Span]:
    doc = outline.document
    paras = [p for p in doc.paragraphs if is_report_text(p)]
    if scope == "text":
        return [Span(p.index, 0, len(p.text)) for p in paras]
    if scope == "title":
        return [_full(outline, outline.title)] if outline.title is not None else []
    if scope == "preamble":
        return [_full(outline, i) for i in outline.preamble]
    headings = outline.headings()
    if scope == "heading":
        return sorted((Span(n.paragraph, n.start, n.end) for n in headings), key=lambda s: s.paragraph)
    if scope == "body":
        heading_ends = {n.paragraph: n.end for n in headings}
        out = []
        for p in paras:
            if p.index == outline.title:
                continue
            if p.index in heading_ends:
                end = heading_ends[p.index]
                if end < len(p.text):
                    out.append(Span(p.index, end, len(p.text)))
            else:
                out.append(Span(p.index, 0, len(p.text)))
        return out
    if scope.startswith(ROLE_PREFIX):
        role = scope[len(ROLE_PREFIX):]
        idx: set[int] = set()
        for sec in outline.sections:
            if sec.role != role:
                continue
            for n in sec.walk():
                if n.kind == "heading":
                    idx.add(n.paragraph)
                    idx.update(n.body)
        return [_full(outline, i) for i in sorted(idx)]
    raise ValueError(f"unknown scope {scope!r}")


def joined_text(outline: Outline) -> tuple[str, list[int]]:
    """``Document.text`` (every paragraph's text joined by ``"\n"``), and where each paragraph starts
    in it (cached)."""
    cached = outline.cache.get("joined")
    if cached is None:
        starts, at = [], 0
        for p in outline.document.paragraphs:
            starts.append(at)
            at += len(p.text) + 1
        cached = outline.cache["joined"] = (outline.document.text, starts)
    return cached


def _cover(outline: Outline, scope: str) -> tuple[bytearray, list[Span]]:
    """Which paragraphs the scope takes whole (a flag per paragraph), and its partial spans."""
    key = f"cover:{scope}"
    cached = outline.cache.get(key)
    if cached is None:
        paragraphs = outline.document.paragraphs
        whole = bytearray(len(paragraphs))
        partial = []
        for span in scope_spans(outline, scope):
            if span.start == 0 and span.end == len(paragraphs[span.paragraph].text):
                whole[span.paragraph] = 1
            else:
                partial.append(span)
        cached = outline.cache[key] = (whole, partial)
    return cached


def scope_matches(outline: Outline, scope: str, regex: re.Pattern) -> Iterator[tuple[int, int, re.Match]]:
    """Every match of ``regex`` in the scope, as ``(paragraph, offset, match)``: the match lies in
    that paragraph, at ``match.start() - offset`` .. ``match.end() - offset`` of its text.

    The same matches as ``regex.finditer(text, span.start, span.end)`` span by span, found in one
    C-level scan of the joined text when the pattern is line-local
    (:func:`ecocheck.engine.regexgate.line_local`) -- instead of a Python loop over thousands of
    paragraphs per rule.  Other patterns, and spans that take part of a paragraph (``body`` without
    a run-in heading), are scanned span by span.  Matches come in document order within each of
    the two groups, not overall.
    """
    if not line_local(regex):
        yield from _span_by_span(outline, scope_spans(outline, scope), regex)
        return
    whole, partial = _cover(outline, scope)
    if any(whole):
        text, starts = joined_text(outline)
        for m in finditer(regex, text):
            k = bisect_right(starts, m.start()) - 1
            if whole[k]:
                yield k, starts[k], m
    yield from _span_by_span(outline, partial, regex)


def _span_by_span(outline: Outline, spans: list[Span], regex: re.Pattern) -> Iterator[tuple[int, int, re.Match]]:
    paragraphs = outline.document.paragraphs
    for span in spans:
        for m in regex.finditer(paragraphs[span.paragraph].text, span.start, span.end):
            yield span.paragraph, 0, m


def finditer(regex: re.Pattern, text: str) -> Iterator[re.Match]:
    """``regex.finditer(text)``, faster for patterns that ``re`` tries in full at many positions.

    When :func:`ecocheck.engine.regexgate.match_gate` gives a gate -- a pattern matching one
    character exactly where ``regex`` matches, found by ``re`` skipping ahead in C -- ``regex`` is
    only re-run where a match starts.  The matches are the same: ``finditer`` tries positions left
    to right and resumes where each match ends; the gate finds every position where a match
    starts, of which those inside an earlier match are passed over; and no match is empty.
    """
    gate = match_gate(regex)
    if gate is None:
        yield from regex.finditer(text)
        return
    match = regex.match
    end = 0
    for g in gate.finditer(text):
        start = g.start()
        if start >= end:
            m = match(text, start)
            yield m
            end = m.end()
