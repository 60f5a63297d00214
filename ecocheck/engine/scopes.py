"""Scopes: which parts of the document a rule looks at.

``text`` (everything), ``heading`` (labels and heading text), ``body`` (all
but headings), ``title``, ``preamble`` and ``section:<role>`` (everything inside
the level-1 sections of a role: overview, problems, causes, measures).
"""

from __future__ import annotations

from ..model import Outline, Span

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


def _compute(outline: Outline, scope: str) -> list[Span]:
    doc = outline.document
    # suppression directive lines (engine/suppress.py) are not report text
    paras = [p for p in doc.paragraphs if p.text and not p.props.get("md_code") and not p.props.get("directive")]
    if scope == "text":
        return [Span(p.index, 0, len(p.text)) for p in paras]
    if scope == "title":
        return [_full(outline, outline.title)] if outline.title is not None else []
    if scope == "preamble":
        return [_full(outline, i) for i in outline.preamble]
    headings = [n for n in outline.walk() if n.kind == "heading"]
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
