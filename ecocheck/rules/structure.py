"""S family: the structure of a report — sections, titles, numbering, labels, announced counts.

Which sections a document needs, and in which order, comes from its genre
profile (``ecocheck/data/genres.yaml``, plugins, user config: see
:mod:`ecocheck.outline.genres`).  Label conventions follow GB/T 9704-2012 §7.3.3
(层次序数 一、→（一）→1.→（1）) and GB/T 15834-2011 §4.5.3.3; the sources users are
pointed to are listed in docs/references.md.
"""

from __future__ import annotations

import re

from .. import rxcache
from ..outline.genres import genre_profile
from ..engine.rule import Rule, RuleDoc
from ..engine.scopes import is_report_text
from ..model import Fix, OutlineNode, Severity
from ..outline.grammar import label_regexes
from ..outline.numerals import cn_to_int
from ..outline.roles import ROLE_NAMES, default_section_config
from .textutil import paragraphs_matching

GB9704 = "GB/T 9704-2012《党政机关公文格式》§7.3.3（结构层次序数）"
GB15834 = "GB/T 15834-2011《标点符号用法》§4.5.3.3"
SKELETON = "docs/references.md「报告的结构」（公开材料中的常见结构与标题写法）"
NUMBERING = "docs/references.md「层次序数」"


# -- shared helpers -----------------------------------------------------------------
def profile(ctx):
    return genre_profile(ctx.config, ctx.outline.genre, ctx.outline)


def section_config(ctx):
    extra = getattr(ctx.config, "sections", None) or None
    return default_section_config().extended(extra)


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


def synonyms_of(ctx, role: str) -> list[str]:
    return list(section_config(ctx).synonyms.get(role, []))


def _memo(ctx, key: str, compute):
    """``compute()`` once per document: several rules of this module share the same walks."""
    cache = ctx.outline.cache
    key = f"structure:{key}"
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def all_nodes(ctx) -> list[OutlineNode]:
    """Every outline node in document order (``outline.walk()``, listed once per document)."""
    return _memo(ctx, "nodes", lambda: list(ctx.outline.walk()))


def present_roles(ctx) -> set[str]:
    """Roles of the top-level sections; a heading naming two roles (存在问题及整改措施) has both."""
    return _memo(ctx, "present_roles", lambda: _present_roles(ctx))


def _present_roles(ctx) -> set[str]:
    cfg = section_config(ctx)
    roles = set()
    for sec in ctx.outline.sections:
        if sec.kind != "heading":
            continue
        roles.add(sec.role)
        for role, syns in cfg.synonyms.items():
            if any(x in sec.heading for x in syns):
                roles.add(role)
    return roles


def label_text(node: OutlineNode) -> str:
    return node.label or node.heading[:12]


def children_of(ctx, node: OutlineNode | None) -> list[OutlineNode]:
    if node is None:
        return list(ctx.outline.items) + list(ctx.outline.sections)
    return list(node.children)


def all_parents(ctx):
    """None (the document root) and every node, in document order."""
    yield None
    yield from all_nodes(ctx)


def is_auto_number(ctx, node: OutlineNode) -> bool:
    p = ctx.document.paragraphs[node.paragraph]
    return p.num_prefix > 0 and node.start < p.num_prefix


def label_finding(ctx, node: OutlineNode, message: str, replacement: str, title: str):
    safe = not is_auto_number(ctx, node)
    fix = Fix(replacement=replacement, title=title, safe=safe)
    suggestion = None if safe else "该序号是 Word 自动编号，请在“编号格式”中修改"
    return ctx.node_finding(node, message, flag_label=True, fix=fix, suggestion=suggestion)


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


# -- numbering ---------------------------------------------------------------------------
_FAMILY_CLASS = {"是": "shi", "要": "shi", "第": "di", "其": "qi"}
_FAMILY_SAMPLE = {"shi": "一是、二是", "di": "第一，第二，", "qi": "其一，其二，"}


def _heading_series(ctx) -> list[tuple[OutlineNode | None, list[OutlineNode]]]:
    """(parent, [sibling headings of one level]) for every parent, numbered labels only."""
    return _memo(ctx, "heading_series", lambda: list(_find_heading_series(ctx)))


def _item_series(ctx) -> list[tuple[OutlineNode | None, list[OutlineNode]]]:
    """Runs of sibling items; a run ends where a list restarts at 一 in another paragraph."""
    return _memo(ctx, "item_series", lambda: list(_find_item_series(ctx)))


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


_NEW_PART = rxcache.compile(r"^(附件|附表|附：|第[一二三四五六七八九十]{1,3}(部分|章|篇|节|单元))")


