"""The text model of a .docx body: paragraphs, runs, revisions and comment anchors.

What a reader sees in Word with revisions shown as final (see :mod:`ecocheck.loaders.docx`),
built by the one walk of :mod:`ecocheck.ooxml.walk`: :class:`Body` numbers the paragraphs as
:func:`~ecocheck.ooxml.walk.block_paragraphs` does and :class:`Inline` visits a paragraph's
runs as :class:`~ecocheck.ooxml.walk.InlineWalker` does, keeping every run's ``w:r``.
"""

from __future__ import annotations

from typing import Any

from ecocheck.loaders.numbering import ListNumbering, StyleNumbering
from ecocheck.model import Comment, Paragraph, Revision, Run
from ecocheck.ooxml.names import (
    AUTHOR,
    B,
    COMMENT,
    COMMENT_RANGE_END,
    COMMENT_RANGE_START,
    COMMENT_REFERENCE,
    DATE,
    DEL_TEXT,
    HIGHLIGHT,
    I,
    ID,
    IND,
    JC,
    NUMPR,
    OUTLINE_LVL,
    PPR,
    PSTYLE,
    RFONTS,
    RPR,
    RSTYLE,
    SHD,
    SPACING,
    SZ,
    T,
    VAL,
    W,
    on_off,
)
from ecocheck.ooxml.styles import StyleLookup, index_styles, num_pr, style_based_on, style_name, style_num_pr, to_int
from ecocheck.ooxml.walk import BlockWalker, InlineWalker, block_paragraphs, child_text

__all__ = ["Styles", "Body", "Inline", "plain_paragraphs", "comments"]


class Styles:
    """The styles of styles.xml by id (:func:`index_styles`), read as they are asked for."""

    def __init__(self, root=None):
        elements, defaults = index_styles(root) if root is not None else ({}, {})
        self.default_paragraph_id: str | None = defaults.get("paragraph")
        self._names = StyleLookup(elements, style_name)
        self.numbering = StyleNumbering(num_pr=StyleLookup(elements, style_num_pr),  # type: ignore[arg-type]
                                        based_on=StyleLookup(elements, style_based_on))  # type: ignore[arg-type]

    def name(self, style_id: str | None) -> str | None:
        if style_id is None:
            return None
        return self._names.get(style_id, style_id)


def _half_points(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value) / 2
    except ValueError:
        return None


_NO_FORMAT = (None, None, None, None, None, None, None)


def _run_format(rpr, styles: Styles) -> tuple:
    """Direct formatting of a ``w:rPr``: (style, bold, italic, ascii, eastAsia, size, highlight)."""
    style = bold = italic = font_ascii = font_east_asia = size = highlight = None
    for c in rpr:
        tag = c.tag
        if tag == RSTYLE:
            style = styles.name(c.get(VAL))
        elif tag == B:
            bold = on_off(c.get(VAL))
        elif tag == I:
            italic = on_off(c.get(VAL))
        elif tag == RFONTS:
            font_ascii = c.get(W + "ascii")
            font_east_asia = c.get(W + "eastAsia")
        elif tag == SZ:
            size = _half_points(c.get(VAL))
        elif tag == HIGHLIGHT:
            val = c.get(VAL)
            if val and val != "none":
                highlight = val
        elif tag == SHD and highlight is None:
            fill = c.get(W + "fill")
            if fill and fill.lower() not in ("auto", "ffffff"):
                highlight = fill
    return (style, bold, italic, font_ascii, font_east_asia, size, highlight)


def _deleted_text(el) -> str:
    return "".join(t.text or "" for t in el.iter(DEL_TEXT, T))


class Inline(InlineWalker):
    """Collects the text of one ``w:p`` (and, in the body, runs/revisions/anchors)."""

    __slots__ = ("index", "body", "parts", "pos", "runs")

    def __init__(self, index: int, body: "Body | None"):
        self.index = index
        self.body = body
        self.parts: list[str] = []
        self.pos = 0
        self.runs: list[Run] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add_label(self, label: str) -> None:
        self.parts.append(label)
        self.runs.append(Run(label, 0, len(label), auto_number=True))
        self.pos = len(label)

    # -- InlineWalker ---------------------------------------------------------

    def inserted(self, el) -> None:
        first, start = len(self.parts), self.pos
        self.walk(el, "ins")
        if self.body is not None:
            self.body.revision("ins", el, "".join(self.parts[first:]), self.index, start, self.pos)

    def deleted(self, el) -> None:
        if self.body is not None:
            self.body.revision("del", el, _deleted_text(el), self.index, self.pos, self.pos)

    def mark(self, el) -> None:
        if self.body is not None:
            self.body.comment_mark(el.tag, el.get(ID), self.index, self.pos)

    def run(self, r, revision: str | None) -> None:
        pieces: list[str] = []
        rpr = None
        for c in r:
            tag = c.tag
            if tag == T:
                if c.text:
                    pieces.append(c.text)
            elif tag == RPR:
                rpr = c
            elif tag == COMMENT_REFERENCE:
                if self.body is not None:
                    offset = self.pos + sum(len(p) for p in pieces)
                    self.body.comment_mark(tag, c.get(ID), self.index, offset)
            else:
                text = child_text(c)
                if text:
                    pieces.append(text)
        if not pieces:
            return
        text = "".join(pieces)
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        if self.body is not None:
            fmt = _run_format(rpr, self.body.styles) if rpr is not None else _NO_FORMAT
            self.runs.append(Run(text, start, self.pos, *fmt, revision=revision, element=r))


