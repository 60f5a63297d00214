"""Core data model shared by every stage of the pipeline.

loaders produce a :class:`Document`; the outline stage turns it into an
:class:`Outline`; rules emit :class:`Finding` objects; reporters render them.
Nothing in this module imports any other ecocheck module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (use error, warning or info)") from None

    @property
    def label(self) -> str:
        """``error`` / ``warning`` / ``info`` (a dict lookup: an Enum's ``.name`` is a descriptor call,
        and reporters ask once per finding)."""
        return _SEVERITY_LABELS[self]

    @property
    def zh(self) -> str:
        """错误 / 警告 / 提示, as reports and Word comments show it."""
        return _SEVERITY_ZH[self]


_SEVERITY_LABELS = {s: s.name.lower() for s in Severity}
_SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(slots=True)
class Run:
    """A run of text inside a paragraph, with the formatting a rule may need.

    ``start``/``end`` are offsets into the owning paragraph's ``text``.
    Formatting values are the run's *direct* formatting (None when inherited);
    format plugins resolve inheritance themselves from ``Document.native``.
    ``element`` is the run's ``w:r`` in the loader's parse of the main part
    (``Document.meta["xml"]``; .docx only, None for the numbering label and
    for other formats): read-only, not part of equality.
    """

    text: str
    start: int
    end: int
    style: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    font_ascii: str | None = None
    font_east_asia: str | None = None
    size_pt: float | None = None
    highlight: str | None = None  # w:highlight value or shading fill colour
    revision: str | None = None  # "ins" when the run sits inside an unaccepted insertion
    auto_number: bool = False  # True for the rendered Word numbering label
    element: Any = field(default=None, repr=False, compare=False)  # the w:r (.docx)


@dataclass(slots=True)
class Paragraph:
    """One paragraph (one line of a .txt/.md file, one w:p of a .docx).

    ``text`` is the text as the reader sees it.  For a .docx paragraph with
    Word automatic numbering, the rendered label ("一、") is prepended and
    ``num_prefix`` says how many leading characters it takes.
    """

    index: int  # 0-based position in document order
    line: int  # 1-based line (txt/md) or paragraph number (docx) used in locations
    text: str
    num_prefix: int = 0
    style: str | None = None
    md_heading: int = 0  # ATX heading depth for .md (0 = not a heading)
    column_offset: int = 0  # characters of the source line before ``text`` (md "## " markup)
    table: tuple[int, int, int] | None = None  # (table no, row, cell) for docx table cells
    runs: list[Run] = field(default_factory=list)
    alignment: str | None = None
    props: dict[str, Any] = field(default_factory=dict)  # loader-specific extras


@dataclass(slots=True)
class Comment:
    """A Word comment (.docx): who wrote it, its text, and where its anchor starts and ends."""

    id: str
    author: str
    text: str
    paragraph: int | None = None  # paragraph index where the anchor starts
    start: int = 0
    end: int = 0
    end_paragraph: int | None = None
    directive: bool = False  # an ``ecocheck-disable`` suppression comment, not a reviewer's remark


@dataclass(slots=True)
class Revision:
    """A tracked change (.docx): an insertion or deletion, by whom, where."""

    kind: str  # "ins" | "del"
    author: str
    text: str
    paragraph: int
    start: int
    end: int
    date: str | None = None


@dataclass(slots=True)
class Document:
    """A loaded input: its paragraphs in reading order, plus what the loader found beside them."""

    path: str
    format: str  # "txt" | "md" | "docx"
    paragraphs: list[Paragraph]
    encoding: str | None = None
    comments: list[Comment] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    native: Any = None  # the python-docx Document for .docx (format plugins)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(slots=True)
class Span:
    """A half-open character range inside one paragraph."""

    paragraph: int
    start: int
    end: int


@dataclass(slots=True, eq=False)
class OutlineNode:
    """A heading (一、, （一）, 1. …) or an inline item (一是, 第一，…) of the outline."""

    kind: str  # "heading" | "item"
    level: int  # 1..4 for headings; items: depth among items (1 = top item)
    label: str  # the label as written: "一、", "（一）", "1.", "一是"
    ordinal: int | None  # numeric value of the label (一 -> 1)
    style: str  # label style id, see ecocheck.outline.labels
    heading: str  # heading text without the label (run-in: up to the first 。)
    paragraph: int  # paragraph index
    start: int  # offset of the label in the paragraph
    end: int  # end offset of the heading text in the paragraph
    line: int
    column: int
    role: str = "other"
    body: list[int] = field(default_factory=list)  # paragraph indices of body text
    body_spans: list[Span] = field(default_factory=list)  # body text owned by the node
    children: list["OutlineNode"] = field(default_factory=list)
    parent: "OutlineNode | None" = field(default=None, repr=False)
    run_in: bool = False  # heading followed by body text in the same paragraph
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.label}{self.heading}"

    def walk(self):
        """This node and its descendants in document (pre-)order.

        Iterative: an outline may nest arbitrarily deep (a long run of
        restarting 一是… series), and a recursive generator would cost
        O(depth) per node and hit the recursion limit.
        """
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def path(self) -> list["OutlineNode"]:
        out = []
        node: OutlineNode | None = self
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]

    @property
    def headings(self) -> list["OutlineNode"]:
        return [c for c in self.children if c.kind == "heading"]

    @property
    def items(self) -> list["OutlineNode"]:
        return [c for c in self.children if c.kind == "item"]


@dataclass(slots=True, eq=False)
class Outline:
    """A document's hierarchy: title, salutation, preamble, sections with their items, pairing."""

    document: Document
    genre: str
    title: int | None  # paragraph index of the title line
    salutation: int | None
    preamble: list[int]
    sections: list[OutlineNode]  # top-level nodes
    items: list[OutlineNode] = field(default_factory=list)  # items not under any heading
    pairing: list[dict[str, Any]] = field(default_factory=list)
    node_of_paragraph: dict[int, OutlineNode] = field(default_factory=dict)  # innermost heading owning a paragraph
    cache: dict[str, Any] = field(default_factory=dict)  # per-document memo for rules (scopes, …)
    genre_decision: Any = None  # outline.genre_detect.GenreDecision: how the genre was chosen (evidence, confidence)

    @property
    def title_text(self) -> str | None:
        if self.title is None:
            return None
        return self.document.paragraphs[self.title].text.strip()

    def walk(self):
        for n in self.items:
            yield from n.walk()
        for s in self.sections:
            yield from s.walk()

    def headings(self) -> list[OutlineNode]:
        """Every heading (not the inline items), in document order; worked out once per outline
        (the outline is complete by the time rules ask): read-only."""
        found = self.cache.get("headings")
        if found is None:
            found = self.cache["headings"] = [n for n in self.walk() if n.kind == "heading"]
        return found