def _between_is_attachment(ctx, a: OutlineNode, b: OutlineNode) -> bool:
    """True when an attachment or a new part (附件, 第二部分) starts between two headings."""
    for q in range(a.paragraph + 1, b.paragraph):
        p = ctx.document.paragraphs[q]
        if not p.props.get("directive") and _NEW_PART.match(p.text.strip()):
            return True
    return False


def _expected_label(node: OutlineNode, ordinal: int) -> str:
    """The label ``node`` would have with ``ordinal`` (一、 → 三、, （1） → （3）)."""
    from ..outline.numerals import int_to_cn

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


# -- announced counts ----------------------------------------------------------------------
_NUM = r"(?P<num>[一二三四五六七八九十两]{1,3}|[0-9０-９]{1,2})"
#: (pattern, strong): a weak claim ("从五个方面", "讲三点") only counts when it closes its
#: paragraph, right before the list; a strong one ("以下三个方面", "查摆的5个方面") anywhere
_CLAIM_PATTERNS = [
    (rxcache.compile(r"(?:以下|如下|下列|下述)的?" + _NUM
                     + r"(?P<unit>个方面|个层面|个领域|个维度|个部分|个突出问题|个问题|大问题|方面|点|条|项)"), True),
    (rxcache.compile(r"(?:重点查摆|查摆|检视)的?" + _NUM + r"(?P<unit>个方面|方面)"), True),
    (rxcache.compile(r"从" + _NUM + r"(?P<unit>个方面|个层面|个维度|个角度|方面)"), False),
    (rxcache.compile(r"(?:讲|谈|提|说)(?:以下)?" + _NUM + r"(?P<unit>点|个问题|个方面|方面)"), False),
    (rxcache.compile(r"(?:主要有|主要是|主要表现在|主要体现在|集中表现在|集中体现在|集中在|归纳为|概括为|表现在|体现在)"
                     r"的?" + _NUM + r"(?P<unit>个方面|个突出问题|个问题|方面|大问题)"), False),
]
#: what every claim holds: the last character of its cue word (以下, 下列, 下述, 查摆, 检视, 从, 讲 …, 主要有,
#: 集中在, 归纳为) or 的, then the number, then the first character of the unit (个方面, 点, 条, 大问题, …);
#: a paragraph without it holds no claim.  (A number before 个/方/点 alone is in one paragraph of four.)
_CLAIM_CORE = rxcache.compile(r"[下列述摆视从讲谈提说有是在为的](?:[一二三四五六七八九十两]{1,3}|[0-9０-９]{1,2})[个大方点条项]")
_ROLE_CUES = (("problems", ("问题", "查摆", "不足", "短板", "差距", "检视")),
              ("measures", ("措施", "整改", "建议", "打算", "举措")),
              ("causes", ("原因", "根源")))
_SENTENCE_STOP = "。！？!?；;\n"


def find_claims(text: str):
    """Yield (start, end, number, strong) for every announced count in ``text``."""
    seen: set[int] = set()
    for rx, strong in _CLAIM_PATTERNS:
        for m in rx.finditer(text):
            if m.start("num") in seen:
                continue
            n = cn_to_int(m.group("num"))
            if n is None or n < 2 or n > 30:
                continue
            seen.add(m.start("num"))
            yield m.start(), m.end(), n, strong


def _closes_paragraph(text: str, end: int) -> bool:
    """True when no sentence ends between ``end`` and the end of the paragraph (bar the last mark)."""
    rest = text[end:].rstrip().rstrip("。：:！!")
    return not any(ch in _SENTENCE_STOP for ch in rest)


def _claim_role(text: str, start: int, end: int) -> str | None:
    a = start
    while a > 0 and text[a - 1] not in _SENTENCE_STOP + "，,":
        a -= 1
    b = end
    while b < len(text) and text[b] not in _SENTENCE_STOP + "，,":
        b += 1
    window = text[a:b]
    for role, cues in _ROLE_CUES:
        if any(c in window for c in cues):
            return role
    return None


