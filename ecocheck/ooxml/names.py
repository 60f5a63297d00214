"""WordprocessingML and package names: namespaces, Clark names of the elements and attributes
ecocheck reads, and what the walkers look through.

Every reader and writer of a .docx (the loader, the fixer, the annotator, the GB/T 9704 plugin)
takes its names from here, so that they agree on what is a paragraph, a run and its text.
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
W = "{%s}" % W_NS
A = "{%s}" % A_NS
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
RELATIONSHIP = "{%s}Relationship" % REL_NS


def w(tag: str) -> str:
    """``w:tag`` as a Clark name (element or attribute)."""
    return W + tag


# attributes
VAL, ID, AUTHOR, DATE, TYPE = (w(t) for t in ("val", "id", "author", "date", "type"))
STYLE_ID, DEFAULT = w("styleId"), w("default")

# block level
DOCUMENT, BODY, P, PPR, SECT_PR = (w(t) for t in ("document", "body", "p", "pPr", "sectPr"))
TBL, TR, TC = w("tbl"), w("tr"), w("tc")
SDT, SDT_CONTENT = w("sdt"), w("sdtContent")
PSTYLE, NUMPR, ILVL, NUMID = (w(t) for t in ("pStyle", "numPr", "ilvl", "numId"))
JC, IND, SPACING, OUTLINE_LVL = (w(t) for t in ("jc", "ind", "spacing", "outlineLvl"))

# runs and their content
R, RPR, T, DEL_TEXT = w("r"), w("rPr"), w("t"), w("delText")
TAB, PTAB, BR, CR, NO_BREAK_HYPHEN = (w(t) for t in ("tab", "ptab", "br", "cr", "noBreakHyphen"))
RSTYLE, B, I, RFONTS, SZ, HIGHLIGHT, SHD = (w(t) for t in ("rStyle", "b", "i", "rFonts", "sz", "highlight", "shd"))

# revisions and comments
INS, DEL, MOVE_TO, MOVE_FROM = (w(t) for t in ("ins", "del", "moveTo", "moveFrom"))
COMMENT = w("comment")
COMMENT_RANGE_START, COMMENT_RANGE_END = w("commentRangeStart"), w("commentRangeEnd")
COMMENT_REFERENCE = w("commentReference")

# styles
STYLE, NAME, BASED_ON = w("style"), w("name"), w("basedOn")

#: inline wrappers whose content is ordinary paragraph content
INLINE_TRANSPARENT = frozenset(w(t) for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo",
                                               "sdtContent"))
#: block wrappers whose content is ordinary body content
BLOCK_TRANSPARENT = frozenset(w(t) for t in ("customXml", "ins", "moveTo", "sdtContent"))
#: row/cell wrappers inside tables
TABLE_TRANSPARENT = frozenset(w(t) for t in ("sdt", "sdtContent", "customXml"))

#: the text of a run's children other than w:t (w:br only when it is a line break: textWrapping or no type)
ATOM_TEXT = {TAB: "\t", PTAB: "\t", BR: "\n", CR: "\n", NO_BREAK_HYPHEN: "-"}

ON_OFF_FALSE = frozenset(("0", "false", "off", "none"))


def on_off(val: str | None) -> bool:
    """The value of an ST_OnOff element (``w:b``…) whose ``w:val`` is ``val``: absent means on."""
    return val is None or val.strip().lower() not in ON_OFF_FALSE
