"""The formatting view of one loaded .docx: paragraphs paired with their XML, sections, footers.

Built once per document from ``Document.meta["parts"]`` (the raw parts the
loader kept) with ecocheck's safe XML parser, and cached in the outline's
per-document memo, so every F rule shares one parse of styles.xml.

ecocheck's loader records the ``w:p`` of every paragraph
(``meta["paragraph_elements"]``) and the ``w:r`` of every run
(``Run.element``), walking the body with :mod:`ecocheck.ooxml.walk`:
paragraphs and runs are paired with their XML as recorded.  A document
without that record (not made by ecocheck's .docx loader) has its sections
read but no paragraph paired: the rules leave it alone.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Sequence

from ecocheck import rxcache
from ecocheck.model import Document, Outline, Paragraph, Run
from ecocheck.ooxml.safexml import new_parser, parse_xml
from ecocheck.ooxml.walk import block_paragraphs

from .ooxml import child, to_int, w
from .styles import ParaProps, RunProps, StyleSheet

CACHE_KEY = "ecocheck-gbt9704:format"

_FOOTER = rxcache.compile(r"^footer\d*\.xml$", re.IGNORECASE)
_HEADER = rxcache.compile(r"^header\d*\.xml$", re.IGNORECASE)
_PPR, _SECT_PR = w("pPr"), w("sectPr")


@dataclass(slots=True)
class PInfo:
    """A body paragraph's XML and its text runs (the loader's :class:`~ecocheck.model.Run`, with its
    ``w:r`` as ``element``; offsets as in ``Paragraph.text``).

    Made by :class:`DocxFormat` when a rule first asks for the paragraph, with its formatting resolved
    (``props``, ``formatted``; None when the paragraph is not ``matched``), so every rule shares one
    resolution of it.
    """

    element: Any
    in_table: bool
    runs: Sequence[Run]
    matched: bool  # the XML text equals the loader's paragraph text (else rules leave it alone)
    props: ParaProps | None = None
    formatted: tuple[tuple[Run, RunProps], ...] | None = None  # runs with their effective formatting


@dataclass(slots=True)
class Section:
    """A document section (``w:sectPr``): its paragraphs, page size, margins and grid."""

    number: int  # 1-based
    first: int | None  # first paragraph index
    last: int | None
    element: Any
    width: int | None = None  # twips
    height: int | None = None
    orient: str = "portrait"
    top: int | None = None
    bottom: int | None = None
    left: int | None = None
    right: int | None = None
    gutter: int = 0
    grid_type: str | None = None
    line_pitch: int | None = None
    page_number_format: str | None = None

    @classmethod
    def from_xml(cls, number: int, first: int | None, last: int | None, el) -> "Section":
        s = cls(number, first, last, el)
        if el is None:
            return s
        sz = el.find(w("pgSz"))
        if sz is not None:
            s.width, s.height = to_int(sz.get(w("w"))), to_int(sz.get(w("h")))
            s.orient = sz.get(w("orient")) or "portrait"
        mar = el.find(w("pgMar"))
        if mar is not None:
            for attr in ("top", "bottom", "left", "right"):
                value = to_int(mar.get(w(attr)))
                setattr(s, attr, abs(value) if value is not None else None)
            s.gutter = to_int(mar.get(w("gutter"))) or 0
        grid = el.find(w("docGrid"))
        if grid is not None:
            s.grid_type = grid.get(w("type")) or "default"
            s.line_pitch = to_int(grid.get(w("linePitch")))
        pg = el.find(w("pgNumType"))
        if pg is not None:
            s.page_number_format = pg.get(w("fmt"))
        return s

    @property
    def has_line_grid(self) -> bool:
        return self.grid_type in ("lines", "linesAndChars", "snapToChars") and bool(self.line_pitch)

    @property
    def type_area_height_pt(self) -> float | None:
        if self.height is None or self.top is None or self.bottom is None:
            return None
        height = self.width if self.orient == "landscape" and self.width else self.height
        return (max(height, 0) - self.top - self.bottom) / 20


@dataclass
class DocxFormat:
    """The format view of one document.

    ``blocks[i]`` is the ``(w:p, in_table)`` of ``document.paragraphs[i]`` (None when the XML has fewer
    paragraphs).  Its :class:`PInfo` is made when a rule first asks for the paragraph (:meth:`info`):
    rules look at body text and headings only, never at most table cells.  ``recorded``: the blocks
    and every run's ``w:r`` are the loader's record (see the module docstring), so the loaded runs
    are the paragraph's runs as they are.
    """

    document: Document
    styles: StyleSheet
    blocks: list[tuple[Any, bool] | None]
    sections: list[Section]
    footers: list[tuple[str, Any]] = field(default_factory=list)  # (part name, root)
    headers: list[tuple[str, Any]] = field(default_factory=list)
    recorded: bool = False
    _infos: list[PInfo | None | bool] = field(init=False, repr=False)  # False: not paired yet

    _section_holders: list[Section] = field(init=False, repr=False)  # the sections with paragraphs
    _section_starts: list[int] = field(init=False, repr=False)  # their first paragraphs

    def __post_init__(self) -> None:
        self._infos = [False] * len(self.blocks)
        self._section_holders = [s for s in self.sections if s.first is not None]
        self._section_starts = [s.first for s in self._section_holders]

    # -- access -------------------------------------------------------------
    @property
    def paragraphs(self) -> list[PInfo | None]:
        """Every paragraph's :class:`PInfo` (None where there is no XML paragraph), pairing all of them."""
        for index in range(len(self._infos)):
            self.info(index)
        return [info if info is not False else None for info in self._infos]

    def info(self, index: int) -> PInfo | None:
        """The paragraph's :class:`PInfo` when its XML text is the loaded text, else None."""
        if 0 <= index < len(self._infos):
            info = self._infos[index]
            if info is False:
                info = self._infos[index] = self._pair(index)
            if info is not None and info.matched:
                return info
        return None

    def _pair(self, index: int) -> PInfo | None:
        block = self.blocks[index]
        if block is None:
            return None
        p, in_table = block
        if not self.recorded:
            return PInfo(p, in_table, (), False)
        runs = recorded_runs(self.document.paragraphs[index])
        props = self.styles.paragraph_props(p)
        return PInfo(p, in_table, runs, True, props, self.styles.formatted_runs(runs, props.style_id))

    def paragraph_props(self, index: int) -> ParaProps | None:
        info = self.info(index)
        return info.props if info is not None else None

    def runs(self, index: int, start: int = 0, end: int | None = None) -> Sequence[tuple[Run, RunProps]]:
        """Text runs of paragraph ``index`` overlapping ``[start, end)``, with their effective formatting."""
        info = self.info(index)
        if info is None:
            return ()
        formatted = info.formatted
        if start <= 0 and end is None:
            return formatted  # every run lies inside the paragraph text
        if end is None:
            end = len(self.document.paragraphs[index].text)
        return [item for item in formatted if item[0].end > start and item[0].start < end]

    def section_of(self, index: int) -> Section | None:
        """The section holding paragraph ``index`` (the last section when none does)."""
        sections = self.sections
        # sections with paragraphs hold consecutive ranges, in order: the candidate is the last one
        # starting at or before ``index``
        k = bisect_right(self._section_starts, index)
        if k:
            s = self._section_holders[k - 1]
            if index <= (s.last if s.last is not None else index):
                return s
        return sections[-1] if sections else None


