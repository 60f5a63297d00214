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
    # Two edits of a paragraph overlap when their spans share a character, or when one is an
    # insertion and the other touches its point (ends included).  Candidates come in document
    # order, so every accepted edit of the paragraph starts at or before this one: the furthest end
    # of its accepted replacements and of its accepted insertions decide, without a rescan.
    same_edit: dict[tuple[int, int, int, str], Edit] = {}
    reach: dict[int, tuple[int, int]] = {}  # paragraph -> (furthest end of a replacement, of an insertion)
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
        key = (f.paragraph, f.start, f.end, fix.replacement)
        same = same_edit.get(key)
        if same is not None:
            same.findings.append(f)
            continue
        replaced, inserted = reach.get(f.paragraph, (-1, -1))
        if f.start < replaced or f.start <= inserted or (f.start == f.end and f.start == replaced):
            left.append((f, OVERLAP))
            continue
        edit = same_edit[key] = Edit(f.paragraph, f.start, f.end, fix.replacement, [f])
        edits.append(edit)
        if f.start == f.end:
            reach[f.paragraph] = (replaced, max(inserted, f.end))
        else:
            reach[f.paragraph] = (max(replaced, f.end), inserted)
    return edits, left


def apply_to_text(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` (non-overlapping, offsets into ``text``) applied."""
    return splice(text, ((e.start, e.end, e.replacement) for e in edits))


def splice(text: str, spans) -> str:
    """``text`` with each ``(start, end, replacement)`` of ``spans`` (non-overlapping) put in, in one pass."""
    out: list[str] = []
    pos = 0
    for start, end, replacement in sorted(spans, key=lambda s: (s[0], s[1])):
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)
