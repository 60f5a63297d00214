"""WordprocessingML plumbing of the format rules: units, value parsing and fields.

Names, the paragraph order and the text of runs come from ecocheck's OOXML layer
(:mod:`ecocheck.ooxml`), which the loader walks with: a ``w:p`` of the loader's record
(``Document.meta["paragraph_elements"]``) and the ``w:r`` of a loaded run (``Run.element``) are
the elements the rules read.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecocheck.ooxml.names import INLINE_TRANSPARENT, INS, MOVE_TO, w
from ecocheck.ooxml.walk import run_text

# Inline wrappers a field may sit in: the text walk's, and tracked insertions.
FIELD_TRANSPARENT = INLINE_TRANSPARENT | {INS, MOVE_TO}

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


def child(el, tag: str):
    """The first child element of ``el`` named ``tag``: ``el.find(tag)`` without lxml's path parser."""
    for c in el:
        if c.tag == tag:
            return c
    return None


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
            elif tag in FIELD_TRANSPARENT:
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
