"""Load a .docx file into the ecocheck data model.

The loader reads the zip parts itself and parses them with a locked-down lxml
parser; python-docx is only opened on demand (:func:`native_docx`) for format
plugins.  Everything that can go wrong with an untrusted file -- empty file,
legacy or encrypted OLE container, broken zip, zip bomb, DOCTYPE/entity
tricks, malformed XML -- becomes a :class:`~ecocheck.errors.LoadError` with an
E code and a one-line Chinese message.  Nothing here writes to the input file.

Text model (what a reader sees in Word with revisions shown as final):

* ``w:t`` text, ``w:tab``/``w:ptab`` -> "\\t", line breaks (``w:br`` of type
  textWrapping, ``w:cr``) -> "\\n", ``w:noBreakHyphen`` -> "-"; page and column
  breaks, symbols (``w:sym``), field instructions (``w:instrText``), drawings
  and footnote marks contribute nothing;
* tracked insertions (``w:ins``, ``w:moveTo``) are text and are recorded as
  ``Revision(kind="ins")``; tracked deletions (``w:del``, ``w:moveFrom``) are
  not text and are recorded as ``Revision(kind="del")`` at the offset where
  they sit;
* Word automatic numbering labels are rendered (see :mod:`.numbering`) and
  prepended to the paragraph text.

Paragraphs are the body's ``w:p`` in document order, table cells included
(``Paragraph.table = (table no, row, cell)``, all 0-based, nested tables
numbered in document order), as well as paragraphs inside content controls
and block-level insertions; headers, footers and text boxes are not body
text.  ``Paragraph.props`` may carry ``ind_*``/``spacing_*``/``outline_level``
(raw twips / hundredths of a character) and, for numbered paragraphs,
``num_id``, ``num_level``, ``num_format``, ``num_value``.

``Document.meta``: ``parts`` (raw bytes of document, styles, numbering,
settings, theme, comments, header and footer parts, by part name),
``main_part``, ``footers``/``headers`` (their texts, one string each),
``xml`` (the parsed parts) and ``paragraph_elements`` (the ``w:p`` of every
paragraph, in paragraph order, from ``xml[main_part]``).  Every body ``Run``
but the numbering label keeps its ``w:r`` as ``Run.element``, so a format
plugin pairs paragraphs and runs with their XML without walking it again.
The elements are read-only.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ecocheck.errors import (
    E_CORRUPT,
    E_EMPTY,
    E_ENCRYPTED,
    E_LEGACY,
    E_NOT_FOUND,
    E_TOO_LARGE,
    E_UNSAFE_XML,
    E_UNSUPPORTED,
    E_XML,
    LoadError,
)
from ecocheck.loaders.numbering import ListNumbering, NumberingDefinitions, StyleNumbering
from ecocheck.model import Comment, Document, Paragraph, Revision, Run

__all__ = ["Limits", "DEFAULT_LIMITS", "load_docx", "native_docx", "parse_xml", "new_parser"]


# ---------------------------------------------------------------------------
# Limits


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits applied before and while inflating a .docx.

    Sizes are uncompressed bytes.  Declared sizes (zip directory) are checked
    for every entry before anything is inflated, because python-docx (format
    plugins) loads every part; what is actually inflated is capped as well,
    since declared sizes can lie.  The ratio check refuses entries that
    inflate suspiciously well: ordinary WordprocessingML compresses 5-80:1,
    deflate bombs approach 1000:1.  Configurable through ``limits`` in the
    configuration (``Limits(**config.limits)``).
    """

    max_part_bytes: int = 64 * 1024 * 1024  # one part
    max_total_bytes: int = 256 * 1024 * 1024  # all parts together
    max_ratio: int = 400  # uncompressed/compressed, for entries larger than ratio_floor_bytes
    ratio_floor_bytes: int = 1024 * 1024
    max_entries: int = 10_000  # zip entries
    max_text_bytes: int = 64 * 1024 * 1024  # .txt/.md files (read by the text loader)
    rule_seconds: int = 60  # one rule on one document (enforced by ecocheck.engine.timelimit, not here)


DEFAULT_LIMITS = Limits()

_CHUNK = 256 * 1024


# ---------------------------------------------------------------------------
# WordprocessingML names

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_W = "{%s}" % W_NS
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_VAL = _W + "val"
_ID = _W + "id"
_AUTHOR = _W + "author"
_DATE = _W + "date"
_TYPE = _W + "type"

