"""WordprocessingML plumbing: names, units, and walkers that mirror ecocheck's loader.

The loader (``ecocheck.loaders.docx``) numbers paragraphs and computes run
offsets in a precise way (tables cell by cell, content controls, tracked
insertions counted, deletions not).  The walkers here repeat that order so a
``w:p`` element can be paired with ``Document.paragraphs[i]`` and a ``w:r``
with the characters it contributes.  The pairing is verified by text: a
paragraph whose text does not match is left alone by the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
W = "{%s}" % W_NS
A = "{%s}" % A_NS


def w(tag: str) -> str:
    """Clark name of a ``w:`` element or attribute."""
    return W + tag


VAL = w("val")

# Clark names used on hot paths (every paragraph and run of the body)
_SDT, _SDT_CONTENT = w("sdt"), w("sdtContent")
_R, _T, _TAB, _PTAB, _BR, _CR, _NO_BREAK_HYPHEN, _TYPE = (
    w(t) for t in ("r", "t", "tab", "ptab", "br", "cr", "noBreakHyphen", "type"))

# Inline wrappers whose content is ordinary paragraph content (as in the loader).
INLINE_TRANSPARENT = frozenset(w(t) for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo",
                                               "sdtContent", "ins", "moveTo"))
INLINE_SKIPPED = frozenset(w(t) for t in ("del", "moveFrom"))

ON_OFF_FALSE = frozenset(("0", "false", "off", "none"))

TWIPS_PER_PT = 20
TWIPS_PER_MM = 1440 / 25.4


def twips_to_mm(value: float) -> float:
    return value / TWIPS_PER_MM


def to_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(round(float(value.strip())))
    except (ValueError, OverflowError):  # "abc", "nan", "1e999"
        return None


def on_off(val: str | None) -> bool:
    """Value of an ST_OnOff element such as ``w:b`` whose ``w:val`` is ``val``: absent means on."""
    return val is None or val.strip().lower() not in ON_OFF_FALSE


def child(el, tag: str):
    """The first child element of ``el`` named ``tag``: ``el.find(tag)`` without lxml's path parser."""
    for c in el:
        if c.tag == tag:
            return c
    return None


# ---------------------------------------------------------------------------
# Block level: paragraphs in the loader's order


def body_paragraphs(body) -> Iterator[tuple[object, bool]]:
    """``(w:p, in_table)`` for every body paragraph, in ecocheck's paragraph order: the loader's own
    walk (imported here: the rules register without the .docx stack, which the first .docx brings)."""
    from ecocheck.loaders.docx import block_paragraphs

    return block_paragraphs(body)



# ---------------------------------------------------------------------------
# Inline level: runs and their text


@dataclass(slots=True)
class XRun:
    """One ``w:r`` with the text it shows and its offsets in the paragraph text."""

    element: object
    text: str
    start: int
    end: int


def run_text(r) -> str:
    parts: list[str] = []
    for c in r:
        tag = c.tag
        if tag == _T:
            if c.text:
                parts.append(c.text)
        elif tag == _TAB or tag == _PTAB:
            parts.append("\t")
        elif tag == _BR:
            if c.get(_TYPE) in (None, "textWrapping"):
                parts.append("\n")
        elif tag == _CR:
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
    return "".join(parts)


def iter_runs(p) -> list:
    """Every ``w:r`` shown in paragraph ``p`` (deletions excluded), in order."""
    out: list = []
    _inline(p, out)
    return out


def _inline(parent, out: list) -> None:
    for c in parent:
        tag = c.tag
        if tag == _R:
            out.append(c)
        elif tag == _SDT:
            content = c.find(_SDT_CONTENT)
            if content is not None:
                _inline(content, out)
        elif tag in INLINE_TRANSPARENT:
            _inline(c, out)


def paragraph_runs(p, offset: int = 0) -> tuple[str, list[XRun]]:
    """(text, runs with text) of ``p``; offsets start at ``offset`` (the auto-number label length)."""
    runs: list[XRun] = []
    pos = offset
    pieces: list[str] = []
    for r in iter_runs(p):
        text = run_text(r)
        if not text:
            continue
        runs.append(XRun(r, text, pos, pos + len(text)))
        pieces.append(text)
        pos += len(text)
    return "".join(pieces), runs


