"""P family: every problem should be answered by a measure.

The pairing itself (which measure answers which problem, with a similarity
score) is computed by :mod:`ecocheck.outline.pairing` and stored on the
outline by :func:`ecocheck.api.outline_document`; these rules only judge it.
They run for genres whose profile has ``pairing: true``.
"""

from __future__ import annotations

from ..outline.genres import genre_profile
from ..engine.rule import Rule, RuleDoc
from ..model import OutlineNode, Severity
from ..outline.pairing import WEAK_SCORE, Pairing, annotate, pair_outline

SOURCE = "docs/references.md「报告的结构」（措施与问题逐条对应：共产党员网“问题准、原因清、措施明”）"
#: default similarity below which a problem counts as unanswered.  Tuned on the fixtures and the
#: seeds: the loosest real pairs (党建与业务“两张皮” ↔ 推动深度融合, 信息化监督手段 ↔ 智慧监督平台,
#: 理论学习的系统性 ↔ 坚持理论武装) score 0.08–0.11; half of all unrelated problem × measure pairs
#: score under 0.01, and an off-topic measure (机关文化建设 against 窗口服务作风) scores 0.00.
#: Erring low keeps well-formed reports silent.
MIN_SCORE = WEAK_SCORE


def pairing_of(ctx) -> Pairing | None:
    if not genre_profile(ctx.config, ctx.outline.genre, ctx.outline).pairing:
        return None
    if "pairing" in ctx.outline.cache:
        return ctx.outline.cache["pairing"]
    result = pair_outline(ctx.outline)
    annotate(ctx.outline, result)  # caches it and records it on the outline (outline.pairing, node props)
    return result


def _titles(nodes: list[OutlineNode]) -> str:
    return "".join(f"“{n.title}”" for n in nodes)


def _anchor(pairing: Pairing, side: str) -> OutlineNode:
    sec = pairing.measures_section if side == "measures" else pairing.problems_section
    if sec is not None:
        return sec
    nodes = pairing.measures if side == "measures" else pairing.problems
    return nodes[0]


class ProblemMeasureCountMismatch(Rule):
    code = "P201"
    name = "problem-measure-count-mismatch"
    severity = Severity.WARNING
    summary = "问题与整改措施的条数不一致"
    doc = RuleDoc(
        what="比较“存在问题”部分与“整改措施”部分同一层级的条目数（（一）（二）……标题，或一是、二是……条目），"
             "不一致时在整改措施部分报告，并按内容对应关系指出哪几条问题没有对应的措施（或哪几条措施没有对应的问题）。",
        why="问题与措施一一对应是这类材料的基本要求：查摆了四个问题却只提三条措施，说明有问题没有整改方向，"
            "审核时会被要求补齐。条数不必机械相等，但不相等时应当确认是有意为之。",
        bad="三、存在的问题（一）…（二）…（三）…（四）干事创业的精气神还不够\n四、整改方向（一）…（二）…（三）…",
        good="四、整改方向（一）…（二）…（三）…（四）激发干事创业精气神……",
        references=[SOURCE],
    )

    def check(self, ctx):
        pr = pairing_of(ctx)
        if pr is None or len(pr.problems) == len(pr.measures):
            return
        anchor = _anchor(pr, "measures")
        if len(pr.problems) > len(pr.measures):
            left = [pr.problems[i] for i in pr.unmatched_problems]
            yield ctx.node_finding(
                anchor, f"存在问题列了{len(pr.problems)}条，整改措施只有{len(pr.measures)}条，"
                        f"没有对应措施的问题：{_titles(left)}",
                suggestion="为每个问题提出对应的整改措施，或合并相关问题")
        else:
            extra = [pr.measures[j] for j in pr.unmatched_measures]
            yield ctx.node_finding(
                anchor, f"整改措施列了{len(pr.measures)}条，存在问题只有{len(pr.problems)}条，"
                        f"没有对应问题的措施：{_titles(extra)}",
                suggestion="确认多出的措施针对哪个问题，或在存在问题中补上相应内容")