_DOCUMENT = _W + "document"
_BODY = _W + "body"
_P = _W + "p"
_PPR = _W + "pPr"
_PSTYLE = _W + "pStyle"
_NUMPR = _W + "numPr"
_ILVL = _W + "ilvl"
_NUMID = _W + "numId"
_JC = _W + "jc"
_IND = _W + "ind"
_SPACING = _W + "spacing"
_OUTLINE_LVL = _W + "outlineLvl"
_R = _W + "r"
_RPR = _W + "rPr"
_T = _W + "t"
_DEL_TEXT = _W + "delText"
_TAB = _W + "tab"
_PTAB = _W + "ptab"
_BR = _W + "br"
_CR = _W + "cr"
_NO_BREAK_HYPHEN = _W + "noBreakHyphen"
_RSTYLE = _W + "rStyle"
_B = _W + "b"
_I = _W + "i"
_RFONTS = _W + "rFonts"
_SZ = _W + "sz"
_HIGHLIGHT = _W + "highlight"
_SHD = _W + "shd"
_INS = _W + "ins"
_DEL = _W + "del"
_MOVE_TO = _W + "moveTo"
_MOVE_FROM = _W + "moveFrom"
_SDT = _W + "sdt"
_SDT_CONTENT = _W + "sdtContent"
_TBL = _W + "tbl"
_TR = _W + "tr"
_TC = _W + "tc"
_COMMENT = _W + "comment"
_COMMENT_RANGE_START = _W + "commentRangeStart"
_COMMENT_RANGE_END = _W + "commentRangeEnd"
_COMMENT_REFERENCE = _W + "commentReference"
_STYLE = _W + "style"
_STYLE_ID = _W + "styleId"
_NAME = _W + "name"
_BASED_ON = _W + "basedOn"
_DEFAULT = _W + "default"

# Inline wrappers whose content is ordinary paragraph content.
INLINE_TRANSPARENT = frozenset(
    _W + t for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo", "sdtContent")
)
# Block wrappers whose content is ordinary body content.
BLOCK_TRANSPARENT = frozenset(_W + t for t in ("customXml", "ins", "moveTo", "sdtContent"))
# Row/cell wrappers inside tables.
TABLE_TRANSPARENT = frozenset(_W + t for t in ("sdt", "sdtContent", "customXml"))

_ON_OFF_FALSE = frozenset(("0", "false", "off", "none"))

# python-docx reports these built-in styles under their UI names (BabelFish).
_UI_STYLE_NAMES = {f"heading {n}": f"Heading {n}" for n in range(1, 10)}
_UI_STYLE_NAMES.update({"caption": "Caption", "footer": "Footer", "header": "Header"})

_MAIN_PART = "word/document.xml"
_RT_OFFICE_DOCUMENT = "officeDocument"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


# ---------------------------------------------------------------------------
# Public API


def load_docx(path: str, limits: Limits | None = None) -> Document:
    """Read a .docx file into a :class:`Document`.

    Raises :class:`LoadError` (never anything else) when the file cannot be
    read safely; the input file is only ever opened for reading.
    """
    try:
        return _load(str(path), limits or DEFAULT_LIMITS)
    except LoadError:
        raise
    except MemoryError:
        raise LoadError(E_TOO_LARGE, "文档过大，内存不足，请拆分文档后再检查") from None
    except RecursionError:
        raise LoadError(E_CORRUPT, "文档结构嵌套过深，无法读取；请在 Word/WPS 中另存为 .docx 后再检查") from None
    except Exception as exc:  # noqa: BLE001 - every failure must become an E finding
        raise LoadError(
            E_CORRUPT,
            f"无法读取该 .docx 文件（{type(exc).__name__}），请用 Word/WPS 打开并另存为 .docx 后再检查",
        ) from exc


def native_docx(document: Document):
    """The python-docx ``Document`` for a loaded .docx, opened on first use.

    Format plugins call this; it is cached in ``document.native``.  The file
    has already passed :func:`load_docx`'s safety checks.
    """
    if document.native is None:
        if document.format != "docx":
            raise ValueError(f"not a .docx document: {document.path}")
        import docx  # python-docx; imported lazily, it is slow to import

        try:
            document.native = docx.Document(document.path)
        except Exception as exc:  # noqa: BLE001
            raise LoadError(
                E_CORRUPT,
                f"python-docx 无法打开该文件（{type(exc).__name__}），请用 Word/WPS 另存为 .docx 后再检查",
            ) from exc
    return document.native


