"""S12x: labels and headings -- label punctuation and brackets, a heading's end punctuation, headings run into a
paragraph."""

from __future__ import annotations

from ...engine.rule import Rule, RuleDoc
from ...model import Fix, OutlineNode, Severity
from ...outline.grammar import label_regexes
from .common import GB15834, GB9704, NEW_PART, NUMBERING, all_nodes, label_finding


# -- label style -------------------------------------------------------------------------
_CANONICAL = {1: "{n}、", 2: "（{n}）", 3: "{n}.", 4: "（{n}）", 5: "{n}"}


def _label_parts(node: OutlineNode):
    if node.kind != "heading" or not node.label or node.style == "md":
        return None
    m = label_regexes()[node.level].match(node.label)
    if not m or m.group(0) != node.label:
        return None
    return m.groupdict()


def _canonical(node: OutlineNode, parts: dict) -> str:
    return _CANONICAL[node.level].format(n=parts["num"])


class WrongLabelPunctuation(Rule):
    code = "S120"
    name = "wrong-label-punctuation"
    severity = Severity.WARNING
    summary = "序号后的标点用错（一. （一）、 1、 第一、）"
    doc = RuleDoc(
        what="按 GB/T 9704 和 GB/T 15834：“一、”用顿号；“（一）”“（1）”括号后不加任何标点；“1.”用下脚点，不用顿号；"
             "“①”后不加标点；“第一，”“其一，”用逗号。报告写错的序号并给出可自动应用的修正。",
        why="带括号的序号再加顿号（（一）、）、阿拉伯数字后用顿号（1、）是公文最常见的格式差错之一。",
        bad="（一）、理论学习不够深入\n1、学习的系统性不够强\n一.基本情况",
        good="（一）理论学习不够深入\n1.学习的系统性不够强\n一、基本情况",
        references=[GB9704, GB15834, NUMBERING],
    )

    def check(self, ctx):
        for node in all_nodes(ctx):
            if node.kind == "item":
                fam = node.props.get("family")
                if fam in ("第", "其") and node.label.endswith("、"):
                    new = node.label[:-1] + "，"
                    yield label_finding(ctx, node, f"“{node.label}”后应用逗号：“{new}”", new, f"改为“{new}”")
                continue
            parts = _label_parts(node)
            if parts is None:
                continue
            sep = parts.get("sep") or ""
            new = None
            if node.level == 1 and sep in (".", "．", "，", ",", "：", ":"):
                new = _canonical(node, parts)
                msg = f"“{node.label}”应使用顿号：“{new}”"
            elif node.level == 3 and sep == "、":
                new = _canonical(node, parts)
                msg = f"阿拉伯数字序号后应使用下脚点：“{new}”，不用顿号"
            elif node.level in (2, 4, 5) and sep:
                new = _canonical(node, parts)
                msg = f"“{node.label}”后不应再加“{sep}”：带括号（或圈码）的序号后不加标点，应为“{new}”"
            if new is not None:
                yield label_finding(ctx, node, msg, new, f"改为“{new}”")


class HalfWidthLabelBracket(Rule):
    code = "S121"
    name = "half-width-label-bracket"
    severity = Severity.WARNING
    summary = "序号使用半角括号（(一)、(1)）或全半角混用"
    doc = RuleDoc(
        what="“（一）”“（1）”这两级序号应使用全角括号。报告半角括号“(一)”、全半角混用的“（一)”，"
             "以及同一文档中全角、半角括号序号并存的情况，并给出可自动应用的修正。",
        why="中文公文中的括号一律用全角；同一文档中 (一) 与 （一） 混用，说明材料由几部分拼接而成、没有统一校对。",
        bad="(一)理论学习不够深入\n（二）责任传导层层递减",
        good="（一）理论学习不够深入\n（二）责任传导层层递减",
        references=[GB9704, NUMBERING],
    )

    def check(self, ctx):
        labelled = [n for n in ctx.outline.headings() if n.level in (2, 4)]
        full = sum(1 for n in labelled if n.label.startswith("（") and "）" in n.label)
        for node in labelled:
            parts = _label_parts(node)
            if parts is None:
                continue
            if parts["open"] == "（" and parts["close"] == "）":
                continue
            new = _canonical(node, parts)
            mixed = "，与文中其他全角括号序号不一致" if full else ""
            yield label_finding(ctx, node, f"序号“{node.label}”使用了半角括号{mixed}，应为“{new}”", new, f"改为“{new}”")


