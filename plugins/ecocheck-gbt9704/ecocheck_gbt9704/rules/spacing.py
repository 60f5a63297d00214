"""F707 line pitch: 22 lines a page (GB/T 9704-2012 §5.2.3)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ecocheck.engine.rule import RuleDoc
from ecocheck.model import Severity

from .common import STANDARD, FormatRule, Verdict, body_spans, float_key, grouped, \
    opt_float

if TYPE_CHECKING:
    from ..docmodel import DocxFormat
    from ..styles import ParaProps

SUGGESTION = "段落 → 行距：固定值 29 磅左右（或设置文档网格每页 22 行）"

#: Word's single line height is about 1.3 × the font size for the usual Chinese faces (SimSun, FangSong)
NATURAL_LINE_FACTOR = 1.3


def line_pitch(props: ParaProps, size_pt: float, section) -> tuple[float, str, bool]:
    """(resulting line pitch in points, how it is set in Chinese, whether the pitch is the set value itself)."""
    natural = size_pt * NATURAL_LINE_FACTOR
    line = props.line
    rule = props.line_rule
    if line is not None and rule == "exact":
        return line / 20, f"固定值 {line / 20:g} 磅", True
    if line is not None and rule == "atLeast":
        if line / 20 >= natural:
            return line / 20, f"最小值 {line / 20:g} 磅", True
        return natural, f"最小值 {line / 20:g} 磅（按字号约 {round(natural, 1):g} 磅）", True
    multiple = (line if line is not None else 240) / 240
    what = "单倍行距" if abs(multiple - 1) < 0.01 else f"{multiple:g} 倍行距"
    if section is not None and section.has_line_grid and props.snap_to_grid:
        grid = section.line_pitch / 20
        lines = max(1, math.ceil(natural / grid - 1e-6))
        return multiple * grid * lines, f"{what}（对齐文档网格，每行 {grid:g} 磅）", False
    return multiple * natural, what, False


def _largest_size(runs) -> float:
    """The largest size of the visible text of a paragraph (16 pt when it has none)."""
    size = None
    for run, props in runs:
        if not run.text.isspace() and (size is None or props.size_pt > size):  # run texts are never empty
            size = props.size_pt
    return 16.0 if size is None else size


class LineSpacing(FormatRule):
    code = "F707"
    name = "line-spacing-off"
    severity = Severity.WARNING
    summary = "行距不能使每页排 22 行"
    options = {"min_pt": 28.0, "max_pt": 29.5, "lines_per_page": 22}
    doc = RuleDoc(
        what="求出正文和各级标题段落实际的行距：固定值（lineRule=\"exact\"）取其值；最小值（atLeast）取其值与字号所需高度中的大者；"
             "多倍行距（auto）在对齐文档网格（w:docGrid linePitch）时为网格行距的倍数，否则按约 1.3 倍字号估算。"
             "行距在 28–29.5 磅之间即可（版心高 225 毫米排 22 行，约 29 磅一行；各地常用 28、28.8、28.95、29、29.5 磅），不要求某一个固定数值。"
             "连续多段问题相同时合并为一条提示，并给出按此行距每页大约能排的行数。",
        why=f"{STANDARD} §5.2.3 行数和字数：一般每面排 22 行，每行排 28 个字，并撑满版心；"
            "§3.2 把“行”定义为一个汉字的高度加 3 号汉字高度的 7/8。行距过小或过大，每页行数就不是 22 行。",
        bad="正文行距为单倍行距（无文档网格），每页约 30 行；或 1.5 倍行距。",
        good="段落 → 行距：固定值 28.95 磅（或 29 磅）；或单倍行距并设置文档网格每页 22 行。",
        options={"min_pt": "行距下限（磅）", "max_pt": "行距上限（磅）", "lines_per_page": "提示信息中写明的每页行数"},
        references=[f"{STANDARD} §5.2.3 行数和字数", f"{STANDARD} §3.2 行", "225 mm ÷ 22 ≈ 28.99 pt；固定行距超出约 28–29.5 磅时提示"],
    )

    def check(self, ctx):
        fmt: DocxFormat = self.fmt(ctx)
        low, high = opt_float(ctx, "min_pt"), opt_float(ctx, "max_pt")
        lines = int(opt_float(ctx, "lines_per_page"))
        indices = sorted({s.paragraph for s in body_spans(ctx, fmt)} | self._heading_paragraphs(ctx, fmt))
        messages: dict[tuple, str | None] = {}  # one verdict per distinct spacing, size and section
        verdicts = []
        for idx in indices:
            info = fmt.info(idx)
            if info is None:
                continue
            props = info.props
            size = _largest_size(info.formatted)
            section = fmt.section_of(idx)
            key = (props.line, props.line_rule, props.snap_to_grid, float_key(size),
                   section.number if section is not None else None)
            if key not in messages:
                messages[key] = self._message(props, size, section, low, high, lines)
            message = messages[key]
            verdicts.append(Verdict(idx, message, suggestion=SUGGESTION if message else None))
        return grouped(ctx, verdicts)

    @staticmethod
    def _message(props: ParaProps, size: float, section, low: float, high: float, lines: int) -> str | None:
        """What is wrong with the line pitch, or None when it is within ``[low, high]``."""
        pitch, how, stated = line_pitch(props, size, section)
        if low - 0.01 <= pitch <= high + 0.01:
            return None
        actual = how if stated else f"{how}，约 {round(pitch, 1):g} 磅"
        area = section.type_area_height_pt if section is not None else None
        if area and pitch > 0:  # an exact spacing of 0 (malformed, but Word opens it) has no line count
            actual += f"，每页约 {max(1, round(area / pitch))} 行"
        return f"行距应为 {low:g}–{high:g} 磅（每页 {lines} 行），实为{' ' if actual[0].isdigit() else ''}{actual}"

    @staticmethod
    def _heading_paragraphs(ctx, fmt) -> set[int]:
        out = set()
        for node in ctx.outline.headings():
            if node.paragraph != ctx.outline.title:
                info = fmt.info(node.paragraph)
                if info is not None and not info.in_table:
                    out.add(node.paragraph)
        return out