def new_parser() -> etree.XMLParser:
    """An lxml parser that never loads DTDs, expands entities or uses the network.

    ``huge_tree`` lifts libxml2's 10 MB cap on one text node (a long paragraph
    in a single ``w:t`` is valid) and raises its depth cap from 256 to 2048.
    What it would otherwise guard against is handled here: every part is
    size-capped before parsing (:class:`Limits`), DOCTYPE/entity declarations
    are refused before parsing, and libxml2 keeps its entity amplification
    check.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        load_dtd=False,
        dtd_validation=False,
        collect_ids=False,
    )


_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
#: what precedes the "!" of every marker above, in some encoding: "<" and 0, 1 or 3 NUL bytes
_DTD_BEFORE_BANG = (b"<", b"<\x00", b"<\x00\x00\x00")
#: how many "!" _has_dtd looks at one by one before scanning for the markers instead
_DTD_BANGS_CHECKED = 64


def parse_xml(data: bytes, part: str, parser: etree.XMLParser | None = None):
    """Parse one package part safely; DOCTYPE/entities -> E_UNSAFE_XML, bad XML -> E_XML."""
    label = posixpath.basename(part) or part
    if _has_dtd(data):
        raise _unsafe_xml(label)
    try:
        root = etree.fromstring(data, parser if parser is not None else new_parser())
    except etree.XMLSyntaxError as exc:
        reason = _reason(exc)
        if "Excessive depth" in reason:
            raise LoadError(E_CORRUPT, f"{label} 的结构嵌套过深，无法读取；请在 Word/WPS 中另存为 .docx 后再检查") from None
        if "amplification" in reason or "Resource limit" in reason:
            raise LoadError(E_TOO_LARGE, f"{label} 超出解析的资源上限（{reason}），拒绝读取；请确认文件来源，"
                            "或在 Word/WPS 中另存为 .docx 后再检查") from None
        where = f"第 {exc.lineno} 行：" if exc.lineno else ""
        raise LoadError(
            E_XML,
            f"{label} 不是合法的 XML（{where}{reason}），文件可能已损坏；请用 Word/WPS 打开并另存为 .docx 后再检查",
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _unsafe_xml(label)
    return root


# ---------------------------------------------------------------------------
# Container checks


def _has_dtd(data: bytes) -> bool:
    # Fast path: ten substring scans cost ~0.7 ms on a 300 KB document.xml, while finding its
    # few "!" is a memchr each.  When none of them is preceded as a marker's "!" is, there is
    # no marker; an "!" that is (a comment, CDATA) or very many "!" mean the full scan.
    pos = data.find(b"!")
    for _ in range(_DTD_BANGS_CHECKED):
        if pos == -1:
            return False
        if data[max(pos - 4, 0):pos].endswith(_DTD_BEFORE_BANG):
            break
        pos = data.find(b"!", pos + 1)
    return any(marker in data for marker in _DTD_MARKERS)


def _unsafe_xml(label: str) -> LoadError:
    return LoadError(
        E_UNSAFE_XML,
        f"{label} 含有 DOCTYPE/实体声明，出于安全考虑拒绝读取；请在 Word/WPS 中另存为 .docx 后再检查",
    )


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} 字节"


def _too_large(what: str, size: int, limit: int) -> LoadError:
    return LoadError(
        E_TOO_LARGE,
        f"{what}解压后达 {_size(size)}，超过上限 {_size(limit)}（疑似压缩炸弹）；请确认文件来源，或拆分文档后再检查",
    )


def _corrupt(reason: str) -> LoadError:
    return LoadError(E_CORRUPT, f"文件已损坏（{reason}），请用 Word/WPS 打开修复并另存为 .docx 后再检查")


def _sniff(f) -> None:
    """Reject files that are not zip containers, with the most helpful message."""
    head = f.read(8)
    if not head:
        raise LoadError(E_EMPTY, "文件为空（0 字节），请确认文件已正确保存后再检查")
    if head == _OLE_MAGIC:
        if _ole_is_encrypted(f):
            raise LoadError(E_ENCRYPTED, "文档已加密，请解除密码保护后再检查")
        raise LoadError(E_LEGACY, "这是旧版 .doc/.wps 文件，请在 Word/WPS 中另存为 .docx 后再检查")
    if head.startswith(b"{\\rtf"):
        raise LoadError(E_UNSUPPORTED, "这是 RTF 文件，请在 Word/WPS 中另存为 .docx 后再检查")
    if head[:4] not in _ZIP_MAGICS:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped.startswith(b"<?xml") or stripped.startswith(b"<"):
            raise LoadError(E_UNSUPPORTED, "这是 XML/网页格式的文件，不是 .docx；请在 Word/WPS 中另存为 .docx 后再检查")
        raise LoadError(E_CORRUPT, "不是有效的 .docx 文件（不是 zip 格式），请在 Word/WPS 中另存为 .docx 后再检查")
    f.seek(0)


def _ole_is_encrypted(f) -> bool:
    """An OOXML file protected by a password is an OLE container with an EncryptedPackage stream."""
    needle = "EncryptedPackage".encode("utf-16-le")
    f.seek(0)
    tail = b""
    while True:
        chunk = f.read(1024 * 1024)
        if not chunk:
            return False
        if needle in tail + chunk:
            return True
        tail = chunk[-(len(needle) - 1):]


def part_key(name: str) -> str:
    """What two zip entry names must share to name the same part: OPC compares part names as
    case-insensitive ASCII after percent-decoding (ECMA-376 Part 2, 9.1.1.1)."""
    if "%" in name:
        name = unquote(name)
    return name.lower()


def _check_declared(zf: zipfile.ZipFile, limits: Limits) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise LoadError(E_TOO_LARGE, f"压缩包内有 {len(infos)} 个条目，超过上限 {limits.max_entries}，请确认文件来源后再检查")
    seen: dict[str, str] = {}
    for info in infos:
        # two entries for one part (word/document.xml and Word/Document.xml, a %-encoded twin or an
        # exact duplicate): readers disagree on which one counts, so one could show ecocheck a decoy
        if info.is_dir():
            continue
        key = part_key(info.filename)
        first = seen.get(key)
        if first is None:
            seen[key] = info.filename
        else:
            raise LoadError(E_CORRUPT, f"压缩包中 {first} 与 {info.filename} 是同一部件的两个副本（名称仅大小写或编码不同），"
                                       "不同软件显示的内容可能不同，拒绝读取；请用 Word/WPS 另存为 .docx 后再检查")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise LoadError(E_ENCRYPTED, "文档已加密，请解除密码保护后再检查")
        size = info.file_size
        if size > limits.max_part_bytes:
            raise _too_large(f"{info.filename} ", size, limits.max_part_bytes)
        if size > limits.ratio_floor_bytes and size > limits.max_ratio * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise LoadError(
                E_TOO_LARGE,
                f"{info.filename} 压缩比达 {ratio}:1（解压后 {_size(size)}），超过上限 {limits.max_ratio}:1（疑似压缩炸弹）；请确认文件来源后再检查",
            )
        total += size
        if total > limits.max_total_bytes:
            raise _too_large("文档各部分合计", total, limits.max_total_bytes)


def _read_capped(stream, name: str, cap: int, what: str | None = None) -> bytes:
    """Read ``stream`` in chunks, refusing to inflate more than ``cap`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            raise _too_large(what or f"{name} ", size, cap)
        chunks.append(chunk)


class _Package:
    """Size-capped access to the parts of an open zip, by case-insensitive name."""

    def __init__(self, zf: zipfile.ZipFile, limits: Limits):
        self.zf = zf
        self.limits = limits
        self.read_total = 0
        self.parser = new_parser()
        self.roots: dict[str, Any] = {}  # part name -> parsed root, parsed once
        self._names = {part_key(info.filename): info for info in zf.infolist() if not info.is_dir()}

    def has(self, name: str) -> bool:
        return part_key(name) in self._names

    def names(self) -> list[str]:
        return [info.filename for info in self._names.values()]

    def read(self, name: str) -> bytes | None:
        info = self._names.get(part_key(name))
        if info is None:
            return None
        remaining = self.limits.max_total_bytes - self.read_total
        with self.zf.open(info) as stream:
            if remaining < self.limits.max_part_bytes:
                data = _read_capped(stream, info.filename, remaining, "文档各部分合计")
            else:
                data = _read_capped(stream, info.filename, self.limits.max_part_bytes)
        self.read_total += len(data)
        return data

    def parse(self, name: str, data: bytes):
        root = self.roots.get(name)
        if root is None:
            root = self.roots[name] = parse_xml(data, name, self.parser)
        return root

    def relationships(self, source: str) -> list[tuple[str, str]]:
        """(type suffix, target part name) for the internal relationships of ``source``."""
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        data = self.read(rels_name)
        if data is None:
            return []
        root = self.parse(rels_name, data)
        out = []
        for rel in root.iter(_REL_NS + "Relationship"):
            if (rel.get("TargetMode") or "").lower() == "external":
                continue
            rtype = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            if not target:
                continue
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join(folder, target))
            out.append((rtype, part))
        return out


# ---------------------------------------------------------------------------
# Styles


class _StyleLookup:
    """One fact about a style (its UI name, parent, numbering), read from its w:style element the
    first time it is asked for: a document uses a handful of the ~160 styles a template defines,
    so styles.xml is indexed, not walked in full.  Quacks like the dict ``StyleNumbering`` expects."""

    __slots__ = ("_elements", "_read", "_memo")

    def __init__(self, elements: dict[str, Any], read: Callable[[Any, str], Any]):
        self._elements = elements
        self._read = read
        self._memo: dict[str, Any] = {}

    def get(self, style_id: str, default: Any = None) -> Any:
        try:
            value = self._memo[style_id]
        except KeyError:
            el = self._elements.get(style_id)
            value = self._memo[style_id] = self._read(el, style_id) if el is not None else None
        return default if value is None else value


def _style_name(el, style_id: str) -> str:
    name_el = el.find(_NAME)
    name = name_el.get(_VAL) if name_el is not None else None
    return _UI_STYLE_NAMES.get(name, name) if name else style_id


def _style_based_on(el, _style_id: str) -> str | None:
    based = el.find(_BASED_ON)
    return (based.get(_VAL) or None) if based is not None else None


def _style_num_pr(el, _style_id: str) -> tuple[str | None, int | None] | None:
    ppr = el.find(_PPR)
    numpr = ppr.find(_NUMPR) if ppr is not None else None
    return _num_pr(numpr) if numpr is not None else None


def index_styles(root) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``w:style`` elements of a styles.xml tree by id -- of two definitions with one id the
    first counts, as for Word and python-docx -- and the default style's id per style type
    (``paragraph``, ``character``, …).  Shared by this loader and the GB/T 9704 plugin."""
    elements: dict[str, Any] = {}
    defaults: dict[str, str] = {}
    for el in root.iterchildren(_STYLE):
        sid = el.get(_STYLE_ID)
        if not sid:
            continue
        elements.setdefault(sid, el)
        if (el.get(_DEFAULT) or "").lower() in ("1", "true", "on"):
            defaults.setdefault(el.get(_TYPE) or "paragraph", sid)
    return elements, defaults


class _Styles:
    """The styles of styles.xml by id (:func:`index_styles`), read as they are asked for."""

    def __init__(self, root=None):
        elements, defaults = index_styles(root) if root is not None else ({}, {})
        self.default_paragraph_id: str | None = defaults.get("paragraph")
        self._names = _StyleLookup(elements, _style_name)
        self.numbering = StyleNumbering(num_pr=_StyleLookup(elements, _style_num_pr),  # type: ignore[arg-type]
                                        based_on=_StyleLookup(elements, _style_based_on))  # type: ignore[arg-type]

    def name(self, style_id: str | None) -> str | None:
        if style_id is None:
            return None
        return self._names.get(style_id, style_id)


# -- styles.xml, only the styles in use ---------------------------------------
#
# A template defines far more styles than a document uses: python-docx's (and every file made
# with it) carries 164 in 350 KB, whose parse is the largest single cost of loading a short
# report (~3.6 ms of ~6).  Both readers of styles.xml -- this loader and the GB/T 9704 plugin
# -- look styles up by id only, so the tree they get may leave out every style nothing refers
# to.  The subset is cut from the bytes: the text before the first <w:style ...> (declaration,
# root, docDefaults, latentStyles), every style that is a default, has no id or is referred to
# (a w:pStyle/w:rStyle/w:tblStyle of the main part, any w:val of the other kept parts, and,
# transitively, any w:val inside a kept style: basedOn, link, next, …), and the text after the
# last one.  Anything that makes that cut uncertain -- another namespace prefix, a comment or
# CDATA section, a <w:style without a following space, text between styles, a reference in
# another form than <w:pStyle w:val="…"/> -- gives None: the caller parses the whole part.
# What is left out is never parsed, so a malformed unused style no longer makes the file
# unreadable (Word would refuse it; its text is still worth checking).

_STYLES_OPEN = b"<w:style "
_STYLES_CLOSE = b"</w:style>"
_W_DECL = b'xmlns:w="' + W_NS.encode() + b'"'
_STYLE_ID_ATTR = re.compile(rb'\sw:styleId="([^"]*)"')
_ANY_VAL = re.compile(rb'\sw:val="([^"]*)"')
# every paragraph/run/table style reference of the main part; group 1 is None for one written
# in a form this does not read (then the subset is not used)
_MAIN_STYLE_REF = re.compile(rb'<w:(?:p|r|tbl)Style(?=[\s/>])(?: w:val="([^"]*)"(?=\s*/>))?')


def styles_subset(styles: bytes, main: bytes, others: Iterable[bytes]) -> bytes | None:
    """styles.xml cut down to the styles in use (see above), or None to parse it whole."""
    first = styles.find(_STYLES_OPEN)
    root = styles.find(b"<w:styles")
    root_end = styles.find(b">", root)
    if first < 0 or root < 0 or root_end < 0 or _W_DECL not in styles[root:root_end] \
            or b"<!--" in styles or b"<![CDATA[" in styles or b"<w:document" not in main[:4096]:
        return None
    others = list(others)
    for data in (styles, *others):
        if data.count(b"w:val") != data.count(b'w:val="'):
            return None  # a reference written w:val='…' or w:val = "…": not read below
    chunks: list[tuple[int, int, bytes | None, bool]] = []  # start, end, id, is a default
    pos = first
    while True:
        start = styles.find(_STYLES_OPEN, pos)
        if start < 0:
            break
        if styles[pos:start].strip():
            return None  # something other than whitespace between two styles
        head_end = styles.find(b">", start)
        if head_end < 0:
            return None
        head = styles[start:head_end + 1]
        if head.endswith(b"/>"):
            end = head_end + 1
        else:
            end = styles.find(_STYLES_CLOSE, head_end)
            if end < 0:
                return None
            end += len(_STYLES_CLOSE)
        if styles.find(b"<w:style", start + 1, end) >= 0:
            return None  # a '>' inside an attribute, or a style that is not what it seems
        sid = _STYLE_ID_ATTR.search(head)
        chunks.append((start, end, sid.group(1) if sid else None, b"w:default" in head))
        pos = end
    tail = styles[pos:]
    if b"<w:style" in tail:
        return None
    wanted: set[bytes] = set()
    for m in _MAIN_STYLE_REF.finditer(main):
        if m.group(1) is None:
            return None
        wanted.add(m.group(1))
    for data in others:
        wanted.update(_ANY_VAL.findall(data))
    by_id: dict[bytes | None, list[int]] = {}
    for k, (_, _, sid, _) in enumerate(chunks):
        by_id.setdefault(sid, []).append(k)
    keep: set[int] = set()
    todo = [k for k, (_, _, sid, default) in enumerate(chunks) if default or sid is None or sid in wanted]
    while todo:
        k = todo.pop()
        if k in keep:
            continue
        keep.add(k)
        start, end = chunks[k][0], chunks[k][1]
        for ref in _ANY_VAL.findall(styles, start, end):
            todo.extend(by_id.get(ref, ()))
    if len(keep) == len(chunks):
        return styles
    return b"".join([styles[:first], *(styles[a:b] for k, (a, b, _, _) in enumerate(chunks) if k in keep), tail])


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def _num_pr(numpr) -> tuple[str | None, int | None]:
    num_id = ilvl = None
    for c in numpr:
        if c.tag == _NUMID:
            num_id = c.get(_VAL)
        elif c.tag == _ILVL:
            ilvl = _int(c.get(_VAL))
    return num_id, ilvl


def _on(el) -> bool:
    val = el.get(_VAL)
    return val is None or val.strip().lower() not in _ON_OFF_FALSE


def _half_points(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value) / 2
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Paragraph content


_NO_FORMAT = (None, None, None, None, None, None, None)


def _run_format(rpr, styles: _Styles) -> tuple:
    """Direct formatting of a ``w:rPr``: (style, bold, italic, ascii, eastAsia, size, highlight)."""
    style = bold = italic = font_ascii = font_east_asia = size = highlight = None
    for c in rpr:
        tag = c.tag
        if tag == _RSTYLE:
            style = styles.name(c.get(_VAL))
        elif tag == _B:
            bold = _on(c)
        elif tag == _I:
            italic = _on(c)
        elif tag == _RFONTS:
            font_ascii = c.get(_W + "ascii")
            font_east_asia = c.get(_W + "eastAsia")
        elif tag == _SZ:
            size = _half_points(c.get(_VAL))
        elif tag == _HIGHLIGHT:
            val = c.get(_VAL)
            if val and val != "none":
                highlight = val
        elif tag == _SHD and highlight is None:
            fill = c.get(_W + "fill")
            if fill and fill.lower() not in ("auto", "ffffff"):
                highlight = fill
    return (style, bold, italic, font_ascii, font_east_asia, size, highlight)


def _deleted_text(el) -> str:
    return "".join(t.text or "" for t in el.iter(_DEL_TEXT, _T))


class _Inline:
    """Collects the text of one ``w:p`` (and, in the body, runs/revisions/anchors)."""

    __slots__ = ("index", "body", "parts", "pos", "runs")

    def __init__(self, index: int, body: "_Body | None"):
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

    def walk(self, parent, revision: str | None) -> None:
        for c in parent:
            tag = c.tag
            if tag == _R:
                self._run(c, revision)
            elif tag in INLINE_TRANSPARENT:
                self.walk(c, revision)
            elif tag == _SDT:
                content = c.find(_SDT_CONTENT)
                if content is not None:
                    self.walk(content, revision)
            elif tag == _INS or tag == _MOVE_TO:
                first, start = len(self.parts), self.pos
                self.walk(c, "ins")
                if self.body is not None:
                    text = "".join(self.parts[first:])
                    self.body.revision("ins", c, text, self.index, start, self.pos)
            elif tag == _DEL or tag == _MOVE_FROM:
                if self.body is not None:
                    self.body.revision("del", c, _deleted_text(c), self.index, self.pos, self.pos)
            elif self.body is not None and (tag == _COMMENT_RANGE_START or tag == _COMMENT_RANGE_END):
                self.body.comment_mark(tag, c.get(_ID), self.index, self.pos)

    def _run(self, r, revision: str | None) -> None:
        pieces: list[str] = []
        rpr = None
        for c in r:
            tag = c.tag
            if tag == _T:
                if c.text:
                    pieces.append(c.text)
            elif tag == _RPR:
                rpr = c
            elif tag == _TAB or tag == _PTAB:
                pieces.append("\t")
            elif tag == _BR:
                if c.get(_TYPE) in (None, "textWrapping"):
                    pieces.append("\n")
            elif tag == _CR:
                pieces.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                pieces.append("-")
            elif tag == _COMMENT_REFERENCE and self.body is not None:
                offset = self.pos + sum(len(p) for p in pieces)
                self.body.comment_mark(tag, c.get(_ID), self.index, offset)
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
        if tag == _PSTYLE:
            style_id = c.get(_VAL)
        elif tag == _NUMPR:
            numpr = _num_pr(c)
        elif tag == _JC:
            jc = c.get(_VAL)
        elif tag == _IND:
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
                value = _int(c.get(_W + attr))
                if value is not None:
                    props[key] = value
        elif tag == _SPACING:
            for attr, key in (("line", "spacing_line"), ("before", "spacing_before"), ("after", "spacing_after")):
                value = _int(c.get(_W + attr))
                if value is not None:
                    props[key] = value
            rule = c.get(_W + "lineRule")
            if rule:
                props["spacing_line_rule"] = rule
        elif tag == _OUTLINE_LVL:
            value = _int(c.get(_VAL))
            if value is not None:
                props["outline_level"] = value
    return style_id, numpr, jc, props


class _Body:
    """Walks ``w:body`` in document order, building paragraphs."""

    def __init__(self, styles: _Styles, numbering: ListNumbering | None):
        self.styles = styles
        self.numbering = numbering
        self.paragraphs: list[Paragraph] = []
        self.elements: list[Any] = []  # the w:p of each paragraph
        self.revisions: list[Revision] = []
        self.comment_starts: dict[str, tuple[int, int]] = {}
        self.comment_ends: dict[str, tuple[int, int]] = {}
        self.comment_refs: dict[str, tuple[int, int]] = {}
        self._pending_starts: list[str] = []
        self._tables = 0

    # -- callbacks from _Inline ---------------------------------------------

    def revision(self, kind: str, el, text: str, index: int, start: int, end: int) -> None:
        self.revisions.append(
            Revision(kind=kind, author=el.get(_AUTHOR) or "", text=text, paragraph=index,
                     start=start, end=end, date=el.get(_DATE))
        )

    def comment_mark(self, tag: str, cid: str | None, index: int, offset: int) -> None:
        if cid is None:
            return
        if tag == _COMMENT_RANGE_START:
            self.comment_starts.setdefault(cid, (index, offset))
        elif tag == _COMMENT_RANGE_END:
            self.comment_ends.setdefault(cid, (index, offset))
        else:
            self.comment_refs.setdefault(cid, (index, offset))

    # -- block level ----------------------------------------------------------

    def blocks(self, parent, cell: tuple[int, int, int] | None) -> None:
        for c in parent:
            tag = c.tag
            if tag == _P:
                self.paragraph(c, cell)
            elif tag == _TBL:
                self.table(c)
            elif tag == _SDT:
                content = c.find(_SDT_CONTENT)
                if content is not None:
                    self.blocks(content, cell)
            elif tag in BLOCK_TRANSPARENT:
                self.blocks(c, cell)
            elif tag == _COMMENT_RANGE_START:
                if c.get(_ID) is not None:
                    self._pending_starts.append(c.get(_ID))
            elif tag == _COMMENT_RANGE_END and self.paragraphs:
                last = self.paragraphs[-1]
                self.comment_mark(tag, c.get(_ID), last.index, len(last.text))

    def table(self, tbl) -> None:
        number = self._tables
        self._tables += 1
        for row_no, tr in enumerate(_table_children(tbl, _TR)):
            for cell_no, tc in enumerate(_table_children(tr, _TC)):
                self.blocks(tc, (number, row_no, cell_no))

    def paragraph(self, p, cell: tuple[int, int, int] | None) -> None:
        index = len(self.paragraphs)
        self.elements.append(p)
        style_id, numpr, jc, props = _paragraph_props(next(p.iterchildren(_PPR), None))
        effective_style = style_id if style_id is not None else self.styles.default_paragraph_id
        inline = _Inline(index, self)
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


def _table_children(parent, tag: str):
    """Rows of a table / cells of a row, looking through sdt/customXml wrappers."""
    for c in parent:
        if c.tag == tag:
            yield c
        elif c.tag in TABLE_TRANSPARENT:
            yield from _table_children(c, tag)


def block_paragraphs(parent, in_table: bool = False) -> Iterator[tuple[Any, bool]]:
    """``(w:p, in_table)`` for every paragraph under ``parent``, in the loader's paragraph order:
    tables cell by cell, content controls and other block wrappers looked through.  (``_Body``
    walks the same way, and also keeps comment marks and cell numbers.)  The fixer and the
    GB/T 9704 plugin use this walk so that their paragraphs pair up with the loader's."""
    for c in parent:
        tag = c.tag
        if tag == _P:
            yield c, in_table
        elif tag == _TBL:
            for tr in _table_children(c, _TR):
                for tc in _table_children(tr, _TC):
                    yield from block_paragraphs(tc, True)
        elif tag == _SDT:
            content = c.find(_SDT_CONTENT)
            if content is not None:
                yield from block_paragraphs(content, in_table)
        elif tag in BLOCK_TRANSPARENT:
            yield from block_paragraphs(c, in_table)


def _plain_paragraphs(root) -> list[str]:
    """Texts of the paragraphs under ``root`` (headers, footers, comments), tables included."""
    out: list[str] = []
    for p, _in_table in block_paragraphs(root):
        inline = _Inline(len(out), None)
        inline.walk(p, None)
        out.append(inline.text)
    return out


def _comments(root, body: _Body) -> list[Comment]:
    out: list[Comment] = []
    if root is None:
        return out
    for el in root:
        if el.tag != _COMMENT:
            continue
        cid = el.get(_ID)
        if cid is None:
            continue
        comment = Comment(id=cid, author=el.get(_AUTHOR) or "", text="\n".join(_plain_paragraphs(el)))
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


# ---------------------------------------------------------------------------
# Loading


# Relationship types (last URI segment) whose parts are kept in meta["parts"].
_KEPT_PART_TYPES = ("styles", "numbering", "settings", "theme", "comments", "footer", "header")
_CONVENTIONAL_PART = re.compile(r"^(%s)\d*\.xml$" % "|".join(_KEPT_PART_TYPES), re.IGNORECASE)


def _load(path: str, limits: Limits) -> Document:
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        raise LoadError(E_NOT_FOUND, "找不到文件，请检查路径是否正确") from None
    except IsADirectoryError:
        raise LoadError(E_NOT_FOUND, "这是一个目录而不是文件，请指定 .docx 文件") from None
    except PermissionError:
        raise LoadError(E_NOT_FOUND, "没有读取该文件的权限，请检查文件权限后再检查") from None
    with f:
        if os.fstat(f.fileno()).st_size == 0:
            raise LoadError(E_EMPTY, "文件为空（0 字节），请确认文件已正确保存后再检查")
        _sniff(f)
        try:
            zf = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
            raise _corrupt(f"zip 结构不完整：{_reason(exc)}") from None
        with zf:
            _check_declared(zf, limits)
            try:
                return _read_package(_Package(zf, limits), path)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise _corrupt(f"zip 数据错误：{_reason(exc)}") from None
            except RuntimeError as exc:  # zipfile: "File is encrypted, password required"
                if "encrypted" in str(exc).lower():
                    raise LoadError(E_ENCRYPTED, "文档已加密，请解除密码保护后再检查") from None
                raise
            except NotImplementedError as exc:  # unsupported compression method
                raise _corrupt(f"不支持的压缩方式：{_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0].strip() if str(exc) else ""
    return text or type(exc).__name__


def _read_package(pkg: _Package, path: str) -> Document:
    main = _MAIN_PART
    for rtype, target in pkg.relationships(""):
        if rtype == _RT_OFFICE_DOCUMENT and pkg.has(target):
            main = target
            break
    main_data = pkg.read(main)
    if main_data is None:
        raise LoadError(
            E_CORRUPT,
            "压缩包中没有 word/document.xml，不是 Word 文档；请确认文件类型，或在 Word/WPS 中另存为 .docx 后再检查",
        )
    parts: dict[str, bytes] = {main: main_data}
    root = pkg.parse(main, main_data)
    if root.tag != _DOCUMENT:
        if root.tag == "{%s}document" % STRICT_W_NS:
            raise LoadError(E_UNSUPPORTED, "这是 Strict Open XML 格式的文档，请在 Word 中另存为“Word 文档(*.docx)”后再检查")
        raise _corrupt("document.xml 不是 Word 正文")
    body_el = root.find(_BODY)

    related = _related_parts(pkg, main)
    for rtype in _KEPT_PART_TYPES:
        for name in related.get(rtype, ()):
            data = pkg.read(name)
            if data is not None:
                parts[name] = data
    # styles.xml only as far as the document uses it: its tree is the subset's (pkg.parse below
    # then keeps it); a cut that does not parse leaves the whole part to decide
    name = next((n for n in related.get("styles", ()) if n in parts), None)
    if name is not None:
        subset = styles_subset(parts[name], main_data, (d for n, d in parts.items() if n not in (name, main)))
        if subset is not None and subset is not parts[name]:
            try:
                pkg.roots[name] = parse_xml(subset, name, pkg.parser)
            except LoadError:
                pass
    # parse every kept part now: a malformed settings.xml or theme is one E finding here, not an
    # exception in the format plugin that reads it later
    for name, data in parts.items():
        pkg.parse(name, data)

    def parsed(rtype: str):
        names = [n for n in related.get(rtype, ()) if n in parts]
        return pkg.parse(names[0], parts[names[0]]) if names else None

    styles = _Styles(parsed("styles"))
    numbering_root = parsed("numbering")
    numbering = (
        ListNumbering(NumberingDefinitions.from_xml(numbering_root), styles.numbering)
        if numbering_root is not None
        else None
    )
    body = _Body(styles, numbering)
    if body_el is not None:
        body.blocks(body_el, None)
    body.finish()

    comments = _comments(parsed("comments"), body)
    meta: dict[str, Any] = {
        "parts": parts,
        # parsed (safe) trees of the parts read above; treat as read-only.  styles.xml's holds only the
        # styles in use (styles_subset); meta["parts"] keeps the whole part's bytes
        "xml": pkg.roots,
        "main_part": main,
        "paragraph_elements": body.elements,
        "footers": _story_texts(pkg, parts, related.get("footer", ())),
        "headers": _story_texts(pkg, parts, related.get("header", ())),
    }
    return Document(
        path=path,
        format="docx",
        paragraphs=body.paragraphs,
        encoding=None,
        comments=comments,
        revisions=body.revisions,
        native=None,
        meta=meta,
    )


def _related_parts(pkg: _Package, main: str) -> dict[str, list[str]]:
    """Part names by relationship type for the main document part (sorted, existing)."""
    related: dict[str, list[str]] = {}
    for rtype, target in pkg.relationships(main):
        if pkg.has(target):
            related.setdefault(rtype, []).append(target)
    if not related:
        # No relationships part: fall back to Word's conventional part names
        # (word/styles.xml, word/footer2.xml, word/theme/theme1.xml, ...).
        folder = posixpath.dirname(main)
        for name in pkg.names():
            if posixpath.dirname(name) in (folder, posixpath.join(folder, "theme")):
                m = _CONVENTIONAL_PART.match(posixpath.basename(name))
                if m:
                    related.setdefault(m.group(1), []).append(name)
    for names in related.values():
        names.sort(key=_natural_key)
    return related


def _natural_key(name: str) -> tuple:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (len(digits), digits, name)


def _story_texts(pkg: _Package, parts: dict[str, bytes], names) -> list[str]:
    out = []
    for name in names:
        if name in parts:
            out.append("\n".join(_plain_paragraphs(pkg.parse(name, parts[name]))))
    return out

