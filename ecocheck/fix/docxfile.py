"""Applying edits to a .docx: change ``w:t`` text in word/document.xml, nothing else.

An edit inside one ``w:t`` changes that text only, so the run keeps its
formatting.  An edit spanning several runs puts the replacement in the first
run and removes the rest of the replaced text from the following ones.  An
edit touching a tab or a line break, or a paragraph this module cannot map
onto the loaded text, is skipped and reported.  Every other zip entry is
written back byte-for-byte.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ecocheck.model import Document, Finding

from ecocheck.ooxml.names import RPR
from ecocheck.ooxml.package import EditablePackage

from . import docxpart as dx
from .edits import Edit, apply_to_text

ATOMIC = "修复涉及制表符或换行，未自动应用"
UNMAPPED = "该段落的结构无法识别，未自动应用"
NO_TEXT = "找不到可写入修复文字的位置，未自动应用"


class DocxFixError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _apply_one(pmap: dx.ParagraphMap, starts: list[int], start: int, end: int, replacement: str) -> str | None:
    """Apply one edit (offsets without the label) to the paragraph of ``pmap``; None on success, else a reason.

    ``pmap`` and ``starts`` (its pieces' starts) are the paragraph's map before any edit: edits go
    right to left, and one changes only the pieces it covers and their texts after its start, so
    the map stays right for every edit still to do (the caller checks the paragraph's text at the end).
    """
    pieces = pmap.pieces
    if start == end:
        # an insertion: append to the text before the point, else prepend to the text after it
        k = bisect_right(starts, start - 1) - 1 if start > 0 else -1
        target = pieces[k] if k >= 0 and pieces[k].editable and start <= pieces[k].end else None
        if target is None:
            k = bisect_left(starts, start)
            target = pieces[k] if k < len(pieces) and starts[k] == start and pieces[k].editable else None
        if target is None:
            return NO_TEXT
        text = target.node.text or ""
        k = start - target.start
        dx.set_text(target.node, text[:k] + replacement + text[k:])
        return None
    k = max(bisect_right(starts, start) - 1, 0)
    covered = []
    while k < len(pieces) and pieces[k].start < end:
        if start < pieces[k].end:
            covered.append(pieces[k])
        k += 1
    if not covered or any(not pc.editable for pc in covered):
        return ATOMIC
    first = covered[0]
    text = first.node.text or ""
    head = text[: start - first.start]
    tail = text[end - first.start:] if end <= first.end else ""
    dx.set_text(first.node, head + replacement + tail)
    for pc in covered[1:]:
        text = pc.node.text or ""
        rest = text[min(end, pc.end) - pc.start:]
        if rest:
            dx.set_text(pc.node, rest)
        else:
            _drop_text(pc.node)
    if not head and not replacement and not tail:
        _drop_text(first.node)
    return None


def _narrow(old: str, start: int, new: str) -> tuple[int, int, str]:
    """Drop the characters ``old`` and ``new`` share at both ends (选拨 -> 选拔 edits only 拨).

    Each kept character then stays in its own run with its own formatting, and
    fewer edits cross run boundaries.
    """
    a = 0
    while a < len(old) and a < len(new) and old[a] == new[a]:
        a += 1
    b = 0
    while b < len(old) - a and b < len(new) - a and old[len(old) - 1 - b] == new[len(new) - 1 - b]:
        b += 1
    return start + a, start + len(old) - b, new[a:len(new) - b]


def _drop_text(t) -> None:
    """Remove an emptied w:t; remove its run too when nothing but w:rPr is left."""
    run = t.getparent()
    run.remove(t)
    if all(c.tag == RPR for c in run):
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)


def apply_docx_edits(data: bytes, doc: Document, edits: list[Edit]) -> tuple[bytes, list[Edit],
                                                                               list[tuple[Finding, str]]]:
    """(new bytes, applied edits, [(finding, reason)] not applied)."""
    main = doc.meta.get("main_part", "word/document.xml")
    pkg = EditablePackage(data)
    root = pkg.parse(main)
    if root is None:
        raise DocxFixError("找不到 word/document.xml")
    paragraphs = dx.body_paragraphs(root)
    if len(paragraphs) != len(doc.paragraphs):
        raise DocxFixError("文档段落与检查时不一致，未修改")
    applied: list[Edit] = []
    skipped: list[tuple[Finding, str]] = []
    by_paragraph: dict[int, list[Edit]] = {}
    for e in edits:
        by_paragraph.setdefault(e.paragraph, []).append(e)
    for index, group in sorted(by_paragraph.items()):
        para = doc.paragraphs[index]
        p = paragraphs[index]
        prefix = para.num_prefix
        pmap = dx.map_paragraph(p)
        if pmap.text != para.text[prefix:]:
            skipped.extend((f, UNMAPPED) for e in group for f in e.findings)
            continue
        starts = [pc.start for pc in pmap.pieces]
        done: list[Edit] = []
        # right to left, so the offsets of the edits still to do stay valid
        for e in sorted(group, key=lambda e: (e.start, e.end), reverse=True):
            start, end, replacement = _narrow(para.text[e.start:e.end], e.start, e.replacement)
            reason = _apply_one(pmap, starts, start - prefix, end - prefix, replacement)
            if reason is None:
                done.append(e)
            else:
                skipped.extend((f, reason) for f in e.findings)
        expected = apply_to_text(para.text, done)[prefix:]
        if dx.map_paragraph(p).text != expected:  # never write a paragraph that came out wrong
            raise DocxFixError(f"第 {para.line} 段修复结果与预期不符，未修改")
        applied.extend(done)
    if not applied:
        return data, [], skipped
    pkg.write_xml(main, root)
    return pkg.to_bytes(), sorted(applied, key=lambda e: (e.paragraph, e.start)), skipped