def _paragraph_props(ppr) -> tuple[str | None, tuple[str | None, int | None] | None, str | None, dict[str, Any]]:
    """(style id, direct numPr, jc, props) of a ``w:pPr``."""
    style_id = numpr = jc = None
    props: dict[str, Any] = {}
    if ppr is None:
        return style_id, numpr, jc, props
    for c in ppr:
        tag = c.tag
        if tag == PSTYLE:
            style_id = c.get(VAL)
        elif tag == NUMPR:
            numpr = num_pr(c)
        elif tag == JC:
            jc = c.get(VAL)
        elif tag == IND:
            for attr, key in (
                ("firstLine", "ind_first_line"),
                ("firstLineChars", "ind_first_line_chars"),
                ("hanging", "ind_hanging"),
                ("hangingChars", "ind_hanging_chars"),
                ("left", "ind_left"),
                ("start", "ind_left"),
                ("leftChars", "ind_left_chars"),
                ("right", "ind_right"),
            ):
                value = to_int(c.get(W + attr))
                if value is not None:
                    props[key] = value
        elif tag == SPACING:
            for attr, key in (("line", "spacing_line"), ("before", "spacing_before"), ("after", "spacing_after")):
                value = to_int(c.get(W + attr))
                if value is not None:
                    props[key] = value
            rule = c.get(W + "lineRule")
            if rule:
                props["spacing_line_rule"] = rule
        elif tag == OUTLINE_LVL:
            value = to_int(c.get(VAL))
            if value is not None:
                props["outline_level"] = value
    return style_id, numpr, jc, props


class Body(BlockWalker):
    """Walks ``w:body`` in document order (``Body.blocks(body)``), building paragraphs."""

    def __init__(self, styles: Styles, numbering: ListNumbering | None):
        super().__init__()
        self.styles = styles
        self.numbering = numbering
        self.paragraphs: list[Paragraph] = []
        self.elements: list[Any] = []  # the w:p of each paragraph
        self.revisions: list[Revision] = []
        self.comment_starts: dict[str, tuple[int, int]] = {}
        self.comment_ends: dict[str, tuple[int, int]] = {}
        self.comment_refs: dict[str, tuple[int, int]] = {}
        self._pending_starts: list[str] = []

    # -- callbacks from Inline ----------------------------------------------

    def revision(self, kind: str, el, text: str, index: int, start: int, end: int) -> None:
        self.revisions.append(
            Revision(kind=kind, author=el.get(AUTHOR) or "", text=text, paragraph=index,
                     start=start, end=end, date=el.get(DATE))
        )

    def comment_mark(self, tag: str, cid: str | None, index: int, offset: int) -> None:
        if cid is None:
            return
        if tag == COMMENT_RANGE_START:
            self.comment_starts.setdefault(cid, (index, offset))
        elif tag == COMMENT_RANGE_END:
            self.comment_ends.setdefault(cid, (index, offset))
        else:
            self.comment_refs.setdefault(cid, (index, offset))

    # -- BlockWalker ----------------------------------------------------------

    def mark(self, el) -> None:
        """A comment range start/end between paragraphs: the start anchors at the next paragraph."""
        if el.tag == COMMENT_RANGE_START:
            if el.get(ID) is not None:
                self._pending_starts.append(el.get(ID))
        elif self.paragraphs:
            last = self.paragraphs[-1]
            self.comment_mark(el.tag, el.get(ID), last.index, len(last.text))

    def paragraph(self, p, cell: tuple[int, int, int] | None) -> None:
        index = len(self.paragraphs)
        self.elements.append(p)
        style_id, numpr, jc, props = _paragraph_props(next(p.iterchildren(PPR), None))
        effective_style = style_id if style_id is not None else self.styles.default_paragraph_id
        inline = Inline(index, self)
        label_len = 0
        if self.numbering is not None:
            num_id, ilvl = numpr if numpr is not None else (None, None)
            label = self.numbering.next_label(num_id, ilvl, effective_style)
            if label is not None:
                inline.add_label(label.text)
                label_len = len(label.text)
                props["num_id"] = label.num_id
                props["num_level"] = label.ilvl
                props["num_format"] = label.fmt
                props["num_value"] = label.value
        if self._pending_starts:
            for cid in self._pending_starts:
                self.comment_starts.setdefault(cid, (index, 0))
            self._pending_starts.clear()
        inline.walk(p, None)
        self.paragraphs.append(
            Paragraph(
                index=index,
                line=index + 1,
                text=inline.text,
                num_prefix=label_len,
                style=self.styles.name(effective_style),
                table=cell,
                runs=inline.runs,
                alignment=jc,
                props=props,
            )
        )

    def finish(self) -> None:
        """Anchor comment ranges that start after the last paragraph."""
        if self._pending_starts and self.paragraphs:
            last = self.paragraphs[-1]
            for cid in self._pending_starts:
                self.comment_starts.setdefault(cid, (last.index, len(last.text)))
        self._pending_starts.clear()


def plain_paragraphs(root) -> list[str]:
    """Texts of the paragraphs under ``root`` (headers, footers, comments), tables included."""
    out: list[str] = []
    for p, _in_table in block_paragraphs(root):
        inline = Inline(len(out), None)
        inline.walk(p, None)
        out.append(inline.text)
    return out


def comments(root, body: Body) -> list[Comment]:
    out: list[Comment] = []
    if root is None:
        return out
    for el in root:
        if el.tag != COMMENT:
            continue
        cid = el.get(ID)
        if cid is None:
            continue
        comment = Comment(id=cid, author=el.get(AUTHOR) or "", text="\n".join(plain_paragraphs(el)))
        start = body.comment_starts.get(cid) or body.comment_refs.get(cid)
        end = body.comment_ends.get(cid) or body.comment_refs.get(cid) or start
        if start is not None:
            comment.paragraph, comment.start = start
            if end is not None and end >= start:
                comment.end_paragraph, comment.end = end
            else:
                comment.end_paragraph, comment.end = start
        out.append(comment)
    return out


