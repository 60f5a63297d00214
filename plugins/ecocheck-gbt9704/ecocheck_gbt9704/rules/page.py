"""F701 page size, F702 margins (GB/T 9704-2012 §5.1, §5.2.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecocheck.engine.rule import RuleDoc
from ecocheck.model import Severity

from ..ooxml import twips_to_mm
from .common import STANDARD, FormatRule, opt_float

if TYPE_CHECKING:
    from ..docmodel import Section

#: well-known paper sizes (mm, portrait) to name what a document uses instead of A4
_PAPERS = {
    (210.0, 297.0): "A4", (297.0, 420.0): "A3", (148.0, 210.0): "A5", (176.0, 250.0): "B5",
    (182.0, 257.0): "B5（JIS）", (215.9, 279.4): "Letter", (215.9, 355.6): "Legal", (184.0, 260.0): "16开",
    (195.0, 270.0): "大16开",
}


def _mm(value: float) -> str:
    return f"{round(value, 1):g}"


def _paper_name(w_mm: float, h_mm: float) -> str | None:
    a, b = sorted((w_mm, h_mm))
    for (pw, ph), name in _PAPERS.items():
        if abs(pw - a) <= 1 and abs(ph - b) <= 1:
            return name
    return None


def _where(ctx, sections: list[Section], s: Section) -> str:
    return f"第 {s.number} 节" if len(sections) > 1 else ""


def _report(ctx, sections: list[Section], s: Section, message: str, suggestion: str):
    """Section 1 (and a section without paragraphs) at the document; later sections at their first paragraph."""
    prefix = _where(ctx, sections, s)
    if prefix:
        message = f"{prefix}{message}"
    if s.number == 1 or s.first is None:
        return ctx.document_finding(message, suggestion=suggestion)
    return ctx.finding(s.first, 0, 0, message, suggestion=suggestion)


class PageSize(FormatRule):
    code = "F701"
    name = "page-size-not-a4"
    severity = Severity.ERROR
    summary = "纸张不是 A4"
    options = {"width_mm": 210, "height_mm": 297, "tolerance_mm": 1}
    doc = RuleDoc(
        what="检查每一节的纸张大小（w:sectPr/w:pgSz）是否为 A4（210 毫米 × 297 毫米）。横向的 A4 节（宽表格）视为符合。"
             "未设置纸张大小的节也会提示，因为那时纸张由打开文档的软件决定。每节最多一条提示。",
        why=f"{STANDARD} §5.1 幅面尺寸：公文用纸采用 GB/T 148 中规定的 A4 型纸，成品幅面尺寸为 210 mm × 297 mm。"
            "用 Letter 等纸型排版，打印后版心、页码位置都会走样。",
        bad="页面设置为 Letter（215.9 毫米 × 279.4 毫米），这是英文版 Word 新建文档的默认纸型。",
        good="页面设置 → 纸张 → A4（21 厘米 × 29.7 厘米）。",
        options={"width_mm": "纸张宽度（毫米）", "height_mm": "纸张高度（毫米）", "tolerance_mm": "允许的误差（毫米）"},
        references=[f"{STANDARD} §5.1 幅面尺寸"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        want_w, want_h = opt_float(ctx, "width_mm"), opt_float(ctx, "height_mm")
        tol = opt_float(ctx, "tolerance_mm")
        expected = _paper_name(want_w, want_h) or "规定纸型"
        for s in fmt.sections:
            suggestion = f"在“布局 → 纸张大小”中选择 {expected}（{_mm(want_w)} × {_mm(want_h)} 毫米）"
            if s.width is None or s.height is None:
                yield _report(ctx, fmt.sections, s, f"未设置纸张大小，应为 {expected}（{_mm(want_w)}×{_mm(want_h)} 毫米）",
                              suggestion)
                continue
            w_mm, h_mm = twips_to_mm(s.width), twips_to_mm(s.height)
            fits = (abs(w_mm - want_w) <= tol and abs(h_mm - want_h) <= tol) or \
                   (abs(w_mm - want_h) <= tol and abs(h_mm - want_w) <= tol)
            if fits:
                continue
            name = _paper_name(w_mm, h_mm)
            actual = f"{_mm(w_mm)}×{_mm(h_mm)} 毫米" + (f"（{name}）" if name else "")
            yield _report(ctx, fmt.sections, s,
                          f"纸张应为 {expected}（{_mm(want_w)}×{_mm(want_h)} 毫米），实为 {actual}", suggestion)


class PageMargins(FormatRule):
    code = "F702"
    name = "page-margins-off"
    severity = Severity.ERROR
    summary = "页边距不符合公文版心要求"
    options = {"top_mm": 37, "bottom_mm": 35, "left_mm": 28, "right_mm": 26, "tolerance_mm": 1}
    doc = RuleDoc(
        what="检查每一节的页边距（w:pgMar，左边距含装订线 w:gutter）：上 37 毫米、下 35 毫米、左 28 毫米、右 26 毫米，"
             "允许 ±1 毫米。每节最多一条提示，列出所有超出范围的边距及其实际值。横向的节不检查。",
        why=f"{STANDARD} §5.2.1 页边与版心尺寸：天头（上白边）37 mm ± 1 mm，订口（左白边）28 mm ± 1 mm，"
            "版心 156 mm × 225 mm；由 A4 幅面推得下白边 35 mm、右白边 26 mm。边距不对，版心就不是 156 × 225，"
            "每页行数、每行字数随之改变。",
        bad="页边距沿用 Word 默认的上下 2.54 厘米、左右 3.18 厘米。",
        good="页边距：上 3.7 厘米、下 3.5 厘米、左 2.8 厘米、右 2.6 厘米。",
        options={"top_mm": "上边距（毫米）", "bottom_mm": "下边距（毫米）", "left_mm": "左边距（毫米，含装订线）",
                 "right_mm": "右边距（毫米）", "tolerance_mm": "允许的误差（毫米）"},
        references=[f"{STANDARD} §5.2.1 页边与版心尺寸", "OOXML 缇值：上 2098、下 1984、左 1588、右 1474"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        tol = opt_float(ctx, "tolerance_mm")
        names = (("top", "上"), ("bottom", "下"), ("left", "左"), ("right", "右"))
        for s in fmt.sections:
            if s.orient == "landscape" or (s.width and s.height and s.width > s.height):
                continue
            wrong = []
            for key, label in names:
                want = opt_float(ctx, f"{key}_mm")
                value = getattr(s, key)
                if value is None:
                    wrong.append(f"{label}边距未设置（应为 {_mm(want)} 毫米）")
                    continue
                if key == "left":
                    value += s.gutter
                got = twips_to_mm(value)
                if abs(got - want) > tol:
                    wrong.append(f"{label}边距应为 {_mm(want)} 毫米，实为 {_mm(got)} 毫米")
            if wrong:
                want = "、".join(f"{label} {_mm(opt_float(ctx, key + '_mm') / 10)} 厘米" for key, label in names)
                yield _report(ctx, fmt.sections, s, "页边距不符合要求：" + "；".join(wrong),
                              f"在“布局 → 页边距 → 自定义页边距”中设为{want}")
