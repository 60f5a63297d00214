"""S13x: announced counts -- "存在以下三个方面的问题" against the items that follow."""

from __future__ import annotations

from ... import rxcache
from ...engine.rule import Rule, RuleDoc
from ...engine.scopes import is_report_text
from ...model import OutlineNode, Severity
from ...outline.numerals import cn_to_int
from ..textutil import paragraphs_matching
from .common import SKELETON, children_of, label_text


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


RULES = [CountClaimMismatch]
