"""What the F rules share: the base class, option readers, body selection, font checks, grouping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from ecocheck.engine.rule import Rule, RuleContext
from ecocheck.engine.scopes import scope_spans
from ecocheck.model import Finding

from ..fonts import FontSet, expected_size, font_label, has_east_asian, pt_label, size_label

if TYPE_CHECKING:  # the format view (and the .docx stack under it) loads with the first .docx checked
    from ..docmodel import DocxFormat
    from ..styles import RunProps

STANDARD = "GB/T 9704-2012《党政机关公文格式》"


class FormatRule(Rule):
    """Base of the GB/T 9704 rules: .docx only, every genre."""

    formats = ("docx",)

    def fmt(self, ctx: RuleContext) -> DocxFormat:
        from ..docmodel import docx_format

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


class BodySpan(NamedTuple):
    paragraph: int
    start: int
    end: int
    whole: bool  # the span is the whole paragraph (not the body part of a run-in heading)


def body_spans(ctx: RuleContext, fmt: DocxFormat) -> list[BodySpan]:
    """Body text of the document (outline scope ``body``) that the format rules check.

    Left out: the title, table cells, blank text, paragraphs whose XML could
    not be paired with the loaded text, and centred paragraphs (second title
    lines, subtitles, captions: not body text).  Computed once per document.
    """
    key = "ecocheck-gbt9704:body"
    cached = ctx.outline.cache.get(key)
    if cached is not None:
        return cached
    out: list[BodySpan] = []
    paragraphs = ctx.document.paragraphs
    for span in scope_spans(ctx.outline, "body"):
        index, start, end = span.paragraph, span.start, span.end
        p = paragraphs[index]
        if start > 0:  # body text after a run-in heading: its closing punctuation belongs to the heading
            while start < end and p.text[start] in _HEADING_END:
                start += 1
        info = fmt.info(index)
        if info is None or info.in_table or p.table is not None:
            continue
        text = p.text[start:end]
        if not text or text.isspace():
            continue
        if info.props.jc == "center":
            continue
        out.append(BodySpan(index, start, end, start == 0))
    ctx.outline.cache[key] = out
    return out


def float_key(value: float) -> str:
    """A memo key for a float that, unlike the float, tells -0.0 from 0.0 (they are printed differently)."""
    return value.hex()


# ---------------------------------------------------------------------------
# Font face and size of a span


@dataclass(slots=True)
class FontProblem:
    """The part of a span whose runs have the wrong East Asian face or size, and those runs' formatting."""

    start: int
    end: int
    face_bad: tuple[RunProps, ...]  # formatting of the runs whose East Asian face is off, in order
    size_bad: tuple[RunProps, ...]  # … whose size is off


