"""F710 missing page numbers, F711 page-number format (GB/T 9704-2012 §7.5)."""

from __future__ import annotations

import re

from ecocheck.engine.rule import RuleDoc
from ecocheck.model import Severity

from ..fonts import expected_size, font_label, font_matches, pt_label
from ..ooxml import Field, paragraph_fields, w
from .common import STANDARD, FormatRule, opt_float, opt_list

#: \* switches and w:pgNumType formats that show half-width Arabic numerals
_ARABIC = {"arabic", "decimal", "mergeformat", "charformat"}
_HYPHEN_FORMATS = {"arabicdash", "numberindash"}
_FULLWIDTH_DIGITS = re.compile(r"[０-９]")


def _numeral_zh(fmt: str) -> str:
    """Chinese name of a numbering format (``\\*`` switch or ``w:pgNumType w:fmt``), lower-cased."""
    for keys, name in ((("roman",), "罗马数字"), (("letter", "alphabetic"), "英文字母"),
                       (("fullwidth", "dbchar"), "全角数字"), (("circle", "enclosed"), "带圈数字"),
                       (("chinese", "ideograph", "dbnum", "taiwanese", "japanese", "korean"), "中文数字")):
        if any(k in fmt for k in keys):
            return name
    return f"“{fmt}”格式"


def _unique(values):
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _page_fields(root) -> list[tuple[object, Field]]:
    out = []
    for p in root.iter(w("p")):
        for f in paragraph_fields(p):
            if f.name == "PAGE":
                out.append((p, f))
    return out


def _story_text(root) -> str:
    return "".join(t.text or "" for t in root.iter(w("t")))


