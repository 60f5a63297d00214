"""Build .docx fixtures from text, so tests regenerate them (no binary blobs in git).

Function API::

    build_docx(["关于XX的报告", "一、总体评价", "（一）……"], "out.docx", auto_number=True)

CLI::

    python tools/make_docx.py SRC.txt OUT.docx [--auto-number [direct|style]]
        [--title-style Title] [--font 仿宋_GB2312] [--size 16]

``SRC`` is a text file (one paragraph per line) or a .json file holding the
list of paragraph specs described below.

A paragraph spec is a string or a dict with any of:

* ``text``: the paragraph text, or ``runs``: a list of run dicts with
  ``text`` and optional ``bold``, ``italic``, ``highlight`` (w:highlight
  value), ``shading`` (w:shd fill), ``font_ascii``, ``font_east_asia``,
  ``size_pt``, ``style`` (character style name);
* ``style`` (paragraph style name), ``alignment`` (left/center/right/justify/
  distribute);
* ``comment`` (or a list): ``{"author", "text", "initials", "anchor"}`` where
  ``anchor`` is a substring of the paragraph text (default: whole paragraph);
* ``insert`` (or a list): a tracked insertion ``{"author", "text", "date",
  "at": offset | "after": substring}`` (default: at the end);
* ``delete`` (or a list): a tracked deletion ``{"author", "text", "date"}``
  where ``text`` is a substring of the paragraph text that is marked deleted;
* ``table``: a list of rows, each a list of cells; a cell is a string (one
  paragraph), a list of specs (several paragraphs) or a spec dict (which may
  itself be a nested ``table``).

Offsets (``at``, anchors, deletions) refer to the text after any typed
numbering label was stripped by ``auto_number``.

``auto_number``: typed outline labels at the start of a paragraph --
"一、" (level 0), "（一）" (1), "1." (2), "（1）" (3) -- are removed from the
text and replaced by real Word numbering (numbering.xml + w:numPr), so the
document displays exactly as typed.  With ``auto_number="style"`` the
numbering is attached to the paragraph styles Heading 1-4 instead and the
paragraphs get those styles.  A typed value that does not continue the
sequence starts a new list instance with w:startOverride, so the display
still matches the typed text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterable

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

__all__ = ["build_docx", "main", "LEVELS"]

REVISION_DATE = "2024-01-01T00:00:00Z"

# (level, typed label pattern, numFmt, lvlText)
LEVELS = (
    (0, re.compile(r"^([一二三四五六七八九十]+)、"), "chineseCounting", "%1、"),
    (1, re.compile(r"^（([一二三四五六七八九十]+)）"), "chineseCounting", "（%2）"),
    (2, re.compile(r"^(\d+)\.(?!\d)"), "decimal", "%3."),
    (3, re.compile(r"^（(\d+)）"), "decimal", "（%4）"),
)

_CN_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")}

_ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "distribute": WD_ALIGN_PARAGRAPH.DISTRIBUTE,
}

# w:rPr children that must follow w:shd (schema order).
_SHD_SUCCESSORS = ("w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                   "w:eastAsianLayout", "w:specVanish", "w:oMath")


def chinese_to_int(text: str) -> int:
    """Value of a small Chinese numeral (一..九十九)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS[ch]
    return value


def split_label(text: str) -> tuple[int, int, str] | None:
    """(level, typed value, label) when ``text`` starts with a typed outline label."""
    for level, pattern, _fmt, _lvl_text in LEVELS:
        m = pattern.match(text)
        if m:
            raw = m.group(1)
            value = int(raw) if raw.isdigit() else chinese_to_int(raw)
            return level, value, m.group(0)
    return None


# ---------------------------------------------------------------------------
# Numbering