def docx_format(outline: Outline) -> DocxFormat:
    """The cached :class:`DocxFormat` of the outline's document."""
    cached = outline.cache.get(CACHE_KEY)
    if cached is None:
        cached = outline.cache[CACHE_KEY] = build(outline.document)
    return cached


def build(document: Document) -> DocxFormat:
    parts: dict[str, bytes] = document.meta.get("parts") or {}
    main = document.meta.get("main_part") or "word/document.xml"
    parser = new_parser()

    roots = document.meta.get("xml") or {}  # trees the loader already parsed

    def parsed(name: str | None):
        if name is None or name not in parts:
            return None
        root = roots.get(name)
        return root if root is not None else parse_xml(parts[name], name, parser)

    def find(pattern: re.Pattern | str) -> list[str]:
        if isinstance(pattern, str):
            pattern = rxcache.compile(rf"^{re.escape(pattern)}$", re.IGNORECASE)
        return sorted((n for n in parts if n != main and pattern.match(posixpath.basename(n))),
                      key=_natural_key)

    styles = StyleSheet(parsed(next(iter(find("styles.xml")), None)),
                        parsed(next(iter(find(rxcache.compile(r"^theme\d*\.xml$", re.IGNORECASE))), None)),
                        parsed(next(iter(find("settings.xml")), None)))
    root = parsed(main)
    body = root.find(w("body")) if root is not None else None
    blocks: list[tuple[Any, bool] | None] = []
    sections: list[Section] = []
    recorded = _recorded_blocks(document, root)
    if body is not None:
        # paragraphs that end a section: found by lxml in one pass, then checked as before in the walk
        ending = {ppr.getparent() for ppr in (s.getparent() for s in body.iter(_SECT_PR)) if ppr.tag == _PPR}
        first = None
        for index, block in enumerate(recorded if recorded is not None else block_paragraphs(body)):
            blocks.append(block)
            if first is None:
                first = index
            p = block[0]
            if p in ending:
                ppr = child(p, _PPR)
                sect = child(ppr, _SECT_PR) if ppr is not None else None
                if sect is not None:
                    sections.append(Section.from_xml(len(sections) + 1, first, index, sect))
                    first = None
        final = body.find(w("sectPr"))
        if final is not None or not sections:
            last = len(blocks) - 1 if first is not None else None
            sections.append(Section.from_xml(len(sections) + 1, first, last, final))
    loaded = len(document.paragraphs)
    blocks = blocks[:loaded] + [None] * (loaded - len(blocks))
    footers = [(name, parsed(name)) for name in find(_FOOTER)]
    headers = [(name, parsed(name)) for name in find(_HEADER)]
    return DocxFormat(document, styles, blocks, sections, footers, headers, recorded is not None)


def _recorded_blocks(document: Document, root) -> list[tuple[Any, bool]] | None:
    """``(w:p, in_table)`` of every paragraph as the loader recorded it, None when it did not.

    The record counts only when it is complete: one ``w:p`` of the main part's tree per paragraph.
    """
    elements = document.meta.get("paragraph_elements")
    paragraphs = document.paragraphs
    if root is None or elements is None or len(elements) != len(paragraphs):
        return None
    if elements and elements[0].getroottree().getroot() is not root:
        return None  # a record of another parse of the part
    return [(p, paragraph.table is not None) for p, paragraph in zip(elements, paragraphs)]


def recorded_runs(paragraph: Paragraph) -> list[Run]:
    """The paragraph's text runs as the loader recorded them: its runs after the numbering label."""
    runs = paragraph.runs
    return runs[1:] if runs and runs[0].auto_number else runs


def _natural_key(name: str) -> tuple:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (len(digits), digits, name)


__all__ = ["DocxFormat", "PInfo", "Section", "docx_format", "build", "recorded_runs"]