@dataclass(slots=True, frozen=True)
class Fix:
    """Replace ``text`` at the finding's location with ``replacement``."""

    replacement: str
    title: str = ""
    safe: bool = True


@dataclass(slots=True)
class Finding:
    """One problem a rule found: code, severity, Chinese message, and where it is (1-based line/column)."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str = ""
    excerpt: str = ""
    section: str = ""
    fix: Fix | None = None
    suggestion: str | None = None
    paragraph: int | None = None  # paragraph index (None: whole document)
    start: int = 0  # offsets in the paragraph
    end: int = 0
    source: str = ""  # where the rule comes from
    cell: tuple[int, int, int] | None = None  # .docx table cell: (table, row, column), 1-based as Word counts

    def sort_key(self):
        return (self.line, self.column, self.code, self.end_line, self.end_column, self.message)

    def location_error(self, document: "Document") -> str | None:
        """Why this finding's location does not point at its ``text`` in ``document``; None when it does.

        The contract of every finding: ``text`` is exactly the characters at
        ``[column, end_column)`` of line ``line`` (see README, "Locations").
        """
        if self.paragraph is None:
            return None if (self.line, self.column, self.text) == (1, 1, "") else "no paragraph but not at 1:1"
        p = document.paragraphs[self.paragraph]
        start, end = self.column - 1 - p.column_offset, self.end_column - 1 - p.column_offset
        if self.line != p.line or self.end_line != self.line:
            return f"line {self.line}-{self.end_line} is not paragraph line {p.line}"
        if not 0 <= start <= end <= len(p.text):
            return f"columns {self.column}-{self.end_column} outside the paragraph"
        if (self.start, self.end) != (start, end):
            return f"offsets {self.start}-{self.end} disagree with columns {self.column}-{self.end_column}"
        if p.text[start:end] != self.text:
            return f"{p.text[start:end]!r} at the location, {self.text!r} in the finding"
        return None

    def to_dict(self) -> dict[str, Any]:
        d = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "excerpt": self.excerpt,
            "section": self.section,
        }
        if self.fix is not None:
            d["fix"] = {"replacement": self.fix.replacement, "title": self.fix.title, "safe": self.fix.safe}
        if self.suggestion:
            d["suggestion"] = self.suggestion
        if self.cell is not None:
            d["cell"] = dict(zip(("table", "row", "column"), self.cell))
        return d

    def cell_label(self) -> str:
        """``表格 2 第 3 行第 1 列`` for a finding in a .docx table cell, else ``""``."""
        if self.cell is None:
            return ""
        t, r, c = self.cell
        return f"表格 {t} 第 {r} 行第 {c} 列"


@dataclass(slots=True)
class FileResult:
    """What linting one file gave: its findings, its genre, whether it could be read."""

    path: str
    genre: str | None
    findings: list[Finding]
    error: bool = False  # True when the file could not be read (E finding)
    outline: Outline | None = None
