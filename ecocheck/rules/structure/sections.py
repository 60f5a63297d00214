"""S10x: sections and the title -- required and expected sections, their order, the title line, empty sections."""

from __future__ import annotations

from ... import rxcache
from ...engine.rule import Rule, RuleDoc
from ...model import OutlineNode, Severity
from ...outline.roles import ROLE_NAMES, default_section_config
from .common import SKELETON, present_roles, profile, role_name, synonyms_of


# -- sections -----------------------------------------------------------------------
def _synonym_hint(ctx, role: str, limit: int = 6) -> str:
    syns = synonyms_of(ctx, role)
    shown = "".join(f"“{s}”" for s in syns[:limit])
    return shown + ("等" if len(syns) > limit else "")


class MissingRequiredSection(Rule):
    code = "S101"
    name = "missing-required-section"
    severity = Severity.WARNING
    summary = "缺少文种要求的部分（如存在问题、整改措施）"
    doc = RuleDoc(
        what="按文种检查一级标题是否齐全：政治生态建设情况报告、分析研判报告须有基本情况、存在问题、整改措施三部分；"
             "对照检查材料须有存在问题、整改措施两部分；讲话稿、工作报告、情况通报、整改报告以及未能确定文种的文稿"
             "（一般文稿）不作要求（文种如何识别见 ecocheck outline 的“文种”一行）。一级标题含有任一同义写法即视为该部分存在"
             "（“存在问题及整改措施”同时算作两部分）。同义写法：\n"
             + "\n".join(f"- {ROLE_NAMES[r]}：{'、'.join(default_section_config().synonyms.get(r, []))}"
                         for r in ("overview", "problems", "causes", "measures")),
        why="政治生态分析研判的工作规则要求“状况分析—突出问题—意见措施”齐备；缺了“存在问题”或“整改措施”，"
            "材料会被认为没有查摆问题或没有整改方向而退回。",
        bad="一、基本情况　二、主要做法　三、下一步打算（没有“存在问题”部分）",
        good="一、基本情况　二、存在的问题　三、整改措施",
        references=[SKELETON, "ecocheck/data/genres.yaml（文种要求，可在配置 genres 中修改）"],
    )

    def check(self, ctx):
        prof = profile(ctx)
        present = present_roles(ctx)
        for role in prof.required:
            if role in present:
                continue
            yield ctx.document_finding(
                f"{prof.display}缺少“{role_name(role)}”部分：没有一级标题写作{_synonym_hint(ctx, role)}",
                suggestion=f"增加“{role_name(role)}”一级标题；全部可用写法见 ecocheck explain {self.code}"
                           "（可在配置 sections 中补充）")


class MissingExpectedSection(Rule):
    code = "S102"
    name = "missing-expected-section"
    severity = Severity.INFO
    summary = "缺少文种通常应有的部分（如对照检查材料的原因剖析）"
    doc = RuleDoc(
        what="按文种检查通常应有、但不强制的部分：对照检查材料一般在存在问题之后有“原因剖析”部分。",
        why="对照检查材料讲究“问题准、原因清、措施明”，只列问题和措施、不剖析根源，容易被认为剖析不深。",
        bad="一、存在的主要问题　二、整改措施",
        good="一、存在的主要问题　二、原因剖析　三、整改措施",
        references=[SKELETON],
    )

    def check(self, ctx):
        prof = profile(ctx)
        present = present_roles(ctx)
        for role in prof.expected:
            if role not in present:
                yield ctx.document_finding(
                    f"{prof.display}通常应有“{role_name(role)}”部分（一级标题可写作{_synonym_hint(ctx, role)}）",
                    suggestion=f"在相应位置增加“{role_name(role)}”部分")