class CountClaimMismatch(Rule):
    code = "S130"
    name = "count-claim-mismatch"
    severity = Severity.WARNING
    summary = "宣称的条数与其后列出的条数不符（“讲三点意见”却列了四点）"
    doc = RuleDoc(
        what="找出“存在以下三个方面问题”“主要有四个方面”“下面，我讲三点意见”“重点查摆的5个方面”“从五个方面”"
             "这类宣称条数的说法（汉字或阿拉伯数字），数一数紧随其后的下一级标题或“一是、二是”条目，数目不符时报告。"
             "只在列表紧接宣称之后出现时才比较：同一段中宣称之后的条目，或下一段起的下一级标题；"
             "前言里提到“问题”“查摆”的宣称，与“存在问题”部分所列的条数比较。",
        why="增删条目后忘了改前面的总述，是讲话稿和报告中很常见的硬伤，念稿时尤其尴尬。",
        bad="下面，我讲三点意见。\n一、……　二、……　三、……　四、……",
        good="下面，我讲四点意见。\n一、……　二、……　三、……　四、……",
        references=[SKELETON],
    )

    def check(self, ctx):
        ol = ctx.outline
        doc = ctx.document
        preamble = set(ol.preamble)
        for k in sorted(paragraphs_matching(ol, _CLAIM_CORE)):
            p = doc.paragraphs[k]
            if p.index == ol.title or not is_report_text(p):
                continue
            for start, end, claimed, strong in find_claims(p.text):
                found = self._listed(ctx, p.index, start, end, preamble, strong)
                if found is None:
                    continue
                nodes = found
                if len(nodes) == claimed:
                    continue
                labels = _label_range(nodes)
                yield ctx.finding(
                    p.index, start, end,
                    f"“{p.text[start:end]}”说有{claimed}项，但其后列出了{len(nodes)}项（{labels}）",
                    suggestion=f"把总述中的数目改为{len(nodes)}，或补齐/删减条目")

    # which list does a claim introduce?  None: no list right after it (see _items_by_paragraph)
    def _listed(self, ctx, pi: int, start: int, end: int, preamble: set[int], strong: bool):
        ol = ctx.outline
        text = ctx.document.paragraphs[pi].text
        # 1. items later in the same paragraph
        inline = [n for n in _items_by_paragraph(ol).get(pi, ()) if n.start >= end]
        if inline:
            top = min(n.level for n in inline)
            first = next(n for n in inline if n.level == top)
            return [n for n in inline if n.parent is first.parent]
        if not strong and not _closes_paragraph(text, end):
            return None
        owner = None if pi in preamble else ol.node_of_paragraph.get(pi)
        if owner is None and pi not in preamble:
            return None
        # 2. a claim in the preamble about problems / measures: the list of that section
        if owner is None:
            role = _claim_role(text, start, end)
            if role is not None:
                secs = [s for s in ol.sections if s.kind == "heading" and s.role == role]
                if not secs:
                    return None
                nodes = _list_of(secs[0])
                if nodes and self._adjacent(ctx, pi, nodes[0].paragraph):
                    return nodes
                return None
        # 3. the next-level headings (else items) that follow the claim's paragraph
        kids = children_of(ctx, owner)
        heads = [c for c in kids if c.kind == "heading" and c.paragraph > pi]
        if heads:
            lvl = heads[0].level
            nodes = [c for c in heads if c.level == lvl]
        else:
            items = [c for c in kids if c.kind == "item" and c.paragraph > pi]
            nodes = []
            for it in items:
                if nodes and it.ordinal == 1 and it.paragraph != nodes[-1].paragraph:
                    break
                nodes.append(it)
        if not nodes or not self._adjacent(ctx, pi, nodes[0].paragraph):
            return None
        return nodes

    @staticmethod
    def _adjacent(ctx, a: int, b: int) -> bool:
        """True when only headings (no body text) stand between paragraphs a and b."""
        ol = ctx.outline
        for q in range(a + 1, b):
            para = ctx.document.paragraphs[q]
            if not para.text.strip() or para.props.get("directive"):
                continue
            node = ol.node_of_paragraph.get(q)
            if node is None or node.paragraph != q:
                return False
            if node.run_in:
                return False
        return True


def _list_of(section: OutlineNode) -> list[OutlineNode]:
    heads = [c for c in section.children if c.kind == "heading"]
    return heads or [c for c in section.children if c.kind == "item"]


def _label_range(nodes: list[OutlineNode]) -> str:
    labels = [label_text(n) for n in nodes]
    if len(labels) <= 6:
        if all(lab.endswith(("）", ")")) for lab in labels):
            return "".join(labels)
        return "、".join(lab.rstrip("、，,.．") for lab in labels)
    return f"{labels[0]}至{labels[-1]}"


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
                    and not [q for q in n.body if not _NEW_PART.match(paras[q].text.strip())])

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


RULES = [
    MissingRequiredSection,
    MissingExpectedSection,
    SectionOutOfOrder,
    MissingTitle,
    EmptySection,
    NumberingGap,
    NumberingDuplicate,
    NumberingRestart,
    MixedItemSeries,
    SkippedHeadingLevel,
    WrongLabelPunctuation,
    HalfWidthLabelBracket,
    HeadingEndPunctuation,
    HeadingInsideParagraph,
    CountClaimMismatch,
]


def _items_by_paragraph(outline) -> dict[int, list]:
    """Item nodes grouped by paragraph, in document order (memoised on the outline)."""
    index = outline.cache.get("items_by_paragraph")
    if index is None:
        index = {}
        for n in outline.walk():
            if n.kind == "item":
                index.setdefault(n.paragraph, []).append(n)
        outline.cache["items_by_paragraph"] = index
    return index