class PageNumberMissing(FormatRule):
    code = "F710"
    name = "page-number-missing"
    severity = Severity.WARNING
    summary = "没有设置页码"
    options = {}
    doc = RuleDoc(
        what="检查页脚中是否有页码域（PAGE 域）。页码放在页眉里、或在页脚手工输入数字（不会逐页变化）也会提示。",
        why=f"{STANDARD} §7.5 页码：一般用 4 号半角宋体阿拉伯数字，编排在公文版心下边缘之下。"
            "多页材料没有页码，打印后容易错页、漏页。",
        bad="页脚为空；或页脚里手工输入“— 1 —”。",
        good="插入 → 页码 → 页面底端，页码两侧加一字线：— 1 —。",
        references=[f"{STANDARD} §7.5 页码"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        if any(_page_fields(root) for _, root in fmt.footers if root is not None):
            return
        suggestion = "插入 → 页码 → 页面底端（页脚），格式为“— 1 —”"
        if any(_page_fields(root) for _, root in fmt.headers if root is not None):
            yield ctx.document_finding("页码应编排在页脚（版心下边缘之下），实为页眉", suggestion=suggestion)
        elif any(re.search(r"\d", _story_text(root)) for _, root in fmt.footers if root is not None):
            yield ctx.document_finding("页脚中的页码是手工输入的数字，不会逐页变化；应插入页码域",
                                       suggestion=suggestion)
        else:
            yield ctx.document_finding("未设置页码：页脚中没有页码域", suggestion=suggestion)


class PageNumberFormat(FormatRule):
    code = "F711"
    name = "page-number-format-wrong"
    severity = Severity.WARNING
    summary = "页码格式不是“— 1 —”（4 号半角宋体阿拉伯数字）"
    options = {"fonts": ["宋体", "SimSun"], "size_pt": 14, "tolerance_pt": 0.25, "dashes": "—―─"}
    doc = RuleDoc(
        what="检查页脚中每个页码域（PAGE 域）：数字为半角阿拉伯数字（域开关 \\* Arabic 或节的页码格式为 1, 2, 3…）；"
             "两侧各有一条一字线（“— 1 —”，不是连字符“-”）；页码数字实际字号为 4 号（14 磅）、"
             "字体为宋体（数字用 w:ascii 字体，按样式继承求出）。每种问题一条提示。",
        why=f"{STANDARD} §7.5 页码：一般用 4 号半角宋体阿拉伯数字，编排在公文版心下边缘之下，"
            "数字左右各放一条一字线；一字线上距版心下边缘 7 mm。",
        bad="页脚为“第 1 页 共 5 页”，或为“- 1 -”（连字符），或页码为五号 Calibri。",
        good="页脚为“— 1 —”：一字线 + 空格 + PAGE 域 + 空格 + 一字线，4 号宋体。",
        options={"fonts": "可接受的页码数字字体；字体名包含其中任一项即视为符合", "size_pt": "页码字号（磅），4 号 = 14 磅",
                 "tolerance_pt": "字号允许的误差（磅）", "dashes": "视为一字线的字符"},
        references=[f"{STANDARD} §7.5 页码", "OOXML：“— N —”，宋体 14 磅"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        fonts = opt_list(ctx, "fonts")
        size = opt_float(ctx, "size_pt")
        tol = opt_float(ctx, "tolerance_pt")
        raw = ctx.options.get("dashes") or self.options["dashes"]
        dashes = "".join(raw) if isinstance(raw, (list, tuple)) else str(raw)
        messages: dict[str, str] = {}  # message -> suggestion, in order, deduplicated across footers
        section_formats = {(s.page_number_format or "decimal").lower() for s in fmt.sections}
        for _name, root in fmt.footers:
            if root is None:
                continue
            for p, field in _page_fields(root):
                for message, suggestion in self._problems(fmt, p, field, fonts, size, tol, dashes, section_formats):
                    messages.setdefault(message, suggestion)
        for message, suggestion in messages.items():
            yield ctx.document_finding(message, suggestion=suggestion)

    def _problems(self, fmt, p, field: Field, fonts, size, tol, dashes, section_formats):
        switches = {s.lower() for s in field.format_switches}
        hyphens = bool(switches & _HYPHEN_FORMATS) or (not switches and bool(section_formats & _HYPHEN_FORMATS))
        other = (switches - _ARABIC - _HYPHEN_FORMATS) or \
            (set() if switches else section_formats - _ARABIC - _HYPHEN_FORMATS)
        if other or _FULLWIDTH_DIGITS.search(field.result):
            shown = "、".join(_unique(_numeral_zh(o) for o in sorted(other))) if other else "全角数字"
            yield (f"页码应为半角阿拉伯数字，实为{shown}",
                   "页码格式设为“1, 2, 3, …”，去掉域代码中的 \\* 格式开关")
        before, after = field.before.rstrip(" \u3000\u00a0"), field.after.lstrip(" \u3000\u00a0")
        if hyphens:
            yield ("页码两侧应为一字线“— 1 —”，实为连字符“- 1 -”（页码格式“-1-”）",
                   "页码格式改为“1, 2, 3, …”，在页码两侧手工输入一字线“—”")
        elif not (before[-1:] and before[-1] in dashes and after[:1] and after[0] in dashes):
            number = field.result.strip() or "1"
            shown = f"{field.before}{number}{field.after}".strip() or number
            yield (f"页码数字左右应各有一条一字线（— {number} —），实为“{shown}”",
                   "在页码域两侧输入一字线“—”（中文输入法下 Shift+- 输入“——”后删去一半），与数字间各空一格")
        runs = field.result_runs or field.code_runs[:1]
        psid = fmt.styles.paragraph_style_id(p)
        props = [fmt.styles.run_props(p, r, psid) for r in runs]
        if not props:
            return
        sizes = []
        for pr in props:
            if abs(pr.size_pt - size) > tol and pr.size_pt not in sizes:
                sizes.append(pr.size_pt)
        if sizes:
            yield (f"页码字号应为{expected_size(size)}，实为{'、'.join(pt_label(s) for s in sizes)}",
                   f"页码（连同两侧一字线）设为{expected_size(size)}")
        faces = []
        for pr in props:
            face = pr.ascii
            if not font_matches(face, fonts) and face not in faces:
                faces.append(face)
        if faces:
            yield (f"页码字体应为{fonts[0]}，实为{'、'.join(font_label(f) for f in faces)}",
                   f"页码数字设为{fonts[0]}（西文字体也要选{fonts[0]}）")