class _AutoNumbering:
    """Owns the numbering definition and mirrors Word's counters.

    Word model mirrored here: a list instance (w:num) keeps one counter per
    level; using a level restarts the deeper ones at their start value.  When
    the typed value is not what Word would show next, a new instance with
    w:startOverride takes over so that the display matches the typed label.
    """

    def __init__(self, document, mode: str):
        self.mode = mode
        self.numbering = document.part.numbering_part.element
        self.styles = document.styles
        w_num = qn("w:num")
        abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in self.numbering.iterchildren(qn("w:abstractNum"))]
        self.abstract_id = max(abstract_ids, default=-1) + 1
        self._next_num_id = max((int(n.get(qn("w:numId"))) for n in self.numbering.iterchildren(w_num)), default=0) + 1
        abstract = parse_xml(self._abstract_xml())
        first_num = next(self.numbering.iterchildren(w_num), None)
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.numbering.append(abstract)
        self.base_num_id = self._add_num({})
        self.num_id = self.base_num_id
        self.counters: list[int | None] = [None] * len(LEVELS)
        self.starts = [1] * len(LEVELS)
        if mode == "style":
            self._link_styles()

    @staticmethod
    def heading_style(level: int) -> str:
        return f"Heading {level + 1}"

    def _style_id(self, level: int) -> str:
        return self.styles[self.heading_style(level)].style_id

    def _abstract_xml(self) -> str:
        levels = []
        for level, _pattern, fmt, lvl_text in LEVELS:
            pstyle = f'<w:pStyle w:val="{self._style_id(level)}"/>' if self.mode == "style" else ""
            levels.append(
                f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
                f'<w:suff w:val="nothing"/><w:lvlText w:val="{lvl_text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
            )
        return (
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{self.abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>'
        )

    def _add_num(self, start_overrides: dict[int, int]) -> int:
        num_id = self._next_num_id
        self._next_num_id += 1
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for lvl, start in sorted(start_overrides.items())
        )
        self.numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{self.abstract_id}"/>{overrides}</w:num>'
        ))
        return num_id

    def _link_styles(self) -> None:
        # Heading 1 carries only numId (its level comes from the lvl's
        # w:pStyle link); the others carry numId and ilvl, as Word writes them.
        for level, *_ in LEVELS:
            ppr = self.styles[self.heading_style(level)].element.get_or_add_pPr()
            numpr = ppr.get_or_add_numPr()
            if level:
                numpr.get_or_add_ilvl().val = level
            numpr.get_or_add_numId().val = self.base_num_id

    def number(self, level: int, typed: int, style=None) -> tuple[int, int] | None:
        """Advance for a typed label: the (numId, ilvl) to write on the paragraph.

        None when the paragraph ``style`` (a python-docx style) already
        supplies the right numbering (``auto_number="style"``).
        """
        current = self.counters[level]
        expected = self.starts[level] if current is None else current + 1
        if typed != expected:
            overrides = {lvl: (c + 1 if c is not None else 1) for lvl, c in enumerate(self.counters[:level])}
            overrides = {lvl: v for lvl, v in overrides.items() if v != 1}
            overrides[level] = typed
            self.num_id = self._add_num(overrides)
            self.starts = [overrides.get(lvl, 1) for lvl in range(len(LEVELS))]
            self.counters = [None] * len(LEVELS)
        self.counters[level] = typed
        for deeper in range(level + 1, len(LEVELS)):
            self.counters[deeper] = None
        if self.mode == "style" and self.num_id == self.base_num_id and self._inherits(style, level):
            return None
        return self.num_id, level

    def _inherits(self, style, level: int) -> bool:
        """Whether ``style`` is (or is based on) the heading style numbered at ``level``."""
        target = self.heading_style(level)
        seen = set()
        while style is not None and style.style_id not in seen:
            if style.name == target:
                return True
            seen.add(style.style_id)
            style = style.base_style
        return False


# ---------------------------------------------------------------------------
# Paragraph content


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _find(text: str, needle: str, what: str) -> int:
    pos = text.find(needle)
    if pos < 0:
        raise ValueError(f"{what} {needle!r} not found in paragraph {text!r}")
    return pos