# ---------------------------------------------------------------------------
# Fields (page numbers)


@dataclass(slots=True)
class Field:
    """A field in one paragraph: its instruction and where it sits among the runs."""

    instruction: str
    code_runs: list  # w:r elements holding fldChar/instrText (or the fldSimple's runs)
    result_runs: list  # w:r elements showing the field result
    before: str  # paragraph text before the field
    after: str  # paragraph text after the field
    result: str  # the cached result text

    @property
    def name(self) -> str:
        parts = self.instruction.split()
        return parts[0].upper() if parts else ""

    @property
    def format_switches(self) -> list[str]:
        """Arguments of ``\\*`` switches (MERGEFORMAT and CHARFORMAT excluded)."""
        parts = self.instruction.split()
        out = []
        for i, part in enumerate(parts[:-1]):
            if part == "\\*" and parts[i + 1].upper() not in ("MERGEFORMAT", "CHARFORMAT"):
                out.append(parts[i + 1])
        return out


def paragraph_fields(p) -> list[Field]:
    """Top-level fields of a paragraph, simple (``w:fldSimple``) and complex (``w:fldChar``)."""
    # Flatten into a sequence of events: ("run", r, in_simple) / ("simple", el)
    events: list[tuple[str, object]] = []

    def walk(parent, simple):
        for c in parent:
            tag = c.tag
            if tag == w("r"):
                events.append(("run", c, simple))
            elif tag == w("fldSimple"):
                events.append(("simple-begin", c, None))
                walk(c, c)
                events.append(("simple-end", c, None))
            elif tag == w("sdt"):
                content = c.find(w("sdtContent"))
                if content is not None:
                    walk(content, simple)
            elif tag in INLINE_TRANSPARENT:
                walk(c, simple)

    walk(p, None)
    fields: list[Field] = []
    text_parts: list[str] = []  # shown text, in order
    stack: list[dict] = []  # open complex fields
    simple_open: dict | None = None
    for kind, el, _simple in events:
        if kind == "simple-begin":
            simple_open = {"instr": el.get(w("instr")) or "", "code": [], "result": [], "start": len(text_parts),
                           "result_text": []}
            continue
        if kind == "simple-end":
            if simple_open is not None and not stack:
                fields.append(_finish(simple_open, text_parts))
                fields[-1].code_runs = list(simple_open["result"])
            simple_open = None
            continue
        r = el
        shown = run_text(r)
        fld_char = r.find(w("fldChar"))
        instr = [t.text or "" for t in r.findall(w("instrText"))]
        if fld_char is not None:
            ftype = fld_char.get(w("fldCharType"))
            if ftype == "begin":
                stack.append({"instr": "", "code": [r], "result": [], "phase": "code", "start": len(text_parts),
                              "result_text": []})
            elif ftype == "separate" and stack:
                stack[-1]["phase"] = "result"
                stack[-1]["code"].append(r)
            elif ftype == "end" and stack:
                frame = stack.pop()
                frame["code"].append(r)
                if not stack and simple_open is None:
                    fields.append(_finish(frame, text_parts))
            continue
        if stack and instr and stack[-1]["phase"] == "code":
            stack[-1]["instr"] += "".join(instr)
            stack[-1]["code"].append(r)
            continue
        if stack and stack[-1]["phase"] == "code":
            continue  # code text of a nested construct: not shown
        if shown:
            text_parts.append(shown)
            for frame in stack:
                if frame["phase"] == "result":
                    frame["result"].append(r)
                    frame["result_text"].append(shown)
            if simple_open is not None:
                simple_open["result"].append(r)
                simple_open["result_text"].append(shown)
    # fill in the text after each field
    full = "".join(text_parts)
    for f in fields:
        f.after = full[len(f.before) + len(f.result):]
    return fields


def _finish(frame: dict, text_parts: list[str]) -> Field:
    before = "".join(text_parts[:frame["start"]])
    result = "".join(frame["result_text"])
    return Field(instruction=frame["instr"].strip(), code_runs=list(frame["code"]), result_runs=list(frame["result"]),
                 before=before, after="", result=result)
