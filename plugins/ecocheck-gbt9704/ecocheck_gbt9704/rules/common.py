"""What the F rules share: the base class, option readers, body selection, font checks, grouping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ecocheck.engine.rule import Rule, RuleContext
from ecocheck.engine.scopes import scope_spans
from ecocheck.model import Finding, Span

from ..docmodel import DocxFormat, docx_format
from ..fonts import expected_size, font_label, font_matches, has_east_asian, pt_label, size_label

STANDARD = "GB/T 9704-2012《党政机关公文格式》"
DOMAIN = "../shared/reference/domain.md"


class FormatRule(Rule):
    """Base of the GB/T 9704 rules: .docx only, every genre."""

    formats = ("docx",)

    def fmt(self, ctx: RuleContext) -> DocxFormat:
        return docx_format(ctx.outline)


# ---------------------------------------------------------------------------
# Options (values come from users' config files: be forgiving about types)


def opt_float(ctx: RuleContext, key: str) -> float:
    value = ctx.options.get(key, ctx.rule.options.get(key))
    try:
        return float(value)
    except (TypeError, ValueError):
        return float(ctx.rule.options[key])


def opt_list(ctx: RuleContext, key: str) -> list[str]:
    value = ctx.options.get(key, ctx.rule.options.get(key))
    if isinstance(value, str):
        value = [v.strip() for v in value.replace("，", ",").split(",")]
    try:
        out = [str(v) for v in value if str(v).strip()]
    except TypeError:
        out = []
    return out or list(ctx.rule.options[key])


def opt_bool(ctx: RuleContext, key: str) -> bool:
    value = ctx.options.get(key, ctx.rule.options.get(key))
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)


def opt_ints(ctx: RuleContext, key: str) -> list[int]:
    value = ctx.options.get(key, ctx.rule.options.get(key))
    if isinstance(value, (int, str)):
        value = [value] if isinstance(value, int) else value.replace("，", ",").split(",")
    out = []
    for v in value or ():
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return out


# ---------------------------------------------------------------------------
# Which paragraphs are body text


_HEADING_END = "。！？!?：:；; \t\u3000"


@dataclass(frozen=True, slots=True)
class BodySpan:
    paragraph: int
    start: int
    end: int
    whole: bool  # the span is the whole paragraph (not the body part of a run-in heading)


def body_spans(ctx: RuleContext, fmt: DocxFormat) -> list[BodySpan]:
    """Body text of the document (outline scope ``body``) that the format rules check.

    Left out: the title, table cells, blank text, paragraphs whose XML could
    not be paired with the loaded text, and centred paragraphs (second title
    lines, subtitles, captions: not body text).
    """
    key = "ecocheck-gbt9704:body"
    cached = ctx.outline.cache.get(key)
    if cached is not None:
        return cached
    out: list[BodySpan] = []
    paragraphs = ctx.document.paragraphs
    for span in scope_spans(ctx.outline, "body"):
        p = paragraphs[span.paragraph]
        start = span.start
        if start > 0:  # body text after a run-in heading: its closing punctuation belongs to the heading
            while start < span.end and p.text[start] in _HEADING_END:
                start += 1
            span = Span(span.paragraph, start, span.end)
        info = fmt.info(span.paragraph)
        if info is None or info.in_table or p.table is not None:
            continue
        if not p.text[span.start:span.end].strip():
            continue
        props = fmt.paragraph_props(span.paragraph)
        if props is None or props.jc == "center":
            continue
        out.append(BodySpan(span.paragraph, span.start, span.end, span.start == 0))
    ctx.outline.cache[key] = out
    return out


# ---------------------------------------------------------------------------
# Font face and size of a span


@dataclass(slots=True)
class FontProblem:
    start: int
    end: int
    face_bad: bool
    size_bad: bool
    faces: list[str]  # actual East Asian fonts of the offending runs, in order ("（主题字体）" marked)
    sizes: list[float]  # actual sizes of the offending runs

    def message(self, what: str, expected_face: str, expected_pt: float) -> str:
        faces = "、".join(self.faces)
        sizes = "、".join(pt_label(s) for s in self.sizes)
        if self.face_bad and self.size_bad:
            return f"{what}字体应为{expected_face}（{size_label(expected_pt)}），实为{faces}（{sizes}）"
        if self.face_bad:
            return f"{what}字体应为{expected_face}，实为{faces}"
        return f"{what}字号应为{expected_size(expected_pt)}，实为{sizes}"


def check_font(fmt: DocxFormat, index: int, start: int, end: int, fonts: list[str] | None,
               size_pt: float | None, tolerance: float = 0.25) -> FontProblem | None:
    """Runs of ``[start, end)`` whose East Asian face is not in ``fonts`` or whose size is off."""
    face_runs: list = []
    size_runs: list = []
    for run, props in fmt.runs(index, start, end):
        a, b = max(run.start, start), min(run.end, end)
        text = run.text[a - run.start:b - run.start]
        if not text.strip():
            continue
        if fonts is not None and has_east_asian(text, props.hint) and not font_matches(props.east_asia, fonts):
            face_runs.append((a, b, props))
        if size_pt is not None and abs(props.size_pt - size_pt) > tolerance:
            size_runs.append((a, b, props))
    if not face_runs and not size_runs:
        return None
    bad = face_runs + size_runs
    faces = _unique(_face(p) for _, _, p in (face_runs or size_runs))
    sizes = _unique(p.size_pt for _, _, p in (size_runs or face_runs))
    return FontProblem(min(a for a, _, _ in bad), max(b for _, b, _ in bad), bool(face_runs), bool(size_runs),
                       faces, sizes)


def _face(props) -> str:
    label = font_label(props.east_asia)
    return f"{label}（主题字体）" if props.east_asia_theme and props.east_asia else label


def _unique(values: Iterable[Any]) -> list:
    out: list = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


# ---------------------------------------------------------------------------
# Grouping contiguous paragraphs with the same problem


@dataclass(slots=True)
class Verdict:
    """The outcome of one checked paragraph: None message = fine."""

    paragraph: int
    message: str | None = None
    start: int = 0
    end: int = 0
    suggestion: str | None = None


def grouped(ctx: RuleContext, verdicts: list[Verdict]) -> list[Finding]:
    """One finding per run of consecutive checked paragraphs with the same message.

    The finding sits on the first paragraph of the run; when the run is longer
    than one paragraph the message says which paragraphs it covers.
    """
    findings: list[Finding] = []
    k = 0
    while k < len(verdicts):
        v = verdicts[k]
        if v.message is None:
            k += 1
            continue
        j = k
        while j + 1 < len(verdicts) and verdicts[j + 1].message == v.message:
            j += 1
        count = j - k + 1
        message = v.message
        if count > 1:
            first = ctx.document.paragraphs[v.paragraph].line
            last = ctx.document.paragraphs[verdicts[j].paragraph].line
            message = f"第 {first}–{last} 段（共 {count} 段）{message}"
        findings.append(ctx.finding(v.paragraph, v.start, v.end, message, suggestion=v.suggestion))
        k = j + 1
    return findings
