"""S11x: numbering -- gaps, duplicates, restarts, mixed item series and skipped heading levels (层次序数)."""

from __future__ import annotations

import re

from ...engine.rule import Rule, RuleDoc
from ...model import OutlineNode, Severity
from .common import GB9704, NEW_PART, NUMBERING, all_parents, children_of, memo


# -- numbering ---------------------------------------------------------------------------
_FAMILY_CLASS = {"是": "shi", "要": "shi", "第": "di", "其": "qi"}
_FAMILY_SAMPLE = {"shi": "一是、二是", "di": "第一，第二，", "qi": "其一，其二，"}


def _heading_series(ctx) -> list[tuple[OutlineNode | None, list[OutlineNode]]]:
    """(parent, [sibling headings of one level]) for every parent, numbered labels only."""
    return memo(ctx, "heading_series", lambda: list(_find_heading_series(ctx)))


def _item_series(ctx) -> list[tuple[OutlineNode | None, list[OutlineNode]]]:
    """Runs of sibling items; a run ends where a list restarts at 一 in another paragraph."""
    return memo(ctx, "item_series", lambda: list(_find_item_series(ctx)))


def _find_heading_series(ctx):
    for parent in all_parents(ctx):
        if parent is not None and parent.kind != "heading":
            continue
        by_level: dict[int, list[OutlineNode]] = {}
        for c in children_of(ctx, parent):
            if c.kind == "heading" and c.ordinal is not None and c.style != "md":
                by_level.setdefault(c.level, []).append(c)
        for nodes in by_level.values():
            yield parent, nodes


def _find_item_series(ctx):
    for parent in all_parents(ctx):
        items = [c for c in children_of(ctx, parent) if c.kind == "item" and c.ordinal is not None]
        run: list[OutlineNode] = []
        for it in items:
            if run and it.ordinal == 1 and it.paragraph != run[-1].paragraph:
                yield parent, run
                run = []
            run.append(it)
        if run:
            yield parent, run


def _between_is_attachment(ctx, a: OutlineNode, b: OutlineNode) -> bool:
    """True when an attachment or a new part (附件, 第二部分) starts between two headings."""
    for q in range(a.paragraph + 1, b.paragraph):
        p = ctx.document.paragraphs[q]
        if not p.props.get("directive") and NEW_PART.match(p.text.strip()):
            return True
    return False


def _expected_label(node: OutlineNode, ordinal: int) -> str:
    """The label ``node`` would have with ``ordinal`` (一、 → 三、, （1） → （3）)."""
    from ...outline.numerals import int_to_cn

    m = re.search(r"[0-9０-９]+|[一二三四五六七八九十百零〇两]+|[①-⑳]", node.label)
    if not m:
        return str(ordinal)
    raw = m.group(0)
    if raw[0] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        new = chr(ord("①") + ordinal - 1) if 1 <= ordinal <= 20 else str(ordinal)
    elif raw[0].isdigit():
        new = str(ordinal)
    else:
        new = int_to_cn(ordinal)
    return node.label[:m.start()] + new + node.label[m.end():]


def _numbering_events(series: list[OutlineNode], headings: bool):
    """Yield (kind, node, expected, previous) for each break in a series.

    kinds: gap-start, gap, duplicate, restart, backwards.  ``expected`` is the
    ordinal the node should have had, ``previous`` the node before it (None for
    the first); after a break the count goes on from the node as corrected, so
    one slip yields one finding (一 二 二 四: only the second 二, which should be 三).
    """
    seen: set[int] = set()
    expected = 1
    for k, node in enumerate(series):
        o = node.ordinal
        previous = series[k - 1] if k else None
        if o == expected:
            pass
        elif k == 0:
            if headings and o > 1:
                yield "gap-start", node, expected, previous
        elif o == 1 and headings:
            yield "restart", node, expected, previous
        elif o in seen:
            yield "duplicate", node, expected, previous
            seen.add(o)
            expected += 1
            continue
        elif o > expected:
            yield "gap", node, expected, previous
        else:
            yield "backwards", node, expected, previous
            seen.add(o)
            continue  # the count goes on as if this node were not there
        seen.add(o)
        expected = o + 1


def _numbering_breaks(ctx):
    """Every break in the document's numbering, heading series first, then item series (一是…):
    ``(what, kind, node, expected, previous)``, ``what`` being how a message names the numbering
    (编号 for headings, 条目编号 for items)."""
    for what, headings, all_series in (("编号", True, _heading_series(ctx)), ("条目编号", False, _item_series(ctx))):
        for _parent, series in all_series:
            for kind, node, expected, previous in _numbering_events(series, headings):
                yield what, kind, node, expected, previous


