"""Text offsets <-> WordprocessingML elements, for editing a .docx in place.

The loader turns each body ``w:p`` into a paragraph text with the walk of
:mod:`ecocheck.ooxml.walk`; this module walks ``word/document.xml`` with the same
walkers and keeps, for every character, the element it came from: a ``w:t``
(editable text) or an atomic element (``w:tab``, ``w:br``, ``w:cr``,
``w:noBreakHyphen``: one character each).  Offsets here count the paragraph
text *without* the Word auto-number label (``Paragraph.num_prefix``), which is
not in the XML.

Callers check :func:`paragraph_maps` against the loaded Document
(``doc.paragraphs[i].text[num_prefix:]``) and refuse to touch a paragraph whose
text does not match, so a divergence between this walk and the loader can
never put an edit in the wrong place.

The package itself (read, edited, written back) is
:class:`ecocheck.ooxml.package.EditablePackage`.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from dataclasses import dataclass, field

from lxml import etree

from ecocheck.ooxml.names import BODY, RPR, T, XML_SPACE
from ecocheck.ooxml.walk import InlineWalker, block_paragraphs, child_text


@dataclass(slots=True)
class Piece:
    """Characters ``[start, end)`` of a paragraph and the element holding them."""

    start: int
    end: int
    run: etree._Element  # the w:r
    node: etree._Element  # w:t, or the atomic element
    editable: bool  # True for w:t


@dataclass(slots=True)
class RunSpan:
    run: etree._Element
    start: int
    end: int
    revision: str | None  # "ins" inside w:ins/w:moveTo


@dataclass(slots=True)
class ParagraphMap:
    element: etree._Element  # the w:p
    pieces: list[Piece] = field(default_factory=list)
    runs: list[RunSpan] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(_piece_text(p) for p in self.pieces)

    @property
    def length(self) -> int:
        return self.pieces[-1].end if self.pieces else 0


def _piece_text(piece: Piece) -> str:
    return child_text(piece.node)


# ---------------------------------------------------------------------------
# Walking document.xml (the walk of ecocheck.ooxml.walk, as the loader walks it)


def body_paragraphs(root) -> list[etree._Element]:
    """The body's ``w:p`` elements in the loader's document order."""
    body = root.find(BODY)
    return [p for p, _in_table in block_paragraphs(body)] if body is not None else []


class _Mapper(InlineWalker):
    __slots__ = ("pmap",)

    def __init__(self, pmap: ParagraphMap):
        self.pmap = pmap

    def run(self, r, revision: str | None) -> None:
        pmap = self.pmap
        pos = start = pmap.length
        for c in r:
            n = len(child_text(c))
            if n:
                pmap.pieces.append(Piece(pos, pos + n, r, c, c.tag == T))
                pos += n
        if pos > start:
            pmap.runs.append(RunSpan(r, start, pos, revision))


def map_paragraph(p) -> ParagraphMap:
    pmap = ParagraphMap(p)
    _Mapper(pmap).walk(p)
    return pmap


def paragraph_maps(root) -> list[ParagraphMap]:
    return [map_paragraph(p) for p in body_paragraphs(root)]


# ---------------------------------------------------------------------------
# Run surgery


def _text_length(el) -> int:
    return len(child_text(el))


def set_text(t, text: str) -> None:
    t.text = text
    t.set(XML_SPACE, "preserve")


def split_run(r, k: int):
    """Split run ``r`` before its ``k``-th character; return the new second run.

    Both halves keep ``r``'s attributes and a copy of its ``w:rPr``.  Elements
    without text (field characters, page-break marks, …) stay with the
    characters before them.
    """
    return split_run_at(r, [k])[0]


def split_run_at(r, cuts: list[int]) -> list:
    """Split run ``r`` before each of its characters ``cuts`` (ascending, inside the run) in one
    pass; return the new runs, in order (``r`` keeps the characters before the first cut).

    Every piece is :func:`split_run`'s: it keeps ``r``'s attributes and a copy of its ``w:rPr``;
    elements without text stay with the characters before them.
    """
    template = copy.deepcopy(r)
    for c in list(template):
        if c.tag != RPR:
            template.remove(c)
    news = [copy.deepcopy(template) for _ in cuts]
    pos = 0
    seg = 0  # the piece the characters at ``pos`` go to: 0 is r, i is news[i - 1]
    for c in list(r):
        if c.tag == RPR:
            continue
        n = _text_length(c)
        while seg < len(cuts) and cuts[seg] <= pos and (n or cuts[seg] < pos):
            seg += 1  # an element without text at a cut stays before it
        inner = [x for x in cuts[seg:] if x < pos + n] if n else []
        if not inner:
            if seg:
                news[seg - 1].append(c)  # moves c out of r
            pos += n
            continue
        # the cuts fall inside this w:t: its text goes to several pieces
        text = c.text or ""
        bounds = [pos, *inner, pos + n]
        for j in range(len(bounds) - 1):
            part = text[bounds[j] - pos:bounds[j + 1] - pos]
            if j == 0:
                set_text(c, part)
                if seg:
                    news[seg - 1].append(c)
            else:
                seg += 1
                tail = copy.deepcopy(c)
                set_text(tail, part)
                news[seg - 1].append(tail)
        pos += n
    anchor = r
    for new in news:
        anchor.addnext(new)
        anchor = new
    return news


def ensure_boundaries(p, offsets) -> ParagraphMap:
    """Split runs so every offset in ``offsets`` falls between two runs; return the new map.

    One map of the paragraph, each run split once at all of its cuts, one map at the end: linear in
    the paragraph and the offsets, whatever their number.
    """
    pmap = map_paragraph(p)
    runs = pmap.runs
    starts = [span.start for span in runs]
    by_run: dict[int, list[int]] = {}
    for x in sorted(set(offsets)):
        k = bisect_right(starts, x) - 1
        if k >= 0 and runs[k].start < x < runs[k].end:
            by_run.setdefault(k, []).append(x - runs[k].start)
    if not by_run:
        return pmap
    for k, cuts in by_run.items():
        split_run_at(runs[k].run, cuts)
    return map_paragraph(p)