class _Builder:
    def __init__(self, document, *, auto_number: bool | str, title_style: str | None,
                 font_east_asia: str | None, size_pt: float | None):
        self.document = document
        self.title_style = title_style
        self.defaults = {"font_east_asia": font_east_asia, "size_pt": size_pt}
        mode = "direct" if auto_number is True else (auto_number or None)
        if mode not in (None, "direct", "style"):
            raise ValueError(f"auto_number must be True, 'direct' or 'style', not {auto_number!r}")
        self.numbering = _AutoNumbering(document, mode) if mode else None
        self._revision_id = 100
        self._first = True

    # -- blocks ----------------------------------------------------------------

    def add(self, container, spec, reuse=None) -> None:
        """Add one spec to ``container`` (document or cell); ``reuse``: an empty paragraph to fill."""
        if isinstance(spec, dict) and "table" in spec:
            if reuse is not None:
                reuse._p.getparent().remove(reuse._p)
            self._table(container, spec)
        else:
            paragraph = reuse if reuse is not None else container.add_paragraph()
            self._paragraph(paragraph, spec if isinstance(spec, dict) else {"text": str(spec)})
        self._first = False

    def _table(self, container, spec: dict) -> None:
        rows = spec["table"]
        ncols = max((len(r) for r in rows), default=1) or 1
        table = container.add_table(len(rows), ncols)
        try:
            table.style = spec.get("table_style", "Table Grid")
        except KeyError:
            pass
        for r, row in enumerate(rows):
            for c, cell_spec in enumerate(row):
                cell = table.cell(r, c)
                specs = cell_spec if isinstance(cell_spec, list) else [cell_spec]
                for k, item in enumerate(specs):
                    self.add(cell, item, reuse=cell.paragraphs[0] if k == 0 else None)

    def _paragraph(self, paragraph, spec: dict) -> None:
        runs = [dict(r) for r in spec["runs"]] if "runs" in spec else [{"text": spec.get("text", "")}]
        style = spec.get("style")
        if style is None and self._first and self.title_style:
            style = self.title_style
        numbering = None
        found = split_label(runs[0]["text"]) if self.numbering is not None and runs else None
        if found is not None:
            level, typed, label = found
            runs[0]["text"] = runs[0]["text"][len(label):]
            if style is None and self.numbering.mode == "style":
                style = self.numbering.heading_style(level)
        if style:
            paragraph.style = self.document.styles[style]
        if found is not None:
            numbering = self.numbering.number(level, typed, paragraph.style)
        if spec.get("alignment"):
            paragraph.alignment = _ALIGNMENTS[spec["alignment"]]
        if numbering is not None:
            numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = numbering[1]
            numpr.get_or_add_numId().val = numbering[0]
        self._content(paragraph, runs, spec)

    def _content(self, paragraph, runs: list[dict], spec: dict) -> None:
        text = "".join(r["text"] for r in runs)
        # Run boundaries with their formatting.
        bounds = []
        pos = 0
        for r in runs:
            bounds.append((pos, pos + len(r["text"]), r))
            pos += len(r["text"])
        deletes = []
        for d in _as_list(spec.get("delete")):
            start = _find(text, d["text"], "deletion")
            deletes.append((start, start + len(d["text"]), d))
        inserts: dict[int, list[dict]] = {}
        for ins in _as_list(spec.get("insert")):
            if "at" in ins:
                at = int(ins["at"])
            elif "after" in ins:
                at = _find(text, ins["after"], "insertion point") + len(ins["after"])
            else:
                at = len(text)
            if not 0 <= at <= len(text):
                raise ValueError(f"insertion offset {at} outside paragraph {text!r}")
            inserts.setdefault(at, []).append(ins)
        comments = []
        for c in _as_list(spec.get("comment")):
            anchor = c.get("anchor")
            start = _find(text, anchor, "comment anchor") if anchor else 0
            end = start + len(anchor) if anchor else len(text)
            comments.append((start, end, c))

        cuts = {0, len(text)}
        for a, b, _ in bounds + deletes + comments:
            cuts.update((a, b))
        cuts.update(inserts)
        cuts = sorted(cuts)

        emitted: list[tuple[int, int, Any]] = []  # (start, end, python-docx Run) of base text
        wrapper = None  # (revision spec, w:ins/w:del element) currently open
        for k, cut in enumerate(cuts):
            for ins in inserts.get(cut, ()):
                fmt = self._format_at(bounds, cut)
                run = self._run(paragraph, ins["text"], fmt)
                self._wrap(run, self._revision("w:ins", ins))
                wrapper = None
            if k + 1 == len(cuts):
                break
            end = cuts[k + 1]
            run = self._run(paragraph, text[cut:end], self._format_at(bounds, cut))
            deleted = next((d for a, b, d in deletes if a <= cut < b), None)
            if deleted is not None:
                for t in run._r.iterchildren(qn("w:t")):
                    t.tag = qn("w:delText")
                if wrapper is None or wrapper[0] is not deleted:
                    wrapper = (deleted, self._revision("w:del", deleted))
                self._wrap(run, wrapper[1])
            else:
                wrapper = None
            emitted.append((cut, end, run))

        for start, end, c in comments:
            covered = [run for a, b, run in emitted if a < end and b > start] or [run for _, _, run in emitted[-1:]]
            if not covered:
                covered = [paragraph.add_run("")]
            self._comment(covered, c)

    @staticmethod
    def _format_at(bounds, pos: int) -> dict:
        for a, b, fmt in bounds:
            if a <= pos < b:
                return fmt
        return bounds[-1][2] if bounds else {}

    def _run(self, paragraph, text: str, fmt: dict):
        run = paragraph.add_run(text)
        if fmt.get("style"):
            run.style = self.document.styles[fmt["style"]]
        if fmt.get("bold") is not None:
            run.bold = fmt["bold"]
        if fmt.get("italic") is not None:
            run.italic = fmt["italic"]
        if fmt.get("font_ascii"):
            run.font.name = fmt["font_ascii"]
        east_asia = fmt.get("font_east_asia") or self.defaults["font_east_asia"]
        if east_asia:
            run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
        size = fmt.get("size_pt") or self.defaults["size_pt"]
        if size:
            run.font.size = Pt(size)
        if fmt.get("highlight"):
            run._r.get_or_add_rPr().get_or_add_highlight().set(qn("w:val"), fmt["highlight"])
        if fmt.get("shading"):
            shd = OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fmt["shading"]})
            run._r.get_or_add_rPr().insert_element_before(shd, *_SHD_SUCCESSORS)
        return run

    def _revision(self, tag: str, spec: dict):
        self._revision_id += 1
        return OxmlElement(tag, {
            qn("w:id"): str(self._revision_id),
            qn("w:author"): spec.get("author", "审阅人"),
            qn("w:date"): spec.get("date", REVISION_DATE),
        })

    @staticmethod
    def _wrap(run, wrapper) -> None:
        if wrapper.getparent() is None:
            run._r.addprevious(wrapper)
        wrapper.append(run._r)

    def _comment(self, runs: list, spec: dict) -> None:
        lines = str(spec.get("text", "")).split("\n")
        comment = self.document.add_comment(
            runs, text=lines[0], author=spec.get("author", "审阅人"), initials=spec.get("initials", "")
        )
        for line in lines[1:]:
            comment.add_paragraph(line)