class NumberingGap(Rule):
    code = "S110"
    name = "numbering-gap"
    severity = Severity.WARNING
    summary = "编号不连续（一、二、四，或一是、二是、四是）"
    doc = RuleDoc(
        what="同一上级之下、同一层级的标题编号必须连续（一、二、三；（一）（二）（三）；1. 2. 3.），同一组"
             "“一是、二是……”条目也必须连续；中间缺号，或第一个标题不从“一”开始时报告。",
        why="增删段落后忘了改编号是最常见的排版错误，审核时一眼就能看出，显得材料没有校对。",
        bad="一、基本情况　二、存在的问题　四、整改措施",
        good="一、基本情况　二、存在的问题　三、整改措施",
        references=[NUMBERING, GB9704],
    )

    def check(self, ctx):
        for what, kind, node, exp, _previous in _numbering_breaks(ctx):
            if kind in ("gap-start", "gap"):  # only heading series start with a gap
                missing = "、".join(f"“{_expected_label(node, k)}”" for k in range(exp, node.ordinal))
                where = "开始" if kind == "gap-start" else "处跳号"
                yield ctx.node_finding(node, f"{what}不连续：在“{node.label}”{where}，缺少{missing}", flag_label=True)


class NumberingDuplicate(Rule):
    code = "S111"
    name = "numbering-duplicate"
    severity = Severity.WARNING
    summary = "编号重复（（二）（二），或二是、二是）"
    doc = RuleDoc(
        what="同一上级之下、同一层级出现两个相同的编号，或同一组“一是、二是……”条目中编号重复时报告。",
        why="重复编号多由复制段落后忘了改号造成，会让读者以为漏了内容，也使“第（二）条”之类的引用产生歧义。",
        bad="（一）理论学习不够深入　（二）责任传导层层递减　（二）作风仍需改进",
        good="（一）理论学习不够深入　（二）责任传导层层递减　（三）作风仍需改进",
        references=[NUMBERING, GB9704],
    )

    def check(self, ctx):
        for what, kind, node, exp, _previous in _numbering_breaks(ctx):
            if kind == "duplicate":
                yield ctx.node_finding(
                    node, f"{what}重复：“{node.label}”前面已经出现过，应为“{_expected_label(node, exp)}”",
                    flag_label=True)


class NumberingRestart(Rule):
    code = "S112"
    name = "numbering-restart"
    severity = Severity.WARNING
    summary = "同一层级的编号中途重新开始或倒退"
    doc = RuleDoc(
        what="同一上级之下、同一层级的标题编号中途又从“一”开始（一、二、一、），或编号倒退（一、二、三、二、）时报告。"
             "不同上级之下重新编号（每个“一、”下的（一）都从（一）开始）是正常的，不报告；附件或“第二部分”之后"
             "重新编号也不报告。"
             "一是、二是……条目在另一段重新从“一是”开始视为新的一组，不报告。",
        why="编号重新开始，通常是从别的材料粘贴了一段、或者层级用错（本应是下一级标题），读者会弄不清层次。",
        bad="一、基本情况　二、存在的问题　一、整改措施",
        good="一、基本情况　二、存在的问题　三、整改措施",
        references=[NUMBERING, GB9704],
    )

    def check(self, ctx):
        for what, kind, node, exp, prev in _numbering_breaks(ctx):
            if kind == "restart" and not _between_is_attachment(ctx, prev, node):  # heading series only
                yield ctx.node_finding(
                    node, f"编号在“{prev.label}”之后重新从“{node.label}”开始，应为“{_expected_label(node, exp)}”"
                          "（若是下一级标题，请改用下一级序号）", flag_label=True)
            elif kind == "backwards":
                yield ctx.node_finding(
                    node, f"{what}倒退：“{prev.label}”之后是“{node.label}”，应为“{_expected_label(node, exp)}”",
                    flag_label=True)


