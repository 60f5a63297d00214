"""Suppression comments: turn rules off for part of a document.

.txt and .md — a line that holds only a directive::

    <!-- ecocheck-disable H301, T101 -->      off from here ...
    <!-- ecocheck-enable H301 -->             ... back on (no codes: everything back on)
    <!-- ecocheck-disable-next-line H301 -->  off for the next non-blank line only

.txt files also accept the bare form, a line holding only
``ecocheck-disable H301`` (``ecocheck-enable``, ``ecocheck-disable-next-line``).

.docx — a Word comment whose text starts with ``ecocheck-disable CODES`` turns
those rules off inside the commented range.

CODES are rule codes, prefixes (``H``, ``H3``), rule names or pack names,
separated by spaces or commas; none means every rule.  Text after ``--`` (or
after the first word that is not a code) is a free reason and is ignored.

Directive lines are marked ``Paragraph.props["directive"] = True`` before the
outline is built: they are not part of the outline or of any scope, and a
finding located on one is dropped.  E-family findings (unreadable file, rule
crash) are never suppressed.  A directive that suppresses nothing is reported
as C699 ``unused-suppression`` when that rule is enabled (``--extend-select
C699`` or ``report-unused-suppressions: true``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Document, Finding, Outline

UNUSED_CODE = "C699"
IGNORED_CODE = "C698"
ALL = "*"

_KIND = r"(disable-next-line|disable|enable)"
_HTML = re.compile(r"^\s*<!--\s*ecocheck-" + _KIND + r"(?=\s|-->)(.*?)-->\s*$")
_BARE = re.compile(r"^\s*ecocheck-" + _KIND + r"(?=\s|$)(.*?)\s*$")
_COMMENT = re.compile(r"^\s*ecocheck-disable(?=\s|$|[,，:：])(.*)$", re.S)
_SELECTOR = re.compile(r"^(?:ALL|all|[A-Za-z][0-9]{0,3}|[a-z][a-z0-9]*(?:[-_:][a-z0-9]+)*)$")
META_KEY = "ecocheck_directives"


@dataclass
class Directive:
    kind: str  # "disable" | "enable" | "disable-next-line"
    selectors: list[str]  # empty: every rule
    paragraph: int  # where the directive sits (docx: the comment's first paragraph)
    start: int = 0  # docx: the commented range, (paragraph, start) .. (end_paragraph, end)
    end: int = 0
    end_paragraph: int | None = None
    comment: bool = False  # a Word comment rather than a directive line
    target: int | None = None  # disable-next-line: the paragraph it covers
    used: set[str] = field(default_factory=set)  # selectors (or ALL) that suppressed something


def parse_selectors(rest: str) -> list[str]:
    """Codes at the start of ``rest``; stop at ``--`` or at the first word that is not a code."""
    rest = rest.split("--", 1)[0]
    out = []
    for token in re.split(r"[\s,，、;；]+", rest.strip()):
        if not token:
            continue
        if not _SELECTOR.match(token):
            break
        out.append(token)
    return out


def parse_line(text: str, fmt: str) -> tuple[str, list[str]] | None:
    """``(kind, selectors)`` when the paragraph text is a directive line."""
    if "ecocheck-" not in text:
        return None
    m = _HTML.match(text)
    if m is None and fmt == "txt":
        m = _BARE.match(text)
    if m is None:
        return None
    return m.group(1), parse_selectors(m.group(2))


def mark_directives(doc: Document) -> list[Directive]:
    """Find the directives of a document, mark directive paragraphs, remember them in ``doc.meta``."""
    directives: list[Directive] = []
    if doc.format in ("txt", "md"):
        for p in doc.paragraphs:
            if p.props.get("md_code") or p.md_heading:
                continue
            parsed = parse_line(p.text, doc.format)
            if parsed is None:
                continue
            p.props["directive"] = True
            directives.append(Directive(parsed[0], parsed[1], p.index, 0, len(p.text)))
        for d in directives:
            if d.kind == "disable-next-line":
                d.target = _next_content(doc, d.paragraph)
    for c in doc.comments:
        m = _COMMENT.match(c.text or "")
        if m is None or c.paragraph is None:
            continue
        c.directive = True  # H307 (review-comment) leaves it alone: deleting it would undo the suppression
        directives.append(Directive("disable", parse_selectors(m.group(1).lstrip(",，:：")), c.paragraph,
                                    c.start, c.end, c.end_paragraph if c.end_paragraph is not None else c.paragraph,
                                    comment=True))
    doc.meta[META_KEY] = directives
    return directives


def _next_content(doc: Document, index: int) -> int | None:
    for p in doc.paragraphs[index + 1:]:
        if p.text.strip() and not p.props.get("directive"):
            return p.index
    return None


def is_directive(paragraph) -> bool:
    return bool(paragraph.props.get("directive"))


class _Matcher:
    """Expands selectors to rule codes through the registry (codes, prefixes, names, packs)."""

    def __init__(self, registry):
        self.registry = registry
        self._cache: dict[str, set[str] | None] = {}

    def codes(self, selector: str) -> set[str] | None:
        if selector not in self._cache:
            if self.registry is not None:
                rules = self.registry.matches(selector)
                self._cache[selector] = {r.code for r in rules} or None
            else:  # no registry: a code or prefix matches by text
                up = selector.upper()
                self._cache[selector] = {up} if re.match(r"^[A-Z][0-9]{3}$", up) else None
        return self._cache[selector]

    def match(self, directive: Directive, code: str) -> str | None:
        """The selector of ``directive`` that covers ``code`` (ALL for an all-rules directive)."""
        if not directive.selectors:
            return ALL
        for sel in directive.selectors:
            if sel.upper() == "ALL":
                return sel
            codes = self.codes(sel)
            if codes is not None and code in codes:
                return sel
        return None


def _position(doc: Document, f: Finding) -> int | None:
    if f.paragraph is not None:
        return f.paragraph
    if doc.format in ("txt", "md") and 1 <= f.line <= len(doc.paragraphs):
        return f.line - 1
    return None


def _in_comment(d: Directive, para: int, start: int, end: int) -> bool:
    a = (d.paragraph, d.start)
    b = (d.end_paragraph if d.end_paragraph is not None else d.paragraph, d.end)
    if a == b or (a[0] == b[0] and b[1] <= a[1]):
        return para == d.paragraph  # a point comment covers its paragraph
    return a <= (para, end) and (para, start) <= b


def apply_suppressions(doc: Document, outline: Outline | None, findings: list[Finding], registry=None,
                       unused_rule=None, unused_severity=None, config=None) -> list[Finding]:
    """Drop suppressed findings; add C699 findings for unused directives when ``unused_rule`` is given."""
    directives = doc.meta.get(META_KEY)
    if directives is None:
        directives = mark_directives(doc)
    for d in directives:
        d.used.clear()  # the same Document may be linted more than once
    paragraphs = doc.paragraphs
    kept: list[Finding] = []
    matcher = _Matcher(registry)
    regions = [d for d in directives if not d.comment and d.kind in ("disable", "enable")]
    next_line = [d for d in directives if d.kind == "disable-next-line"]
    comments = [d for d in directives if d.comment]
    policy = bool(getattr(config, "policy", False))
    would: dict[int, int] = {}  # policy mode: id(directive) -> findings it would have suppressed
    for f in findings:
        pos = _position(doc, f)
        if f.code.startswith("E") or pos is None:
            kept.append(f)
            continue
        if f.paragraph is not None and 0 <= pos < len(paragraphs) and is_directive(paragraphs[pos]):
            continue  # the directive line itself is not report text
        by = _suppressed(f, pos, regions, next_line, comments, matcher)
        if by is not None and not policy:
            continue
        if by is not None:
            would[id(by)] = would.get(id(by), 0) + 1
        kept.append(f)
    if policy:
        listed = _not_applied(doc, outline, directives, would, registry, config)
        return sorted(kept + listed, key=Finding.sort_key) if listed else kept
    if unused_rule is not None:
        unused = _unused(doc, outline, directives, matcher, unused_rule, unused_severity, config)
        if unused:
            kept = sorted(kept + unused, key=Finding.sort_key)
    return kept


def _suppressed(f: Finding, pos: int, regions, next_line, comments, matcher: _Matcher) -> Directive | None:
    """The directive that suppresses ``f`` (None: none does)."""
    for d in next_line:
        if d.target == pos:
            sel = matcher.match(d, f.code)
            if sel is not None:
                d.used.add(sel)
                return d
    active: tuple[Directive, str] | None = None
    for d in regions:
        if d.paragraph >= pos:
            break
        sel = matcher.match(d, f.code)
        if sel is None:
            continue
        active = (d, sel) if d.kind == "disable" else None
    if active is not None:
        active[0].used.add(active[1])
        return active[0]
    for d in comments:
        if _in_comment(d, pos, f.start, f.end if f.paragraph is not None else f.start):
            sel = matcher.match(d, f.code)
            if sel is not None:
                d.used.add(sel)
                return d
    return None


def _not_applied(doc, outline, directives, would: dict[int, int], registry, config) -> list[Finding]:
    """Policy mode: one C698 finding per suppression directive, saying that it was not applied and
    how many findings it would have hidden -- what the tree tried to suppress, listed."""
    from ..engine.rule import RuleContext

    rule = registry.get(IGNORED_CODE) if registry is not None else None
    if rule is None or outline is None:
        return []
    severity = config.severity_for(rule) if config is not None else rule.severity
    ctx = RuleContext(doc, outline, rule, severity=severity, config=config)
    out = []
    for d in directives:
        if d.kind == "enable":
            continue
        what = f"ecocheck-{d.kind} {' '.join(d.selectors)}".rstrip()
        n = would.get(id(d), 0)
        message = f"策略模式下抑制注释不生效：{what}" + (f"（其范围内 {n} 个问题照常报告）" if n else "")
        text = doc.paragraphs[d.paragraph].text
        if d.comment:
            end = d.end if (d.end_paragraph in (None, d.paragraph) and d.end > d.start) else len(text)
            out.append(ctx.finding(d.paragraph, d.start, end, message))
        else:
            out.append(ctx.finding(d.paragraph, 0, len(text), message))
    return out


def _unused(doc, outline, directives, matcher: _Matcher, rule, severity, config) -> list[Finding]:
    from ..engine.rule import RuleContext

    if outline is None:
        return []
    ctx = RuleContext(doc, outline, rule, severity=severity, config=config)
    out = []
    for d in directives:
        if d.kind == "enable":
            continue
        if not d.selectors:
            if ALL in d.used:
                continue
            message = "抑制注释没有抑制任何问题，可以删除"
        else:
            unknown = [s for s in d.selectors if s.upper() != "ALL" and matcher.codes(s) is None]
            unused = [s for s in d.selectors if s not in d.used and s not in unknown]
            if not unknown and not unused:
                continue
            parts = []
            if unused:
                parts.append(f"{'、'.join(unused)} 没有可抑制的问题")
            if unknown:
                parts.append(f"{'、'.join(unknown)} 不是已知的规则")
            message = f"抑制注释未起作用：{'；'.join(parts)}"
        if d.comment:
            end = d.end if (d.end_paragraph in (None, d.paragraph) and d.end > d.start) else \
                len(doc.paragraphs[d.paragraph].text)
            f = ctx.finding(d.paragraph, d.start, end, message, suggestion="删除该批注或改正其中的规则代码")
        else:
            f = ctx.finding(d.paragraph, 0, len(doc.paragraphs[d.paragraph].text), message,
                            suggestion="删除这行抑制注释或改正其中的规则代码")
        out.append(f)
    return out