# ---------------------------------------------------------------------------
# Public API


def build_docx(
    paragraphs: Iterable[str | dict],
    out_path: str | Path,
    *,
    auto_number: bool | str = False,
    title_style: str | None = None,
    styles: dict[str, str] | None = None,
    font_east_asia: str | None = None,
    size_pt: float | None = None,
) -> Path:
    """Write a .docx made of ``paragraphs`` (strings or spec dicts) to ``out_path``.

    ``auto_number``: False, True/"direct" or "style" (see the module doc).
    ``title_style``: paragraph style for the first paragraph (e.g. "Title").
    ``styles``: extra paragraph styles to create, ``{name: base style name}``.
    ``font_east_asia``/``size_pt``: default east-Asian font and size for every run.
    """
    document = docx.Document()
    for name, base in (styles or {}).items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles[base]
    builder = _Builder(document, auto_number=auto_number, title_style=title_style,
                       font_east_asia=font_east_asia, size_pt=size_pt)
    for spec in paragraphs:
        builder.add(document, spec)
    out = Path(out_path)
    document.save(str(out))
    return out


def read_source(path: str | Path) -> list[str | dict]:
    """Paragraph specs from a .json list or a text file (one paragraph per line)."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(raw)
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a JSON list of paragraph specs")
        return data
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build a .docx fixture from a text or JSON source.")
    parser.add_argument("src", help="source .txt (one paragraph per line) or .json (list of specs)")
    parser.add_argument("out", help="output .docx")
    parser.add_argument("--auto-number", nargs="?", const="direct", choices=("direct", "style"),
                        help="turn typed labels (一、（一）1.（1）) into Word automatic numbering")
    parser.add_argument("--title-style", help="paragraph style of the first paragraph, e.g. Title")
    parser.add_argument("--font", dest="font_east_asia", help="east-Asian font for every run, e.g. 仿宋_GB2312")
    parser.add_argument("--size", dest="size_pt", type=float, help="font size in points for every run")
    args = parser.parse_args(argv)
    build_docx(
        read_source(args.src),
        args.out,
        auto_number=args.auto_number or False,
        title_style=args.title_style,
        font_east_asia=args.font_east_asia,
        size_pt=args.size_pt,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