class SectionOutOfOrder(Rule):
    code = "S103"
    name = "section-out-of-order"
    severity = Severity.WARNING
    summary = "各部分顺序颠倒（如整改措施在存在问题之前）"
    doc = RuleDoc(
        what="按文种规定的顺序（基本情况→存在问题→原因分析→整改措施）检查一级标题的先后，报告排在应在其后的部分之后出现的部分。"
             "“基本情况”类标题只在标题以同义写法开头时参与比较（“下一步主要工作”不算基本情况）。",
        why="先摆问题、再析原因、后提措施是这类材料的固定逻辑，措施写在问题之前，读者无从判断措施针对什么。",
        bad="一、基本情况　二、整改措施　三、存在的问题",
        good="一、基本情况　二、存在的问题　三、整改措施",
        references=[SKELETON],
    )

    def check(self, ctx):
        prof = profile(ctx)
        rank = {r: i for i, r in enumerate(prof.order)}
        if len(rank) < 2:
            return
        overview_syns = synonyms_of(ctx, "overview")
        top: tuple[int, OutlineNode] | None = None
        for s in ctx.outline.sections:
            if s.kind != "heading" or s.role not in rank:
                continue
            if s.role == "overview" and not any(s.heading.startswith(x) for x in overview_syns):
                continue
            r = rank[s.role]
            if top is not None and r < top[0]:
                other = top[1]
                yield ctx.node_finding(
                    s, f"“{role_name(s.role)}”部分（{s.title}）应在“{role_name(other.role)}”部分（{other.title}）之前",
                    suggestion=f"按{'→'.join(role_name(x) for x in prof.order)}的顺序调整各部分")
                continue
            if top is None or r > top[0]:
                top = (r, s)


class MissingTitle(Rule):
    code = "S105"
    name = "missing-title"
    severity = Severity.WARNING
    summary = "缺少标题行"
    doc = RuleDoc(
        what="报告和对照检查材料应以一行标题开头（发文机关＋事由＋文种）。文档第一段就是正文（以句号等结尾的长段落）"
             "或直接是“一、”级标题时报告。讲话稿、工作报告、一般文稿（未能确定文种）不检查。",
        why="没有标题，读者无法判断材料的单位、时段和文种；从模板或网站复制正文时最容易漏掉标题。",
        bad="2023年，**局党组认真学习贯彻……现将有关情况报告如下。（第一行即正文）",
        good="××局党组2023年上半年政治生态分析研判报告\n2023年，局党组认真学习贯彻……",
        references=["《党政机关公文处理工作条例》第九条（标题由发文机关名称、事由和文种组成）"],
    )

    def check(self, ctx):
        if not profile(ctx).title or ctx.outline.title is not None:
            return
        if not any(p.text.strip() for p in ctx.document.paragraphs):
            return
        yield ctx.document_finding("缺少标题行：文档直接从正文开始",
                                   suggestion="在第一行加上标题，例如“××单位××年度政治生态分析研判报告”")


_PLACEHOLDER_ONLY = rxcache.compile(r"^[\sXx×*＊○〇_＿…。．.、，,；;：:\-—()（）\[\]【】]*$")


class EmptySection(Rule):
    code = "S106"
    name = "empty-section"
    severity = Severity.WARNING
    summary = "标题下没有内容，或只有占位符"
    doc = RuleDoc(
        what="标题之下既没有正文、也没有下级标题，或者正文只是占位符（“X”“**”“××”）。以句号结尾的单行条目"
             "（如“1.严格审核把关。”）本身就是内容，不报告。",
        why="从模板起草时，没写完的部分常常只留下标题或“X”，送审前必须补齐或删除。",
        bad="一、基本情况\n**\n二、存在的问题",
        good="一、基本情况\n局机关设办公室等5个股室……\n二、存在的问题",
    )

    def check(self, ctx):
        doc = ctx.document
        for node in ctx.outline.headings():
            if node.children:
                continue
            body = "".join(doc.paragraphs[sp.paragraph].text[sp.start:sp.end] for sp in node.body_spans).strip()
            if body:
                if _PLACEHOLDER_ONLY.match(body):
                    yield ctx.node_finding(node, f"“{node.title}”下只有占位符“{body[:10]}”，没有实际内容",
                                           suggestion="补写该部分内容，或删除该标题")
                continue
            line = doc.paragraphs[node.paragraph].text.rstrip()
            if line and line[-1] in "。！？!?；;…":
                continue  # a one-sentence numbered point, not a heading awaiting text
            yield ctx.node_finding(node, f"“{node.title}”下没有内容", suggestion="补写该部分内容，或删除该标题")


RULES = [MissingRequiredSection, MissingExpectedSection, SectionOutOfOrder, MissingTitle, EmptySection]
