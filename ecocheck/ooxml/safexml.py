"""XML parsing that never loads DTDs, expands entities or uses the network.

Every part of a package goes through :func:`parse_xml`: a DOCTYPE or entity declaration (in any
of the encodings XML allows) is refused before parsing (E010), malformed XML is E008, and what
libxml2's own limits refuse is E003/E009 -- one-line Chinese messages, never a traceback.
"""

from __future__ import annotations

import posixpath

from lxml import etree

from ecocheck.errors import E_CORRUPT, E_TOO_LARGE, E_UNSAFE_XML, E_XML, LoadError

__all__ = ["new_parser", "parse_xml", "has_dtd", "reason"]


def new_parser() -> etree.XMLParser:
    """An lxml parser that never loads DTDs, expands entities or uses the network.

    ``huge_tree`` lifts libxml2's 10 MB cap on one text node (a long paragraph
    in a single ``w:t`` is valid) and raises its depth cap from 256 to 2048.
    What it would otherwise guard against is handled here: every part is
    size-capped before parsing (:mod:`ecocheck.ooxml.package`), DOCTYPE/entity declarations
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
    if has_dtd(data):
        raise _unsafe_xml(label)
    try:
        root = etree.fromstring(data, parser if parser is not None else new_parser())
    except etree.XMLSyntaxError as exc:
        why = reason(exc)
        if "Excessive depth" in why:
            raise LoadError(E_CORRUPT, f"{label} 的结构嵌套过深，无法读取；请在 Word/WPS 中另存为 .docx 后再检查") from None
        if "amplification" in why or "Resource limit" in why:
            raise LoadError(E_TOO_LARGE, f"{label} 超出解析的资源上限（{why}），拒绝读取；请确认文件来源，"
                            "或在 Word/WPS 中另存为 .docx 后再检查") from None
        where = f"第 {exc.lineno} 行：" if exc.lineno else ""
        raise LoadError(
            E_XML,
            f"{label} 不是合法的 XML（{where}{why}），文件可能已损坏；请用 Word/WPS 打开并另存为 .docx 后再检查",
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _unsafe_xml(label)
    return root


def has_dtd(data: bytes) -> bool:
    # Fast path: ten substring scans read a large document.xml ten times, while finding its
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


def reason(exc: BaseException) -> str:
    """The first line of an exception's message (its type when it has none)."""
    text = str(exc).splitlines()[0].strip() if str(exc) else ""
    return text or type(exc).__name__