class HeadingEndPunctuation(Rule):
    code = "S122"
    name = "heading-end-punctuation"
    severity = Severity.WARNING
    summary = "单独成行的标题末尾带句号或冒号"
    doc = RuleDoc(
        what="单独成行（正文另起一段）的“一、”“（一）”级标题，末尾带了句号、冒号、分号或逗号。"
             "标题后紧接正文的“（一）坚持党建引领。坚持把……”式段首标题以句号与正文隔开，是通行写法，不报告；"
             "“1.”“（1）”级常是整句条目，也不报告；下面既无正文也无下级标题、句中有逗号的“一、……。”是条文"
             "（工作规则、实施意见的逐条规定），同样不报告。讲话稿（含政府工作报告）的标题常是领起下文的完整句，"
             "末尾的句号不报告（冒号、逗号仍报告）。",
        why="单独成行的标题不加句末标点，这是公文层次标题的基本要求；标题末尾的冒号多是把“基本情况：”"
            "这样的引导语误当成了标题。",
        bad="一、基本情况：\n（一）理论学习不够深入。\n部分党员干部学习停留在读文件层面。",
        good="一、基本情况\n（一）理论学习不够深入\n部分党员干部学习停留在读文件层面。",
        references=[NUMBERING + "（单独成行的标题末尾不加句号、冒号）", GB9704],
    )

    _MARKS = "。：:；;，,"

    @staticmethod
    def _clause(ctx, node, text: str) -> bool:
        """A numbered clause, not a heading: a sentence that owns no body text and no sub-headings and
        has a comma inside, or stands among such sentences (the 一、…。 二、…。 articles of a 工作规则 or
        实施意见, issue 16).  A chapter line (第二章 组成人员) after the last article of a chapter is no
        body of it."""
        paras = ctx.document.paragraphs

        def bare_sentence(n) -> bool:
            t = paras[n.paragraph].text.rstrip()
            return (not n.children and t.endswith(("。", "；", ";"))
                    and not [q for q in n.body if not NEW_PART.match(paras[q].text.strip())])

        if not bare_sentence(node):
            return False
        if any(c in text for c in "，,；;"):
            return True
        # a short article among longer ones (四、县政府由……组成。 between articles with commas)
        siblings = node.parent.children if node.parent is not None else ctx.outline.sections
        return any(n is not node and n.kind == "heading" and n.level == node.level and bare_sentence(n)
                   and any(c in paras[n.paragraph].text[n.start:].rstrip()[:-1] for c in "，,；;")
                   for n in siblings)

    def check(self, ctx):
        for node in ctx.outline.headings():
            if node.level > 2 or node.run_in or not node.label:
                continue
            text = ctx.document.paragraphs[node.paragraph].text
            end = len(text.rstrip())
            if end == 0 or text[end - 1] not in self._MARKS or end <= node.start + len(node.label):
                continue
            mark = text[end - 1]
            if mark in "。；;" and self._clause(ctx, node, text[node.start:end - 1]):
                continue
            if mark == "。" and ctx.outline.genre == "speech":
                continue  # a speech's heading is a lead sentence (（一）……取得决定性进展。 then its body)
            yield ctx.finding(node.paragraph, end - 1, end, f"单独成行的标题末尾不加“{mark}”",
                              fix=Fix("", title=f"删除“{mark}”"), suggestion=f"删除标题末尾的“{mark}”", node=node)


class HeadingInsideParagraph(Rule):
    code = "S123"
    name = "heading-inside-paragraph"
    severity = Severity.WARNING
    summary = "标题与前面的正文连在同一段（……报告如下：一、基本情况……）"
    doc = RuleDoc(
        what="“一、”“（一）”级标题出现在一段正文的中间（前面的句子以句号或冒号结束），而前后标题的编号表明"
             "它确是一个标题时报告，如“……现将有关情况报告如下：一、基本情况……”。只有编号连贯（前有“一、”"
             "后有“三、”，或它是“一、”而下文有“二、”）时才算标题；句中的“统一、”“第一、”，以及同一段里"
             "列举的“一、……；二、……”不报。",
        why="标题应另起一段（GB/T 9704 的层次标题各占一行或以标题开头），接在正文后面的标题多是排版时丢了"
            "段落标记，读者和目录都找不到这一部分。",
        bad="按照要求，现将有关情况报告如下：一、基本情况单位班子总体上团结务实……",
        good="按照要求，现将有关情况报告如下：\n一、基本情况\n单位班子总体上团结务实……",
        references=[GB9704, NUMBERING],
    )

    def check(self, ctx):
        for node in ctx.outline.headings():
            if node.props.get("run_in_lead"):
                yield ctx.node_finding(node, f"标题“{node.title}”接在正文之后，应另起一段", flag_label=True,
                                       suggestion=f"在“{node.label}”前分段")


RULES = [WrongLabelPunctuation, HalfWidthLabelBracket, HeadingEndPunctuation, HeadingInsideParagraph]
