"""H family, the part that needs the .docx structure: highlighting, comments, tracked changes.

H306 highlighted-text   text marked with a highlight or shading colour ("fill this in")
H307 review-comment     reviewer comments still in the document
H308 tracked-change     insertions and deletions neither accepted nor rejected

The text-pattern leftovers (H302 … H305) are YAML rules in rules/leftovers.yaml.
"""

from __future__ import annotations

from ..engine.rule import Rule, RuleDoc
from ..model import Severity

_NO_COLOUR = {"", "none", "auto", "ffffff", "white", "nocolor"}
_COLOUR_NAMES = {"yellow": "黄色", "green": "绿色", "cyan": "青绿色", "magenta": "粉红色", "blue": "蓝色",
                 "red": "红色", "darkblue": "深蓝色", "darkcyan": "深青色", "darkgreen": "深绿色",
                 "darkmagenta": "紫色", "darkred": "深红色", "darkyellow": "深黄色", "darkgray": "深灰色",
                 "lightgray": "浅灰色", "black": "黑色"}
_MAX_QUOTE = 40


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_QUOTE else text[:_MAX_QUOTE] + "…"


def _coloured(value: str | None) -> bool:
    return bool(value) and value.strip().lower() not in _NO_COLOUR


class HighlightedText(Rule):
    code = "H306"
    name = "highlighted-text"
    severity = Severity.WARNING
    summary = "文档中仍有突出显示（底纹、荧光笔）标记的文字"
    formats = ("docx",)
    doc = RuleDoc(
        what="Word 文档中设置了突出显示（荧光笔）或字符底纹颜色的文字。连续标记的一段报告一次，给出被标记的文字。"
             "白色、自动（无颜色）底纹不算。只检查 .docx。",
        why="起草和审核时常用黄色突出显示标出“待填写”“待核实”的内容；送审稿里留着这些标记，"
            "说明还有内容没有落实，打印出来也会带着灰底。",
        bad="现有党员【黄色突出显示：56】人，其中在职党员41人。",
        good="现有党员56人，其中在职党员41人。（核实后清除突出显示）")

    def check(self, ctx):
        for p in ctx.document.paragraphs:
            start = end = None
            colour = None
            for run in p.runs:
                if run.auto_number or not run.text:
                    continue
                if _coloured(run.highlight):
                    if start is not None and run.start <= end:
                        end = max(end, run.end)
                        continue
                    if start is not None:
                        yield self._finding(ctx, p, start, end, colour)
                    start, end, colour = run.start, run.end, run.highlight
                elif start is not None:
                    if not run.text.strip():
                        continue  # a blank run does not break a highlighted stretch
                    yield self._finding(ctx, p, start, end, colour)
                    start = end = None
            if start is not None:
                yield self._finding(ctx, p, start, end, colour)

    @staticmethod
    def _finding(ctx, p, start, end, colour):
        text = p.text[start:end]
        name = _COLOUR_NAMES.get(str(colour).lower()) or f"底纹 #{colour}"
        return ctx.finding(p.index, start, end, f"突出显示的文字：“{_short(text)}”（{name}）",
                           suggestion="核实并补全内容后清除突出显示和底纹")


class ReviewComment(Rule):
    code = "H307"
    name = "review-comment"
    severity = Severity.WARNING
    summary = "文档中仍有审阅批注"
    formats = ("docx",)
    doc = RuleDoc(
        what="Word 文档中尚未删除的批注。每条批注报告一次：作者和批注内容，位置在批注所标注的文字处"
             "（找不到标注位置时报告在文档开头）。以 ecocheck-disable 开头的批注是抑制指令，不报告。",
        why="批注是修改意见，送审或印发前应当逐条处理并删除；留在文档里既不严肃，也可能泄露内部讨论的内容。",
        bad="（文档中带有批注：张三：“这里的数字请再核实”）",
        good="按批注修改后，在“审阅”选项卡中删除所有批注。")

    def check(self, ctx):
        paras = ctx.document.paragraphs
        for c in ctx.document.comments:
            if c.directive:
                continue  # an ecocheck-disable comment is configuration, not a remark to resolve
            who = c.author or "（未署名）"
            msg = f"未删除的批注（{who}）：“{_short(c.text)}”"
            if c.paragraph is None or not 0 <= c.paragraph < len(paras):
                yield ctx.document_finding(msg, suggestion="处理批注意见后删除批注")
                continue
            end = c.end if c.end_paragraph in (None, c.paragraph) else len(paras[c.paragraph].text)
            yield ctx.finding(c.paragraph, c.start, max(c.start, end), msg, suggestion="处理批注意见后删除批注")


class TrackedChange(Rule):
    code = "H308"
    name = "tracked-change"
    severity = Severity.WARNING
    summary = "文档中有未接受或拒绝的修订"
    formats = ("docx",)
    doc = RuleDoc(
        what="Word 文档中仍处于修订状态的插入和删除。每处修订报告一次：修订类型、作者和文字；"
             "插入的文字标在它所在的位置，删除的文字报告在删除处（其文字不属于正文）。",
        why="带修订的文档在不同电脑、不同显示模式下看到的内容不一样，印发前必须逐条接受或拒绝修订。",
        bad="（文档中有修订：李四 插入“进一步”；李四 删除“基本”）",
        good="在“审阅”选项卡中逐条接受或拒绝修订，然后关闭“修订”。")

    def check(self, ctx):
        paras = ctx.document.paragraphs
        for r in ctx.document.revisions:
            who = r.author or "（未署名）"
            kind = "插入" if r.kind == "ins" else "删除" if r.kind == "del" else r.kind
            msg = f"未处理的修订：{who} {kind}“{_short(r.text)}”"
            if not 0 <= r.paragraph < len(paras):
                yield ctx.document_finding(msg, suggestion="接受或拒绝修订")
                continue
            end = r.end if r.kind == "ins" else r.start
            yield ctx.finding(r.paragraph, r.start, max(r.start, end), msg, suggestion="接受或拒绝修订")


RULES = [HighlightedText, ReviewComment, TrackedChange]
