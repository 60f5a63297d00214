"""Text offsets <-> WordprocessingML elements, for editing a .docx in place.

The loader (:mod:`ecocheck.loaders.docx`) turns each body ``w:p`` into a
paragraph text; this module walks ``word/document.xml`` the same way and keeps,
for every character, the element it came from: a ``w:t`` (editable text) or
an atomic element (``w:tab``, ``w:br``, ``w:cr``, ``w:noBreakHyphen``: one
character each).  Offsets here count the paragraph text *without* the Word
auto-number label (``Paragraph.num_prefix``), which is not in the XML.

Callers check :func:`paragraph_maps` against the loaded Document
(``doc.paragraphs[i].text[num_prefix:]``) and refuse to touch a paragraph whose
text does not match, so a divergence between this walk and the loader can
never put an edit in the wrong place.

:class:`Package` holds the zip entries of a .docx and writes it back with
every entry it did not change byte-for-byte identical (same order, names,
timestamps, compression).
"""

from __future__ import annotations

import copy
from bisect import bisect_right
import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

# the loader's traversal sets: this walk must see exactly the paragraphs and text the loader sees
from ecocheck.loaders.docx import INLINE_TRANSPARENT, W_NS, block_paragraphs, parse_xml, part_key

_W = "{%s}" % W_NS
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """``w:tag`` as a qualified lxml name."""
    return _W + tag


REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

P = _W + "p"
R = _W + "r"
T = _W + "t"
RPR = _W + "rPr"
ID = _W + "id"
TYPE = _W + "type"
TAB, PTAB, BR, CR, NO_BREAK_HYPHEN = (_W + t for t in ("tab", "ptab", "br", "cr", "noBreakHyphen"))
INS, MOVE_TO = _W + "ins", _W + "moveTo"
SDT, SDT_CONTENT = _W + "sdt", _W + "sdtContent"
COMMENT_RANGE_START = _W + "commentRangeStart"
COMMENT_RANGE_END = _W + "commentRangeEnd"
COMMENT_REFERENCE = _W + "commentReference"



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
    if piece.editable:
        return piece.node.text or ""
    tag = piece.node.tag
    if tag in (TAB, PTAB):
        return "\t"
    if tag == NO_BREAK_HYPHEN:
        return "-"
    return "\n"


# ---------------------------------------------------------------------------
# Walking document.xml (mirrors ecocheck.loaders.docx._Body/_Inline)


def body_paragraphs(root) -> list[etree._Element]:
    """The body's ``w:p`` elements in the loader's document order."""
    body = root.find(_W + "body")
    return [p for p, _in_table in block_paragraphs(body)] if body is not None else []



def map_paragraph(p) -> ParagraphMap:
    pmap = ParagraphMap(p)
    _inline(p, None, pmap)
    return pmap


def paragraph_maps(root) -> list[ParagraphMap]:
    return [map_paragraph(p) for p in body_paragraphs(root)]


def _inline(parent, revision: str | None, pmap: ParagraphMap) -> None:
    for c in parent:
        tag = c.tag
        if tag == R:
            _run(c, revision, pmap)
        elif tag in INLINE_TRANSPARENT:
            _inline(c, revision, pmap)
        elif tag == SDT:
            content = c.find(SDT_CONTENT)
            if content is not None:
                _inline(content, revision, pmap)
        elif tag == INS or tag == MOVE_TO:
            _inline(c, "ins", pmap)
        # w:del / w:moveFrom: deleted text is not paragraph text


def _run(r, revision: str | None, pmap: ParagraphMap) -> None:
    pos = pmap.length
    start = pos
    for c in r:
        tag = c.tag
        n = 0
        editable = False
        if tag == T:
            n = len(c.text or "")
            editable = True
        elif tag in (TAB, PTAB, CR, NO_BREAK_HYPHEN):
            n = 1
        elif tag == BR and c.get(TYPE) in (None, "textWrapping"):
            n = 1
        if n:
            pmap.pieces.append(Piece(pos, pos + n, r, c, editable))
            pos += n
    if pos > start:
        pmap.runs.append(RunSpan(r, start, pos, revision))


# ---------------------------------------------------------------------------
# Run surgery


def _text_length(el) -> int:
    tag = el.tag
    if tag == T:
        return len(el.text or "")
    if tag in (TAB, PTAB, CR, NO_BREAK_HYPHEN):
        return 1
    if tag == BR and el.get(TYPE) in (None, "textWrapping"):
        return 1
    return 0


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


# ---------------------------------------------------------------------------
# The package


class Package:
    """The entries of a .docx zip, editable by part name, written back faithfully."""

    def __init__(self, data: bytes):
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self.infos = [i for i in self._zip.infolist()]
        self._by_key = {part_key(i.filename): i.filename for i in self.infos}
        self.changed: dict[str, bytes] = {}
        self.added: list[str] = []

    def name(self, part: str) -> str | None:
        """The stored name of ``part`` (zip names are matched as OPC matches part names, :func:`part_key`)."""
        if part in self.changed:
            return part
        return self._by_key.get(part_key(part))

    def read(self, part: str) -> bytes | None:
        name = self.name(part)
        if name is None:
            return None
        if name in self.changed:
            return self.changed[name]
        return self._member(name)

    def _member(self, name: str) -> bytes:
        """A part's stored bytes; a damaged entry (the loader never read it) is a LoadError."""
        try:
            return self._zip.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            from ecocheck.errors import E_CORRUPT, LoadError

            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise LoadError(E_CORRUPT, f"文件中的 {name} 已损坏（{reason}），无法写出修改后的文档；"
                                       "请用 Word/WPS 打开修复并另存为 .docx 后再试") from None

    def parse(self, part: str):
        data = self.read(part)
        return None if data is None else parse_xml(data, part)

    def write(self, part: str, data: bytes) -> None:
        name = self.name(part)
        if name is None:
            name = part
            self.added.append(part)
        self.changed[name] = data

    def write_xml(self, part: str, root) -> None:
        self.write(part, serialize(root))

    def relationships(self, source: str) -> tuple[str, etree._Element | None]:
        """(rels part name, parsed rels root or None) of ``source``."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        return rels, self.parse(rels)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zout:
            zout.comment = self._zip.comment
            for info in self.infos:
                data = self.changed.get(info.filename)
                if data is None:
                    data = self._member(info.filename)
                zout.writestr(_clone_info(info), data)
            for name in self.added:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(info, self.changed[name])
        return out.getvalue()


def _clone_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = info.compress_type
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    new.comment = info.comment
    return new


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
