"""styles.xml: styles by id, read as they are asked for, and the part cut down to the styles in use.

Both readers of styles.xml -- the loader (style names, list numbering of styles) and the GB/T
9704 plugin (effective formatting) -- look styles up by id only, through :func:`index_styles`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .names import BASED_ON, DEFAULT, ILVL, NAME, NUMID, NUMPR, PPR, STYLE, STYLE_ID, TYPE, VAL, W_NS

__all__ = ["StyleLookup", "index_styles", "styles_subset", "style_name", "style_based_on", "style_num_pr",
           "num_pr", "to_int"]

# python-docx reports these built-in styles under their UI names (BabelFish).
_UI_STYLE_NAMES = {f"heading {n}": f"Heading {n}" for n in range(1, 10)}
_UI_STYLE_NAMES.update({"caption": "Caption", "footer": "Footer", "header": "Header"})


class StyleLookup:
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


def style_name(el, style_id: str) -> str:
    name_el = el.find(NAME)
    name = name_el.get(VAL) if name_el is not None else None
    return _UI_STYLE_NAMES.get(name, name) if name else style_id


def style_based_on(el, _style_id: str) -> str | None:
    based = el.find(BASED_ON)
    return (based.get(VAL) or None) if based is not None else None


def style_num_pr(el, _style_id: str) -> tuple[str | None, int | None] | None:
    ppr = el.find(PPR)
    numpr = ppr.find(NUMPR) if ppr is not None else None
    return num_pr(numpr) if numpr is not None else None


def index_styles(root) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``w:style`` elements of a styles.xml tree by id -- of two definitions with one id the
    first counts, as for Word and python-docx -- and the default style's id per style type
    (``paragraph``, ``character``, …).  Shared by the loader and the GB/T 9704 plugin."""
    elements: dict[str, Any] = {}
    defaults: dict[str, str] = {}
    for el in root.iterchildren(STYLE):
        sid = el.get(STYLE_ID)
        if not sid:
            continue
        elements.setdefault(sid, el)
        if (el.get(DEFAULT) or "").lower() in ("1", "true", "on"):
            defaults.setdefault(el.get(TYPE) or "paragraph", sid)
    return elements, defaults


# -- styles.xml, only the styles in use ---------------------------------------
#
# A template defines far more styles than a document uses: python-docx's (and every file made
# with it) carries 164 in 350 KB, whose parse is the largest single cost of loading a short
# report (bench/RESULTS.md).  Both readers of styles.xml -- the loader and the GB/T 9704 plugin
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


def to_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def num_pr(numpr) -> tuple[str | None, int | None]:
    num_id = ilvl = None
    for c in numpr:
        if c.tag == NUMID:
            num_id = c.get(VAL)
        elif c.tag == ILVL:
            ilvl = to_int(c.get(VAL))
    return num_id, ilvl


