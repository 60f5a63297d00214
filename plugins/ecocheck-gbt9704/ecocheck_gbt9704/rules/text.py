"""Type faces, sizes, alignment and indentation of title, body and headings (GB/T 9704-2012 §7.3)."""

from __future__ import annotations

from ecocheck.engine.rule import RuleDoc
from ecocheck.model import Severity

from .common import STANDARD, FontCheck, FormatRule, Verdict, body_spans, grouped, \
    opt_bool, opt_float, opt_ints, opt_list

_JC_ZH = {"left": "左对齐", "right": "右对齐", "center": "居中", "both": "两端对齐", "distribute": "分散对齐",
          "mediumKashida": "两端对齐", "highKashida": "两端对齐", "lowKashida": "两端对齐", "thaiDistribute": "分散对齐"}

_LEVEL_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
_LEVEL_LABEL = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}

FONT_MATCH_NOTE = "字体名包含其中任一项即视为符合（不区分大小写，忽略空格、下划线和连字符）；第一项用于提示信息"


def _title_paragraph(ctx, fmt):
    idx = ctx.outline.title
    if idx is None:
        return None
    info = fmt.info(idx)
    if info is None or info.in_table or not ctx.document.paragraphs[idx].text.strip():
        return None
    return idx


class TitleFont(FormatRule):
    code = "F703"
    name = "title-font-wrong"
    severity = Severity.WARNING
    summary = "标题不是 2 号小标宋体"
    options = {"fonts": ["方正小标宋简体", "小标宋", "XiaoBiaoSong"], "size_pt": 22, "tolerance_pt": 0.25}
    doc = RuleDoc(
        what="检查标题行（大纲识别出的标题段落）每个文字块的实际字体和字号：中文字体应为方正小标宋简体"
             "（方正小标宋_GBK、FZXiaoBiaoSong-B05S 等小标宋字体均可），字号 2 号（22 磅）。"
             "字体、字号按 Word 的继承规则求出：文字块的直接格式 → 字符样式 → 段落样式及其基准样式 → 文档默认格式 → 主题字体。"
             "数字和西文字母不检查字体。",
        why=f"{STANDARD} §7.3.1 标题：一般用 2 号小标宋体字，编排于红色分隔线下空二行位置，分一行或多行居中排布。"
            "用宋体加粗冒充小标宋，是公文格式审核中常见的退文理由。",
        bad="关于2024年度政治生态建设情况的报告　（宋体加粗，小二号）",
        good="关于2024年度政治生态建设情况的报告　（方正小标宋简体，2 号，居中）",
        options={"fonts": "可接受的标题字体，" + FONT_MATCH_NOTE, "size_pt": "标题字号（磅），2 号 = 22 磅",
                 "tolerance_pt": "字号允许的误差（磅）"},
        references=[f"{STANDARD} §7.3.1 标题"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        idx = _title_paragraph(ctx, fmt)
        if idx is None:
            return
        check = FontCheck.from_options(ctx, fmt, "标题")
        problem = check.problem(idx, 0, len(ctx.document.paragraphs[idx].text))
        if problem is not None:
            yield ctx.finding(idx, problem.start, problem.end, check.message(problem), suggestion=check.suggestion)


class TitleAlignment(FormatRule):
    code = "F704"
    name = "title-not-centred"
    severity = Severity.WARNING
    summary = "标题没有居中"
    options = {}
    doc = RuleDoc(
        what="检查标题行的段落对齐方式（w:jc，按段落样式继承求出）是否为居中。",
        why=f"{STANDARD} §7.3.1 标题：标题分一行或多行居中排布，回行时要做到词意完整、排列对称。",
        bad="标题沿用正文样式，两端对齐并首行缩进 2 字。",
        good="标题段落居中，取消首行缩进。",
        references=[f"{STANDARD} §7.3.1 标题"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        idx = _title_paragraph(ctx, fmt)
        if idx is None:
            return
        props = fmt.paragraph_props(idx)
        if props is not None and props.jc != "center":
            yield ctx.finding(idx, 0, 0, f"标题应居中，实为{_JC_ZH.get(props.jc, props.jc)}",
                              suggestion="标题段落设为居中（Ctrl+E），并取消首行缩进")


class BodyFont(FormatRule):
    code = "F705"
    name = "body-font-wrong"
    severity = Severity.WARNING
    summary = "正文不是 3 号仿宋体"
    options = {"fonts": ["仿宋_GB2312", "仿宋", "FangSong"], "size_pt": 16, "tolerance_pt": 0.25}
    doc = RuleDoc(
        what="检查正文（标题、各级标题行、表格和居中段落之外的文字；带正文的标题行只查标题之后的部分）"
             "每个文字块的实际中文字体和字号：仿宋_GB2312 或仿宋（FangSong 等），3 号（16 磅）。"
             "字体、字号按 Word 的继承规则求出（直接格式 → 字符样式 → 段落样式链 → 文档默认格式 → 主题字体）。"
             "连续多段问题相同时合并为一条提示，注明段落范围（中间的标题行不打断，符合要求的段落会打断）。",
        why=f"{STANDARD} §5.2.2 字体和字号：如无特殊说明，公文格式各要素一般用 3 号仿宋体字；"
            "§7.3.3 正文：公文首页必须显示正文，一般用 3 号仿宋体字。",
        bad="正文沿用 Word 默认的宋体五号（10.5 磅）或小四（12 磅）。",
        good="正文样式设为仿宋_GB2312、3 号。",
        options={"fonts": "可接受的正文字体，" + FONT_MATCH_NOTE, "size_pt": "正文字号（磅），3 号 = 16 磅",
                 "tolerance_pt": "字号允许的误差（磅）"},
        references=[f"{STANDARD} §5.2.2 字体和字号", f"{STANDARD} §7.3.3 正文"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        check = FontCheck.from_options(ctx, fmt, "正文")
        suggestion = check.suggestion + "；统一修改“正文”样式最省事"
        verdicts = []
        for span in body_spans(ctx, fmt):
            problem = check.problem(span.paragraph, span.start, span.end)
            if problem is None:
                verdicts.append(Verdict(span.paragraph))
            else:
                verdicts.append(Verdict(span.paragraph, check.message(problem), problem.start, problem.end,
                                        suggestion=suggestion))
        return grouped(ctx, verdicts)


class BodyIndent(FormatRule):
    code = "F706"
    name = "body-indent-not-two-chars"
    severity = Severity.WARNING
    summary = "正文段落没有首行缩进 2 字"
    options = {"first_line_chars": 2, "tolerance_chars": 0.3, "count_leading_spaces": True}
    doc = RuleDoc(
        what="检查正文段落（不含标题行、带正文的标题行、表格、居中和右对齐的段落、Word 自动编号的段落）的实际缩进：首行缩进 2 字"
             "（w:ind firstLineChars=\"200\"，或 firstLine 约为 2 × 字号，3 号字即 640 缇），回行顶格（无左缩进、无悬挂缩进）。"
             "缩进按段落样式链和文档默认格式继承求出；段首的全角空格按每个 1 字计入（可关闭）。"
             "连续多段问题相同时合并为一条提示（中间的标题行不打断，问题不同或符合要求的段落会打断）。",
        why=f"{STANDARD} §7.3.3 正文：每个自然段左空二字，回行顶格。缩进不足或整段左缩进，版面参差不齐。",
        bad="正文段落无首行缩进；或设置了左缩进 2 字，使回行也空两格。",
        good="段落 → 缩进 → 特殊格式：首行缩进 2 字符；左、右缩进 0。",
        options={"first_line_chars": "首行缩进字数", "tolerance_chars": "允许的误差（字）",
                 "count_leading_spaces": "段首全角空格是否计入缩进（true/false）"},
        references=[f"{STANDARD} §7.3.3 正文"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        want = opt_float(ctx, "first_line_chars")
        tol = opt_float(ctx, "tolerance_chars")
        spaces = opt_bool(ctx, "count_leading_spaces")
        suggestion = f"段落 → 特殊格式：首行缩进 {_chars(want)} 字符，左缩进 0"
        verdicts = []
        for span in body_spans(ctx, fmt):
            if not span.whole:
                continue  # the paragraph is a run-in heading's: indentation belongs to the heading line
            if ctx.document.paragraphs[span.paragraph].num_prefix:
                continue  # Word list paragraph: its indentation comes from the numbering definition
            props = fmt.paragraph_props(span.paragraph)
            if props is None or props.jc == "right":
                continue
            runs = fmt.runs(span.paragraph)
            size = runs[0][1].size_pt if runs else 16.0
            text = ctx.document.paragraphs[span.paragraph].text
            lead = len(text) - len(text.lstrip("\u3000 ")) if spaces else 0
            lead_chars = sum(1.0 if ch == "\u3000" else 0.5 for ch in text[:lead])
            first = props.first_line_chars(size) + lead_chars
            left = props.left_chars(size)
            message = None
            if abs(left) > tol:
                what = f"左缩进 {_chars(left)} 字" if left > 0 else f"左侧凸出 {_chars(-left)} 字"
                message = f"正文应首行缩进 {_chars(want)} 字、回行顶格，实为{what}"
                if abs(first - want) > tol:
                    message += f"、首行{_indent_zh(first)}"
            elif abs(first - want) > tol:
                message = f"正文首行应缩进 {_chars(want)} 字，实为{_indent_zh(first)}"
            verdicts.append(Verdict(span.paragraph, message, 0, 0, suggestion=suggestion if message else None))
        return grouped(ctx, verdicts)


def _chars(value: float) -> str:
    return f"{round(value, 1):g}"


def _indent_zh(chars: float) -> str:
    if abs(chars) < 0.05:
        return "无缩进"
    if chars < 0:
        return f"悬挂缩进 {_chars(-chars)} 字"
    return f"缩进 {_chars(chars)} 字"


class HeadingFont(FormatRule):
    code = "F708"
    name = "heading-font-wrong"
    severity = Severity.WARNING
    summary = "各级标题字体不合规范（一级黑体、二级楷体、三四级仿宋）"
    options = {
        "level1_fonts": ["黑体", "SimHei", "Heiti"],
        "level2_fonts": ["楷体_GB2312", "楷体", "KaiTi"],
        "level3_fonts": ["仿宋_GB2312", "仿宋", "FangSong"],
        "level4_fonts": ["仿宋_GB2312", "仿宋", "FangSong"],
        "size_pt": 16,
        "tolerance_pt": 0.25,
    }
    doc = RuleDoc(
        what="检查各级标题（大纲识别出的“一、”“（一）”“1.”“（1）”标题）的实际中文字体和字号："
             "一级黑体，二级楷体_GB2312（楷体），三级、四级仿宋_GB2312（仿宋），均为 3 号。"
             "带正文的标题行（“（一）加强政治建设。正文……”）只查标题部分；Word 自动编号生成的序号不查。",
        why=f"{STANDARD} §7.3.3 正文：文中结构层次序数依次可以用“一、”“（一）”“1.”“（1）”标注；"
            "一般第一层用黑体字、第二层用楷体字、第三层和第四层用仿宋体字标注。",
        bad="一、总体评价　（宋体加粗）\n（一）政治建设有力推进　（仿宋）",
        good="一、总体评价　（黑体，3 号）\n（一）政治建设有力推进　（楷体_GB2312，3 号）",
        options={"level1_fonts": "一级标题（一、）可接受的字体，" + FONT_MATCH_NOTE,
                 "level2_fonts": "二级标题（（一））可接受的字体", "level3_fonts": "三级标题（1.）可接受的字体",
                 "level4_fonts": "四级标题（（1））可接受的字体", "size_pt": "各级标题字号（磅），3 号 = 16 磅",
                 "tolerance_pt": "字号允许的误差（磅）"},
        references=[f"{STANDARD} §7.3.3 正文（结构层次序数与字体）"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        size = opt_float(ctx, "size_pt")
        tol = opt_float(ctx, "tolerance_pt")
        checks = {level: FontCheck(fmt, f"{zh}标题", opt_list(ctx, f"level{level}_fonts"), size, tol)
                  for level, zh in _LEVEL_ZH.items()}
        for node in ctx.outline.headings():
            check = checks.get(node.level)
            if check is None:
                continue
            info = fmt.info(node.paragraph)
            if info is None or info.in_table:
                continue
            problem = check.problem(node.paragraph, node.start, node.end)
            if problem is not None:
                yield ctx.finding(node.paragraph, problem.start, problem.end, check.message(problem), node=node,
                                  suggestion=check.suggestion)


class HeadingBold(FormatRule):
    code = "F709"
    name = "bold-heading"
    severity = Severity.INFO
    summary = "标题使用了加粗"
    options = {"levels": [1, 2, 3, 4]}
    doc = RuleDoc(
        what="提示各级标题中加粗的文字（w:b，按样式继承和切换规则求出）。三级标题用仿宋加粗是不少单位的惯例，"
             "因此只作提示；如本单位有此要求，可在 levels 中去掉 3。",
        why=f"{STANDARD} §7.3.3 只规定各层标题的字体（黑体、楷体、仿宋），没有要求加粗；"
            "黑体、楷体本身已有足够的区分度，再加粗会显得臃肿，打印时笔画粘连。",
        bad="一、总体评价　（黑体加粗）",
        good="一、总体评价　（黑体，不加粗）",
        options={"levels": "检查哪些层级的标题（1–4）"},
        references=[f"{STANDARD} §7.3.3 正文（结构层次序数与字体）", "加粗：属单位习惯，仅作提示"],
    )

    def check(self, ctx):
        fmt = self.fmt(ctx)
        levels = set(opt_ints(ctx, "levels"))
        for node in ctx.outline.headings():
            if node.level not in levels or node.level not in _LEVEL_ZH:
                continue
            bold = [(run, props) for run, props in fmt.runs(node.paragraph, node.start, node.end)
                    if props.bold and run.text.strip()]
            if not bold:
                continue
            start = max(node.start, bold[0][0].start)
            end = min(node.end, bold[-1][0].end)
            yield ctx.finding(node.paragraph, start, end,
                              f"{_LEVEL_ZH[node.level]}标题使用了加粗，GB/T 9704 未要求加粗", node=node,
                              suggestion="如无本单位特别要求，取消加粗（Ctrl+B）")