class MixedItemSeries(Rule):
    code = "S113"
    name = "mixed-item-series"
    severity = Severity.WARNING
    summary = "同一组条目混用不同序号（第一，…二是…第三，）"
    doc = RuleDoc(
        what="同一组并列条目应使用同一种序号：“一是、二是、三是”，或“第一，第二，第三，”，或“其一，其二，”。"
             "一组之中混用时报告（“一是”与“一要”视为同一种）。",
        why="同一层次的格式必须一致；“第一，……二是……第三，”是公文校对中的典型错误。",
        bad="第一，压实主体责任。二是强化监督执纪。第三，加强队伍建设。",
        good="一是压实主体责任。二是强化监督执纪。三是加强队伍建设。",
        references=[NUMBERING],
    )

    def check(self, ctx):
        for _parent, series in _item_series(ctx):
            if len(series) < 2:
                continue
            first = _FAMILY_CLASS.get(series[0].props.get("family", "是"), "shi")
            for node in series[1:]:
                cls = _FAMILY_CLASS.get(node.props.get("family", "是"), "shi")
                if cls != first:
                    yield ctx.node_finding(
                        node, f"同一组条目混用序号：前面用“{series[0].label}”，这里用“{node.label}”",
                        suggestion=f"统一使用“{_FAMILY_SAMPLE[first]}……”", flag_label=True)
                    break


#: the longest line read as a section heading written without a label (2026年重点工作)
_BARE_HEADING_MAX = 30
_SENTENCE_MARKS = set("。，；：！？,;:!?")


def _unnumbered_heading_before(ctx, node: OutlineNode) -> bool:
    """Is there a short line with no sentence mark between the opening (title, salutation) and a
    top-level （一）?  Documents published on the web often carry their first-level headings without
    the 一、 (“十四五”时期工作回顾 … 2026年重点工作 / （一）…), so the （一） is under a heading after all."""
    outline = ctx.outline
    first = max((q for q in (outline.title, outline.salutation) if q is not None), default=-1) + 1
    for q in range(first, node.paragraph):
        p = ctx.document.paragraphs[q]
        text = p.text.strip()
        if (not p.props.get("directive") and 2 <= len(text) <= _BARE_HEADING_MAX
                and not _SENTENCE_MARKS.intersection(text)):
            return True
    return False


class SkippedHeadingLevel(Rule):
    code = "S114"
    name = "skipped-heading-level"
    severity = Severity.WARNING
    summary = "标题层级跳级（“一、”下直接用“（1）”，或标题下直接用“（一）”）"
    doc = RuleDoc(
        what="标题层次应依次为“一、”“（一）”“1.”“（1）”，不能跳过中间一级：“一、”之下直接出现“（1）”、"
             "“（一）”之下直接出现“（1）”、文档第一个层级就是“（一）”（上面没有“一、”，也没有不带序号、单独成行的短标题）都会报告。"
             "按公文惯例，全文只用两个层级时，“一、”之下直接用“1.”是允许的；“①”作为可选的第五层不检查。",
        why="跳级会让读者误判层次关系，也违反 GB/T 9704 对结构层次序数的规定。",
        bad="一、存在的问题\n（1）理论学习不够深入",
        good="一、存在的问题\n（一）理论学习不够深入",
        references=[GB9704, NUMBERING],
    )

    def check(self, ctx):
        levels = {n.level for n in ctx.outline.headings() if n.style != "md"}
        two_level = levels <= {1, 3}
        top_level = min(levels) if levels else 1
        for parent in all_parents(ctx):
            if parent is not None and (parent.kind != "heading" or parent.style == "md"):
                continue
            reported: set[int] = set()
            for c in children_of(ctx, parent):
                if c.kind != "heading" or c.style == "md" or c.level == 5 or c.level in reported:
                    continue
                if parent is None:
                    bad = c.level in (2, 4) or (c.level == 3 and c.level > top_level)
                    if not bad or (c.level == 2 and _unnumbered_heading_before(ctx, c)):
                        continue
                    reported.add(c.level)
                    above = "“一、”" if c.level == 2 else "更高一级"
                    yield ctx.node_finding(c, f"“{c.label}”直接出现在标题之下，上面缺少{above}标题",
                                           suggestion="补上上一级标题，或把这一层改用“一、二、三、”", flag_label=True)
                    continue
                if c.level <= parent.level + 1 or _between_is_attachment(ctx, parent, c):
                    continue  # (附件2 名词解释 1.…: the list of an attachment is under no heading of the text)
                if two_level and parent.level == 1 and c.level == 3:
                    continue  # 一、 → 1. is allowed when the document uses only these two levels
                reported.add(c.level)
                missing = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}.get(parent.level + 1, "")
                yield ctx.node_finding(
                    c, f"标题跳级：“{parent.label}”之下直接是“{c.label}”，中间缺少“{missing}”一级",
                    suggestion=f"把“{c.label}”改为“{missing}”格式的序号，或补上中间一级标题", flag_label=True)


RULES = [NumberingGap, NumberingDuplicate, NumberingRestart, MixedItemSeries, SkippedHeadingLevel]