class UnansweredProblem(Rule):
    code = "P202"
    name = "unanswered-problem"
    severity = Severity.WARNING
    summary = "有问题没有对应的整改措施"
    options = {"min_score": MIN_SCORE}
    doc = RuleDoc(
        what="按内容把每个问题与最相近的整改措施一一配对（比较标题和正文的汉字二元组，去掉“不够”“还有差距”“坚持”“加强”"
             "等套话），报告没有配到措施、或配到的措施与它几乎没有共同内容的问题。条数相等时也会检查："
             "四个问题、四条措施，但其中一条措施与任何问题都不相干，同样报告。"
             "问题或措施超过 100 条时（如多份材料拼在一起）只能按位置配对，不作此检查。",
        why="措施要针对问题：“理论学习不够深入”应有“强化理论武装”之类的措施回应。问题没有回应，"
            "整改就落不到实处，审核时会被指出“问题与措施两张皮”。",
        bad="问题（四）校园食堂廉洁风险防范不够严密；整改措施中没有一条涉及食堂、采购或教辅征订。",
        good="问题（四）校园食堂廉洁风险防范不够严密；措施（四）规范食堂大宗食材采购和教辅资料征订……",
        options={"min_score": "配对相似度低于此值（0～1）即视为没有对应措施；越大越严格"},
        references=[SOURCE],
    )

    def check(self, ctx):
        pr = pairing_of(ctx)
        if pr is None or pr.positional:  # paired by position: no content to judge the pairs by
            return
        threshold = float(ctx.options.get("min_score", MIN_SCORE))
        for i, problem in enumerate(pr.problems):
            j = pr.match[i]
            if j < 0:
                yield ctx.node_finding(problem, f"问题“{problem.title}”没有对应的整改措施",
                                       suggestion="补充针对该问题的整改措施")
                continue
            score = pr.scores[i][j]
            if score >= threshold:
                continue
            measure = pr.measures[j]
            yield ctx.node_finding(
                problem, f"问题“{problem.title}”没有对应的整改措施（按内容与之配对的“{measure.title}”"
                         f"与它并不相关）",
                suggestion="补充针对该问题的整改措施，或调整措施内容使之回应该问题")


class MeasuresOutOfOrder(Rule):
    code = "P203"
    name = "measures-out-of-order"
    severity = Severity.INFO
    summary = "整改措施的顺序与问题的顺序不一致"
    options = {"min_score": MIN_SCORE}
    doc = RuleDoc(
        what="按内容配对后，若整改措施的排列顺序与它们所回应的问题的顺序不同（问题（一）的措施排在第三条），提示一次。"
             "只考虑相似度不低于 min_score 的可靠配对；超过 100 条、只能按位置配对时不作此检查。",
        why="措施按问题的顺序排列，读者才能逐条对照；顺序打乱虽不算错，但会增加审核的难度。",
        bad="问题：（一）理论学习（二）责任落实（三）作风纪律\n措施：（一）严明作风纪律（二）强化理论学习（三）压实责任",
        good="措施：（一）强化理论学习（二）压实责任（三）严明作风纪律",
        options={"min_score": "参与比较的配对的最低相似度（与 P202 的同名选项含义相同）"},
        references=[SOURCE],
    )

    def check(self, ctx):
        pr = pairing_of(ctx)
        if pr is None or pr.positional:
            return
        threshold = float(ctx.options.get("min_score", MIN_SCORE))
        pairs = [(i, pr.match[i]) for i in range(len(pr.problems))
                 if pr.match[i] >= 0 and pr.scores[i][pr.match[i]] >= threshold]
        order = [j for _i, j in pairs]
        ranked = sorted(order)
        if order == ranked:
            return
        moved = [f"“{pr.measures[j].label or pr.measures[j].title}”回应问题“{pr.problems[i].label or pr.problems[i].title}”"
                 for k, (i, j) in enumerate(pairs) if ranked[k] != j]
        yield ctx.node_finding(
            _anchor(pr, "measures"), "整改措施的顺序与问题的顺序不一致：" + "，".join(moved),
            suggestion="按问题的顺序排列整改措施，便于逐条对照")


RULES = [ProblemMeasureCountMismatch, UnansweredProblem, MeasuresOutOfOrder]
