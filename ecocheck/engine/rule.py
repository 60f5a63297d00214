"""Rule base class, rule documentation and the context a rule reports through."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..model import Document, Finding, Fix, Outline, OutlineNode, Paragraph, Severity

CODE_RE = re.compile(r"^[A-Z][0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
FAMILIES = {
    "E": "加载错误",
    "S": "结构",
    "P": "问题与措施对应",
    "H": "占位符与残留",
    "T": "标点与排版",
    "W": "用词",
    "C": "一致性",
    "F": "公文格式",
}
EXCERPT_CONTEXT = 12


@dataclass
class RuleDoc:
    """Chinese documentation, printed by ``ecocheck explain``."""

    what: str
    why: str
    bad: str
    good: str
    options: dict[str, str] = field(default_factory=dict)  # option name -> description
    references: list[str] = field(default_factory=list)


class Rule:
    """A check.  Subclasses set the metadata and implement :meth:`check`.

    ``check`` receives a :class:`RuleContext` and yields findings made with
    ``ctx.finding(...)``, ``ctx.node_finding(...)`` or ``ctx.document_finding(...)``.
    """

    code: str = ""
    name: str = ""
    severity: Severity = Severity.WARNING
    summary: str = ""
    doc: RuleDoc | None = None
    options: dict[str, Any] = {}
    #: option -> configuration key whose list is appended to the option (H301: extra_tokens <- extra-placeholders)
    config_options: dict[str, str] = {}
    #: which genres the rule applies to (None: all)
    genres: tuple[str, ...] | None = None
    #: formats the rule applies to (None: all)
    formats: tuple[str, ...] | None = None
    source: str = "built-in"

    @property
    def family(self) -> str:
        return self.code[:1]

    def check(self, ctx: "RuleContext") -> Iterable[Finding] | None:  # pragma: no cover - interface
        raise NotImplementedError

    def validate(self) -> None:
        if not CODE_RE.match(self.code or ""):
            raise ValueError(f"rule code {self.code!r} must be a family letter and three digits (H301)")
        if self.code[0] not in FAMILIES:
            raise ValueError(f"rule code {self.code!r}: unknown family {self.code[0]!r}")
        if not NAME_RE.match(self.name or ""):
            raise ValueError(f"rule {self.code}: name {self.name!r} must be kebab-case")
        if not self.summary:
            raise ValueError(f"rule {self.code}: missing summary")
        if self.doc is None:
            raise ValueError(f"rule {self.code}: missing documentation")

    def __repr__(self) -> str:
        return f"<Rule {self.code} {self.name}>"


EXCERPT_MAX_FLAGGED = 40  # a longer flagged span is shown as its head … tail


def excerpt(text: str, start: int, end: int, context: int = EXCERPT_CONTEXT) -> str:
    """The flagged text with ``context`` characters either side, on one line."""
    # conditional expressions rather than max()/min(): this runs once per finding
    a = start - context if start > context else 0
    n = len(text)
    b = end + context if end + context < n else n
    if end - start > EXCERPT_MAX_FLAGGED:
        middle = text[start:start + EXCERPT_MAX_FLAGGED // 2] + "…" + text[end - EXCERPT_MAX_FLAGGED // 4:end]
        s = text[a:start] + middle + text[end:b]
    else:
        s = text[a:b]
    if "\n" in s or "\t" in s:
        s = s.replace("\n", " ").replace("\t", " ")
    if a > 0:
        s = "…" + s
    return (s + "…") if b < n else s


def section_path(node: OutlineNode | None) -> str:
    """The titles of the headings from the top of the outline down to ``node``, joined by " › "."""
    if node is None:
        return ""
    return " › ".join(n.title for n in node.path() if n.kind == "heading")


#: ``Outline.cache`` key of the section paths memo (see :func:`section_paths`)
SECTION_PATHS_KEY = "ecocheck:section-paths"


def section_paths(outline: Outline) -> dict[OutlineNode, tuple[tuple[str, ...], str]]:
    """The outline's memo of section paths: node -> (heading titles on its path, :func:`section_path`).

    Shared by every rule run on the outline; filled by :meth:`RuleContext.section`.
    """
    paths = outline.cache.get(SECTION_PATHS_KEY)
    if paths is None:
        paths = outline.cache[SECTION_PATHS_KEY] = {}
    return paths


class RuleContext:
    """What a rule sees: the document, its outline, options; and how it reports."""

    def __init__(self, document: Document, outline: Outline, rule: Rule,
                 options: dict[str, Any] | None = None, severity: Severity | None = None,
                 config: Any = None):
        self.document = document
        self.outline = outline
        self.rule = rule
        self.options = {**rule.options, **(options or {})}
        self.severity = severity or rule.severity
        self.config = config
        self._section_paths = section_paths(outline)

    @property
    def paragraphs(self):
        return self.document.paragraphs

    # -- locations ---------------------------------------------------------
    def node_for(self, paragraph: int) -> OutlineNode | None:
        return self.outline.node_of_paragraph.get(paragraph)

    def section(self, node: OutlineNode | None) -> str:
        """:func:`section_path` of ``node``, memoised per outline.

        A rule with many findings reports in a few sections, and every heading's path extends its
        parent's: each node's path is built once, from the nearest ancestor already known.
        """
        if node is None:
            return ""
        paths = self._section_paths
        known = paths.get(node)
        if known is not None:
            return known[1]
        pending: list[OutlineNode] = []
        ancestor: OutlineNode | None = node
        while ancestor is not None and ancestor not in paths:
            pending.append(ancestor)
            ancestor = ancestor.parent
        titles, joined = paths[ancestor] if ancestor is not None else ((), "")
        for n in reversed(pending):
            if n.kind == "heading":
                titles = (*titles, n.title)
                joined = " › ".join(titles)
            paths[n] = (titles, joined)
        return joined

    def finding(self, paragraph: int, start: int, end: int, message: str, *, fix: Fix | None = None,
                suggestion: str | None = None, severity: Severity | None = None,
                node: OutlineNode | None = None) -> Finding:
        """A finding on ``paragraphs[paragraph].text[start:end]``."""
        p = self.document.paragraphs[paragraph]
        text = p.text
        if not 0 <= start <= end <= len(text):  # clamp into the paragraph (rarely needed)
            start = max(0, min(start, len(text)))
            end = max(start, min(end, len(text)))
        if node is None:
            node = self.node_for(paragraph)
        return self._finding(paragraph, p, start, end, message, excerpt(text, start, end), self.section(node),
                             fix, suggestion, severity)

    def _finding(self, paragraph: int, p: Paragraph, start: int, end: int, message: str, excerpt_text: str,
                 section: str, fix: Fix | None, suggestion: str | None, severity: Severity | None) -> Finding:
        """The finding on ``p.text[start:end]`` (``p``: ``paragraphs[paragraph]``, offsets already clamped)
        with the given excerpt and section."""
        rule = self.rule
        column = p.column_offset + 1
        return Finding(
            code=rule.code, name=rule.name, severity=severity or self.severity,
            message=message, path=self.document.path, line=p.line,
            column=column + start, end_line=p.line, end_column=column + end,
            text=p.text[start:end], excerpt=excerpt_text, section=section,
            fix=fix, suggestion=suggestion, paragraph=paragraph, start=start, end=end,
            source=rule.source, cell=None if p.table is None else (p.table[0] + 1, p.table[1] + 1, p.table[2] + 1))

    def node_finding(self, node: OutlineNode, message: str, *, suggestion: str | None = None,
                     severity: Severity | None = None, flag_label: bool = False,
                     fix: Fix | None = None) -> Finding:
        """A finding about a whole section or item, located at its heading.

        ``text`` is empty unless ``flag_label`` asks for the label itself.
        """
        if flag_label:
            return self.finding(node.paragraph, node.start, node.start + len(node.label), message,
                                suggestion=suggestion, severity=severity, node=node, fix=fix)
        p = self.document.paragraphs[node.paragraph]
        start = max(0, min(node.start, len(p.text)))
        return self._finding(node.paragraph, p, start, start, message, excerpt(p.text, node.start, node.end),
                             self.section(node), fix, suggestion, severity)

    def document_finding(self, message: str, *, suggestion: str | None = None,
                         severity: Severity | None = None) -> Finding:
        """A finding about the whole document, located at the title (or line 1)."""
        idx = self.outline.title
        if idx is None:
            idx = next((p.index for p in self.document.paragraphs
                        if p.text.strip() and not p.props.get("directive")), None)
        if idx is None:
            return Finding(code=self.rule.code, name=self.rule.name, severity=severity or self.severity,
                           message=message, path=self.document.path, line=1, column=1, end_line=1,
                           end_column=1, suggestion=suggestion, source=self.rule.source)
        p = self.document.paragraphs[idx]
        return self._finding(idx, p, 0, 0, message, excerpt(p.text, 0, 0, context=24), "", None, suggestion, severity)