class FontCheck:
    """East Asian face and size of the text of ``what`` (标题, 正文, 一级标题…) in one document.

    Built once per rule run from the rule's options.  A span's problem is the runs whose East Asian
    face is not in ``fonts`` or whose size is off; the message names the expected and the actual
    faces and sizes.  Both are memoised per distinct formatting (a document has a handful of them):
    a run whose face and size are right is passed over without looking at its text, and a document
    with many wrongly set paragraphs repeats a few messages.
    """

    def __init__(self, fmt: DocxFormat, what: str, fonts: list[str], size_pt: float, tolerance: float = 0.25):
        self.fmt = fmt
        self.what = what
        self.fonts = fonts
        self.size_pt = size_pt
        self.tolerance = tolerance
        self.suggestion = f"{what}设为{fonts[0]}、{expected_size(size_pt)}"
        self._faces = FontSet(fonts)
        # by id() of a (shared) RunProps, which the value keeps alive: (props, face right, size right)
        self._verdicts: dict[int, tuple[RunProps, bool, bool]] = {}
        self._messages: dict[tuple, str] = {}  # by the ids of a problem's face_bad and size_bad

    @classmethod
    def from_options(cls, ctx: RuleContext, fmt: DocxFormat, what: str) -> FontCheck:
        """The check a rule with the options ``fonts``, ``size_pt`` and ``tolerance_pt`` asks for."""
        return cls(fmt, what, opt_list(ctx, "fonts"), opt_float(ctx, "size_pt"), opt_float(ctx, "tolerance_pt"))

    def _verdict(self, props: RunProps) -> tuple[RunProps, bool, bool]:
        verdict = self._verdicts[id(props)] = (props, self._faces.matches(props.east_asia),
                                               abs(props.size_pt - self.size_pt) <= self.tolerance)
        return verdict

    def problem(self, index: int, start: int, end: int) -> FontProblem | None:
        """Runs of ``[start, end)`` of paragraph ``index`` whose face or size is off."""
        info = self.fmt.info(index)
        if info is None:
            return None
        verdicts = self._verdicts
        face_bad: list[RunProps] = []
        size_bad: list[RunProps] = []
        first = last = None  # extent of the offending runs (runs come in text order)
        for run, props in info.formatted:
            _, face_ok, size_ok = verdicts.get(id(props)) or self._verdict(props)
            if face_ok and size_ok:
                continue  # whatever its text, the run is right
            # the part of the run inside the span (conditional expressions: max()/min() cost more here)
            a = run.start if run.start > start else start
            b = run.end if run.end < end else end
            if a >= b:
                continue  # the run lies outside the span
            text = run.text[a - run.start:b - run.start]
            if text.isspace():
                continue
            bad = False
            if not face_ok and has_east_asian(text, props.hint):
                face_bad.append(props)
                bad = True
            if not size_ok:
                size_bad.append(props)
                bad = True
            if bad:
                if first is None:
                    first = a
                last = b
        if first is None:
            return None
        return FontProblem(first, last, tuple(face_bad), tuple(size_bad))

    def message(self, problem: FontProblem) -> str:
        key = (tuple(map(id, problem.face_bad)), tuple(map(id, problem.size_bad)))
        message = self._messages.get(key)
        if message is None:
            message = self._messages[key] = self._message(problem)
        return message

    def _message(self, problem: FontProblem) -> str:
        what = self.what
        face_bad, size_bad = problem.face_bad, problem.size_bad
        faces = "、".join(dict.fromkeys([_face(p) for p in face_bad or size_bad]))
        sizes = "、".join(pt_label(s) for s in dict.fromkeys([p.size_pt for p in size_bad or face_bad]))
        if face_bad and size_bad:
            return f"{what}字体应为{self.fonts[0]}（{size_label(self.size_pt)}），实为{faces}（{sizes}）"
        if face_bad:
            return f"{what}字体应为{self.fonts[0]}，实为{faces}"
        return f"{what}字号应为{expected_size(self.size_pt)}，实为{sizes}"


def _face(props) -> str:
    label = font_label(props.east_asia)
    return f"{label}（主题字体）" if props.east_asia_theme and props.east_asia else label


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


def opening_words(text: str, width: int = 10) -> str:
    """The first ``width`` characters of a paragraph (``…`` when cut): enough to find it with Ctrl+F."""
    text = " ".join(text.split()).replace("“", "‘").replace("”", "’")  # quoted inside “…”: nested marks
    return text if len(text) <= width else text[:width] + "…"


def grouped(ctx: RuleContext, verdicts: list[Verdict]) -> list[Finding]:
    """One finding per run of consecutive checked paragraphs with the same message.

    The finding sits on the first paragraph of the run; when the run is longer
    than one paragraph the message says which paragraphs it covers the way a writer finds them in Word:
    by the opening words of the first and the last (``自“…”至“…”共 N 段``), not by paragraph numbers,
    which Word does not show (and which count table cells).
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
            first = opening_words(ctx.document.paragraphs[v.paragraph].text)
            last = opening_words(ctx.document.paragraphs[verdicts[j].paragraph].text)
            message = f"自“{first}”至“{last}”共 {count} 段：{message}"
        findings.append(ctx.finding(v.paragraph, v.start, v.end, message, suggestion=v.suggestion))
        k = j + 1
    return findings
