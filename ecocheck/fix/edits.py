"""Choosing which fixes to apply: safe, located, non-overlapping."""

from __future__ import annotations

from dataclasses import dataclass, field

from ecocheck.model import Document, Finding

# Reasons a fix is not applied (shown to the user).
UNSAFE = "修复方案需人工确认，未自动应用"
NO_LOCATION = "修复位置不明确，未自动应用"
STALE = "问题文字与文档内容不一致，未自动应用"
IN_LABEL = "位于 Word 自动编号中，不是正文文字，无法自动修复"
NEWLINE = "修复内容含换行，未自动应用"
OVERLAP = "与另一处修复重叠，未自动应用"


@dataclass
class Edit:
    """Replace ``paragraph.text[start:end]`` (offsets as in findings) with ``replacement``."""

    paragraph: int
    start: int
    end: int
    replacement: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def first(self) -> Finding:
        return self.findings[0]


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.paragraph != b.paragraph:
        return False
    if a.start == a.end or b.start == b.end:  # an insertion touches whatever is at its point
        return b.start <= a.start <= b.end or a.start <= b.start <= a.end
    return a.start < b.end and b.start < a.end


def plan(findings: list[Finding], doc: Document) -> tuple[list[Edit], list[tuple[Finding, str]]]:
    """The edits to apply now, in document order, and the fixes left out with their reasons.

    Only ``fix.safe`` fixes are candidates.  When fixes overlap the first (in
    document order) wins; the others are reported (and retried on the next
    pass by :mod:`ecocheck.fix.engine`).  The same edit proposed by several
    rules is applied once and counts for each of them.
    """
    paragraphs = doc.paragraphs
    edits: list[Edit] = []
    left: list[tuple[Finding, str]] = []
    candidates = [f for f in findings if f.fix is not None]
    candidates.sort(key=lambda f: (f.paragraph if f.paragraph is not None else -1, f.start, f.end, f.code))
    for f in candidates:
        fix = f.fix
        if not fix.safe:
            left.append((f, UNSAFE))
            continue
        if f.paragraph is None or not 0 <= f.paragraph < len(paragraphs):
            left.append((f, NO_LOCATION))
            continue
        p = paragraphs[f.paragraph]
        if not 0 <= f.start <= f.end <= len(p.text) or p.text[f.start:f.end] != f.text:
            left.append((f, STALE))
            continue
        if f.start < p.num_prefix:
            left.append((f, IN_LABEL))
            continue
        if "\n" in fix.replacement or "\r" in fix.replacement:
            left.append((f, NEWLINE))
            continue
        if fix.replacement == f.text:
            continue  # nothing to do
        edit = Edit(f.paragraph, f.start, f.end, fix.replacement, [f])
        same = next((e for e in edits if (e.paragraph, e.start, e.end, e.replacement)
                     == (edit.paragraph, edit.start, edit.end, edit.replacement)), None)
        if same is not None:
            same.findings.append(f)
            continue
        if any(_overlaps(edit, e) for e in edits):
            left.append((f, OVERLAP))
            continue
        edits.append(edit)
    return edits, left


def apply_to_text(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` (non-overlapping, offsets into ``text``) applied."""
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:e.start] + e.replacement + text[e.end:]
    return text
