"""The one walk of WordprocessingML text: body paragraphs in document order, their runs and the
text each run shows.

ecocheck's paragraph ``i`` is the ``i``-th ``w:p`` of :func:`block_paragraphs`: the body's
paragraphs in document order, tables cell by cell (rows, then cells), content controls, custom XML
and block-level insertions looked through.  A paragraph's text is that of its runs as
:class:`InlineWalker` visits them: hyperlinks, smart tags, fields, content controls and tracked
insertions (``w:ins``/``w:moveTo``) looked through, tracked deletions (``w:del``/``w:moveFrom``)
skipped; a run shows its ``w:t`` text, ``w:tab``/``w:ptab`` as "\\t", line breaks (``w:br`` of
type textWrapping or none, ``w:cr``) as "\\n" and ``w:noBreakHyphen`` as "-" (:func:`child_text`).

The loader (``ecocheck.loaders.docx``), the fixer and the annotator (``ecocheck.fix``) and the
GB/T 9704 plugin all walk with these, so their paragraphs, runs and offsets agree by construction.
"""

from __future__ import annotations

from typing import Any

from .names import (
    ATOM_TEXT,
    BLOCK_TRANSPARENT,
    BR,
    COMMENT_RANGE_END,
    COMMENT_RANGE_START,
    DEL,
    INLINE_TRANSPARENT,
    INS,
    MOVE_FROM,
    MOVE_TO,
    P,
    R,
    SDT,
    SDT_CONTENT,
    T,
    TABLE_TRANSPARENT,
    TBL,
    TC,
    TR,
    TYPE,
)

__all__ = ["BlockWalker", "block_paragraphs", "table_children", "InlineWalker", "child_text", "run_text", "paragraph_runs"]


# ---------------------------------------------------------------------------
# Block level


def table_children(parent, tag: str):
    """Rows of a table / cells of a row, looking through sdt/customXml wrappers."""
    for c in parent:
        if c.tag == tag:
            yield c
        elif c.tag in TABLE_TRANSPARENT:
            yield from table_children(c, tag)


class BlockWalker:
    """Visits the body (or a header, a footer, a comment) in ecocheck's paragraph order: tables
    cell by cell (rows, then cells), content controls and other block wrappers looked through.
    :meth:`paragraph` gets each ``w:p`` with its cell -- ``(table no, row, cell)``, tables numbered
    in document order, nested ones included; None outside tables -- and :meth:`mark` each comment
    range start/end between paragraphs."""

    def __init__(self):
        self.tables = 0

    def blocks(self, parent, cell: tuple[int, int, int] | None = None) -> None:
        for c in parent:
            tag = c.tag
            if tag == P:
                self.paragraph(c, cell)
            elif tag == TBL:
                self.table(c)
            elif tag == SDT:
                content = c.find(SDT_CONTENT)
                if content is not None:
                    self.blocks(content, cell)
            elif tag in BLOCK_TRANSPARENT:
                self.blocks(c, cell)
            elif tag == COMMENT_RANGE_START or tag == COMMENT_RANGE_END:
                self.mark(c)

    def table(self, tbl) -> None:
        number = self.tables
        self.tables += 1
        for row_no, tr in enumerate(table_children(tbl, TR)):
            for cell_no, tc in enumerate(table_children(tr, TC)):
                self.blocks(tc, (number, row_no, cell_no))

    def paragraph(self, p, cell: tuple[int, int, int] | None) -> None:
        raise NotImplementedError

    def mark(self, el) -> None:
        pass


class _Paragraphs(BlockWalker):
    def __init__(self):
        super().__init__()
        self.out: list[tuple[Any, bool]] = []

    def paragraph(self, p, cell):
        self.out.append((p, cell is not None))


def block_paragraphs(parent) -> list[tuple[Any, bool]]:
    """``(w:p, in_table)`` for every paragraph under ``parent``, in ecocheck's paragraph order
    (:class:`BlockWalker`)."""
    walker = _Paragraphs()
    walker.blocks(parent)
    return walker.out


# ---------------------------------------------------------------------------
# Inline level


class InlineWalker:
    """Visits the content of a paragraph in order: :meth:`run` for each ``w:r`` shown (``revision``
    is "ins" inside a tracked insertion), :meth:`inserted` for a tracked insertion (by default: its
    runs, marked "ins"), :meth:`deleted` for a tracked deletion and :meth:`mark` for a comment range
    start/end (by default: nothing)."""

    __slots__ = ()

    def walk(self, parent, revision: str | None = None) -> None:
        for c in parent:
            tag = c.tag
            if tag == R:
                self.run(c, revision)
            elif tag in INLINE_TRANSPARENT:
                self.walk(c, revision)
            elif tag == SDT:
                content = c.find(SDT_CONTENT)
                if content is not None:
                    self.walk(content, revision)
            elif tag == INS or tag == MOVE_TO:
                self.inserted(c)
            elif tag == DEL or tag == MOVE_FROM:
                self.deleted(c)
            elif tag == COMMENT_RANGE_START or tag == COMMENT_RANGE_END:
                self.mark(c)

    def run(self, r, revision: str | None) -> None:
        raise NotImplementedError

    def inserted(self, el) -> None:
        self.walk(el, "ins")

    def deleted(self, el) -> None:
        pass

    def mark(self, el) -> None:
        pass


def child_text(c) -> str:
    """The text a child of a ``w:r`` shows ("" for none: properties, field codes, drawings…)."""
    tag = c.tag
    if tag == T:
        return c.text or ""
    text = ATOM_TEXT.get(tag)
    if text is None or (tag == BR and c.get(TYPE) not in (None, "textWrapping")):
        return ""
    return text


def run_text(r) -> str:
    """The text run ``r`` shows."""
    return "".join([child_text(c) for c in r])


class _Runs(InlineWalker):
    __slots__ = ("out",)

    def __init__(self):
        self.out: list = []

    def run(self, r, revision):
        self.out.append(r)


def paragraph_runs(p) -> list:
    """Every ``w:r`` shown in paragraph ``p`` (deletions excluded), in order."""
    walker = _Runs()
    walker.walk(p)
    return walker.out
