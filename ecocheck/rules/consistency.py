"""C family: statements in one document that contradict each other.

C601 total-mismatch        现有党员120人，其中在职党员98人、退休党员20人 (98 + 20 ≠ 120); 13人参加，其中合格9人、不合格3人
C602 period-mismatch       title 2024年上半年, body "现将2023年全年…情况报告如下"
C603 inspection-term       市委第三巡查组 (巡察), 巡视/巡察 mixed for the same inspection group
C604 unit-name-variant     the unit named in the title written differently in the body (东湖县 / 东胡县)
C605 rate-mismatch         应持证13人，其中已持证9人……持证率达7% (9 / 13 = 69.2 %)
"""

from __future__ import annotations

from collections import Counter

from .. import rxcache
from ..engine.rule import Rule, RuleDoc
from ..engine.scopes import finditer, scope_matches, scope_spans
from ..model import Fix, Severity
from ..outline.numerals import cn_to_int
from .textutil import paragraphs_matching

# ---------------------------------------------------------------------------
# C601 totals

_NUM = r"(?:[0-9]+|[零〇○一二两三四五六七八九十百千万]+)"
_UNITS = ("人次", "万元", "亿元", "人", "名", "个", "次", "件", "项", "家", "所", "条", "篇", "起", "户", "元",
          "支", "座", "处", "批", "期", "场", "台", "辆", "套", "份", "本", "册", "种", "类", "笔", "宗", "例")
_UNIT_RX = "|".join(_UNITS)
_SAME_UNIT = {"名": "人"}
# the whole: a number and a measure word, then 其中
_WHOLE_VERB = r"(?:参加|参会|参训|参考|参评|参检|报名|到会|出席|受检|受训)"
_WHOLE = rxcache.compile(rf"(?<![0-9.第近逾超])(?P<num>{_NUM})(?P<unit>{_UNIT_RX})(?:[（(][^）)]{{0,20}}[）)])?"
                         rf"(?:{_WHOLE_VERB}(?:考试|培训|考核|测试|测评|评议|会议)?)?\s*[，,；;：:]?\s*其中\s*[：:，,]?")
_PART = rxcache.compile(rf"(?<![0-9.第约近逾超])(?P<num>{_NUM})(?P<unit>{_UNIT_RX})(?![余多以左])")
_NOT_EXHAUSTIVE = rxcache.compile(r"占|[%％]|比例|比重|约|近|余|多|以上|以下|左右|超过|不足|包括|包含|等$|等[，、]|分别")
_COMPLEMENTS = (("在职", "退休"), ("男", "女"), ("正式", "预备"), ("机关", "直属"), ("机关", "二级"),
                ("机关", "下属"), ("机关", "基层"), ("城区", "农村"), ("城镇", "农村"), ("第一种", "第二种"),
                ("合格", "不合格"), ("党员", "非党员"), ("通过", "未通过"), ("已", "未"))
#: a last part that holds the rest of the whole (其中在职党员41人、其他15人)
_REMAINDER = ("其他", "其余", "其它", "另有", "剩余")
_CLAUSE_SPLIT = rxcache.compile(r"[，、,]")
_SENTENCE_END = rxcache.compile(r"[。；;！？!?\n]|其中")
_APPROXIMATE = rxcache.compile(r"[近逾超]|超过")
_ABOUT = rxcache.compile(r"约|大约")
#: 约120人: the parts may differ from a rounded whole by this share of it (at least 1)
ABOUT_TOLERANCE = 0.05
_LABEL_VERB = rxcache.compile(r"^(?:运用|为|是|有)")
_NAME_SPLIT = rxcache.compile(r"[，。；：、,;:\s]")
_WHOLE_PREFIX = rxcache.compile(r"(?:现有|共有|共计|合计|总计|计有|下设|下辖|设有|有|共|计)$")


def _value(num: str) -> int | None:
    v = cn_to_int(num)
    return v


def _unit(u: str) -> str:
    return _SAME_UNIT.get(u, u)


def _common_suffix(labels: list[str]) -> str:
    if not labels:
        return ""
    out = ""
    for chars in zip(*(lab[::-1] for lab in labels)):
        if len(set(chars)) != 1:
            break
        out = chars[0] + out
    return out


class TotalMismatch(Rule):
    code = "C601"
    name = "total-mismatch"
    severity = Severity.WARNING
    summary = "总数与“其中”各分项之和不符（现有党员120人，其中在职党员98人、退休党员20人）"
    doc = RuleDoc(
        what="找出“总数 + 其中 + 分项”的句子（现有党员120人，其中在职党员98人、退休党员20人），分项与总数量词相同时"
             "（人/名视为相同）把分项相加，与总数不符时报告。阿拉伯数字和汉字数字都能识别。"
             "只在分项明显是对总数的划分时才比较：分项名称有共同的中心词且与总数的名称一致（在职党员、退休党员 ↔ 党员），"
             "或是互补的一组（在职/退休、男/女、机关/直属、第一种/第二种形态）。"
             "下列情况不比较：只有一个分项；出现“占、%、约、近、余、多、以上、左右、包括、等、分别”等非穷尽或概数的说法；"
             "“女性2人、党外1人”这类属性统计；总数或分项是占位符（**人）。",
        why="数字前后矛盾是审核最容易发现、也最影响材料可信度的问题，多由改稿时只改了一处数字造成。",
        bad="现有党员120人，其中在职党员98人、退休党员20人。",
        good="现有党员118人，其中在职党员98人、退休党员20人。")

    def check(self, ctx):
        paras = ctx.document.paragraphs
        for span in scope_spans(ctx.outline, "text"):
            text = paras[span.paragraph].text
            if "其中" not in text:
                continue
            for m in finditer(_WHOLE, text):  # with a first-character gate: _WHOLE opens with a lookbehind
                found = self._check_one(text, m)
                if found is None:
                    continue
                end, parts, whole, total = found
                expr = "＋".join(str(v) for v in parts)
                yield ctx.finding(span.paragraph, m.start("num"), end,
                                  f"总数与分项之和不符：{expr}＝{total}，而总数为{whole}",
                                  suggestion="核对总数和各分项的数字")

    def _check_one(self, text, m):
        before = text[max(0, m.start() - 2):m.start()]
        if _APPROXIMATE.search(before):
            return None
        about = bool(_ABOUT.search(before))
        whole = _value(m.group("num"))
        if whole is None:
            return None
        unit = _unit(m.group("unit"))
        rest_start = m.end()
        stop = _SENTENCE_END.search(text, rest_start)
        rest_end = stop.start() if stop else len(text)
        rest = text[rest_start:rest_end]
        if rest.startswith(("包括", "包含", "有：")):
            return None
        parts: list[int] = []
        labels: list[str] = []
        end = rest_start
        pos = rest_start
        for clause in _CLAUSE_SPLIT.split(rest):
            c_start = pos
            pos += len(clause) + 1
            nums = [p for p in _PART.finditer(clause) if _unit(p.group("unit")) == unit]
            if len(nums) != 1:
                break
            if _NOT_EXHAUSTIVE.search(clause):
                return None
            v = _value(nums[0].group("num"))
            if v is None:
                return None
            parts.append(v)
            labels.append(_LABEL_VERB.sub("", clause[:nums[0].start()]))
            end = c_start + nums[0].end()
        if len(parts) < 2:
            return None
        after = text[end:end + 2]
        if after.startswith("等") or _NOT_EXHAUSTIVE.match(after):
            return None
        total = sum(parts)
        if total == whole or (about and abs(total - whole) <= max(1.0, whole * ABOUT_TOLERANCE)):
            return None
        kind = self._partition(text, m, labels)
        if kind is None or (kind == "suffix" and total > whole):
            return None  # overlapping categories (党纪处分 / 政务处分) may add up to more than the whole
        return end, parts, whole, total

    @staticmethod
    def _partition(text, m, labels) -> str | None:
        """"complement" (在职/退休 …), "suffix" (labels share the whole's noun) or None (not a partition)."""
        labels = [lab.strip() for lab in labels]
        if any(not lab for lab in labels):
            return None
        if labels[-1].startswith(_REMAINDER):
            return "complement"
        for a, b in _COMPLEMENTS:
            # 合格 must stand for its own class: not 不合格, not 基本合格 (其中基本合格1人、不合格1人 lists only two of four)
            if any(a in lab and b not in lab and "基本" not in lab for lab in labels) and any(b in lab for lab in labels):
                return "complement"
        suffix = _common_suffix(labels)
        if len(suffix) < 2:
            return None
        # the whole's name: the text right before its number, back to the last punctuation
        head = _NAME_SPLIT.split(text[:m.start()])[-1]
        head = _WHOLE_PREFIX.sub("", head)
        if head and (head.endswith(suffix) or suffix.endswith(head[-2:])):
            return "suffix"
        return None


# ---------------------------------------------------------------------------
# C602 reporting period

_YEAR = r"(?P<y>(?:19|20)[0-9]{2})\s*年"
_SUB = r"(?P<p>上半年|下半年|第[一二三四1-4]季度|[一二三四1-4]季度|全年|年度|度)?"
_TITLE_PERIOD = rxcache.compile(_YEAR + _SUB)
_DECLARATIONS = [
    # 现将2023年全年政治生态建设情况报告如下
    rxcache.compile(r"现将" + _YEAR + _SUB + r"[^。；]{0,40}?报告如下"),
    # 对2024年度政治生态建设情况进行了评估
    rxcache.compile(r"对(?:本单位|本局|全局|我局|我单位)?" + _YEAR + _SUB + r"[^。；]{0,30}?(?:情况|状况)[^。；]{0,10}?进行了?"),
    # a paragraph of the preamble that opens with the period: 2024年，… / 2024年上半年，… / 2024年以来，…
    rxcache.compile(r"^\s*" + _YEAR + _SUB + r"(?:以来)?[，,]"),
]
#: 民主生活会 / 组织生活会 materials: the meeting being held is the period (召开2024年度民主生活会); used only when
#: the title names such a meeting.  上年度 / 2023年度…整改 in the body are earlier meetings, not declarations.
_MEETING = rxcache.compile(r"(?:召开|开好|筹备|参加)(?:了|好)?(?:本次|这次)?" + _YEAR + _SUB
                           + r"(?:[^。；，]{0,12}?)(?:专题)?(?:民主生活会|组织生活会)(?![^。；]{0,6}整改)")
_MEETING_TITLE = rxcache.compile(r"民主生活会|组织生活会")
#: in every declaration (the year of _YEAR): a paragraph without it declares no period
_YEAR_DIGITS = rxcache.compile(r"(?:19|20)[0-9]{2}")
_SUB_NORMAL = {"度": "全年", "年度": "全年", "全年": "全年", "上半年": "上半年", "下半年": "下半年"}


def _norm_sub(p: str | None) -> str | None:
    if not p:
        return None
    if p in _SUB_NORMAL:
        return _SUB_NORMAL[p]
    q = p.replace("第", "").replace("季度", "")
    return f"Q{cn_to_int(q) or q}"


class PeriodMismatch(Rule):
    code = "C602"
    name = "period-mismatch"
    severity = Severity.WARNING
    summary = "标题中的报告期与正文所述的报告期不一致（标题 2024年上半年，正文 2023年全年）"
    doc = RuleDoc(
        what="比较标题中的年份和时段（2024年度、2023年上半年、第三季度）与正文交代报告期的句子："
             "“现将2023年全年……情况报告如下”“对2024年度政治生态建设情况进行了评估”，以及导语中以“2024年，”“2024年以来，”"
             "开头的段落。年份不同，或两边都写明时段而时段不同（上半年 / 全年），即报告。"
             "正文提到的往年事件（召开2022年度述职述廉大会、2023年5月巡察反馈）不是报告期，不比较。"
             "标题是民主生活会、组织生活会材料时，正文“召开（开好）2024年度民主生活会”所说的年度就是报告期；"
             "“2023年度民主生活会整改措施”这类上一次会议的整改不算。",
        why="改写往年或上半年的材料时，标题改了、正文的报告期没改（或反之），是典型的“旧稿新用”痕迹。",
        bad="标题：东湖县交通运输局党组2024年上半年政治生态分析研判报告；正文：现将2023年全年政治生态建设情况报告如下。",
        good="标题：东湖县交通运输局党组2024年上半年政治生态分析研判报告；正文：现将2024年上半年政治生态建设情况报告如下。")

    def check(self, ctx):
        outline = ctx.outline
        title = outline.title_text
        if not title:
            return
        tm = _TITLE_PERIOD.search(title)
        if not tm:
            return
        t_year, t_sub = int(tm.group("y")), _norm_sub(tm.group("p"))
        t_text = tm.group(0)
        paras = ctx.document.paragraphs
        first_section = min((n.paragraph for n in outline.sections), default=len(paras))
        with_year = paragraphs_matching(outline, _YEAR_DIGITS)
        declarations = _DECLARATIONS + [_MEETING] if _MEETING_TITLE.search(title) else _DECLARATIONS
        for span in scope_spans(outline, "text"):
            if span.paragraph == outline.title or span.paragraph not in with_year:
                continue
            text = paras[span.paragraph].text
            for k, rx in enumerate(declarations):
                if k == 2 and span.paragraph > first_section:
                    continue  # only the preamble opens with the period under review
                for m in rx.finditer(text):
                    y, sub = int(m.group("y")), _norm_sub(m.group("p"))
                    if y == t_year and (sub is None or t_sub is None or sub == t_sub):
                        continue
                    s, e = m.start("y"), m.end("p") if m.group("p") else m.end("y") + 1
                    body = text[s:e]
                    yield ctx.finding(span.paragraph, s, e,
                                      f"报告期与标题不一致：标题为“{t_text}”，正文为“{body}”",
                                      suggestion="核对报告期，统一标题和正文的年份与时段")


# ---------------------------------------------------------------------------
# C603 巡视 / 巡察 / 巡查

_LEVEL_TERM = rxcache.compile(r"(?P<org>(?:中央|[省市县区州旗]委|党委|党组|工委)(?:第[一二三四五六七八九十0-9]+)?)"
                              r"(?P<kind>巡视|巡察|巡查)(?=组|办|工作|反馈|整改|意见|监督|期间|中|时|[，。、；])")


def _canonical(org: str) -> str | None:
    if org.startswith(("中央", "省委")):
        return "巡视"
    if org[:2] in ("市委", "县委", "区委", "州委", "旗委"):
        return "巡察"
    return None


class InspectionTerm(Rule):
    code = "C603"
    name = "inspection-term"
    severity = Severity.WARNING
    summary = "巡视、巡察、巡查混用（市委第三巡查组、同一巡察组前后写法不同）"
    doc = RuleDoc(
        what="党委的巡视巡察有固定称谓：中央、省（区、市）党委开展“巡视”，市、县党委开展“巡察”；“巡查”是一般的检查，"
             "不能用于党委巡察。报告“市委（第三）巡查组”“县委巡查”这类写法，以及同一个巡视巡察组（如市委第三巡察组）"
             "在文中写成两种说法的情况。“扬尘整治巡查”等一般巡查不报。",
        why="《中国共产党巡视工作条例》规定市县党委建立巡察制度；把巡察写成巡查或巡视是常见的政治性用词差错，"
            "同一组名前后不一还会让人误以为是两次巡视巡察。",
        bad="2023年5月，市委第三巡察组对我局开展了常规巡察……市委第三巡查组反馈，个别执法人员……",
        good="2023年5月，市委第三巡察组对我局开展了常规巡察……市委第三巡察组反馈，个别执法人员……",
        references=["《中国共产党巡视工作条例》（2017年修订）第二条、第五条"])

    def check(self, ctx):
        hits = list(scope_matches(ctx.outline, "text", _LEVEL_TERM))
        counts = Counter((m.group("org"), m.group("kind")) for _, _, m in hits)
        by_org: dict[str, set[str]] = {}
        for org, kind in counts:
            by_org.setdefault(org, set()).add(kind)
        for pi, offset, m in hits:
            org, kind = m.group("org"), m.group("kind")
            right = _canonical(org)
            kinds = by_org[org]
            if right is None:
                if len(kinds) < 2:
                    continue
                right = max(sorted(kinds), key=lambda k: counts[org, k])
            if kind == right:
                continue
            if kind != "巡查" and len(kinds) < 2 and not org.startswith("中央"):
                continue  # 市委巡视组 / 省委巡察 on their own: older or local usage, not a mix-up
            mixed = "，与文中其他处写法不一致" if len(kinds) > 1 else ""
            yield ctx.finding(pi, m.start("kind") - offset, m.end("kind") - offset,
                              f"“{org}{kind}”应为“{org}{right}”{mixed}",
                              fix=Fix(right, title=f"改为“{right}”", safe=False),
                              suggestion=f"改为“{right}”")


# ---------------------------------------------------------------------------
# C604 the unit's name

_TITLE_UNIT = rxcache.compile(r"^(?:关于)?(?P<unit>[\u4e00-\u9fff]{2,20}?)(?P<gov>党组|党委|党工委|领导班子|党支部|党总支)?"
                              r"(?:(?:19|20)[0-9]{2}年|关于)")
_PLACE_END = rxcache.compile(r"^[\u4e00-\u9fff]{1,6}?(?:省|市|县|区|州|旗|镇|乡|街道)")


class UnitNameVariant(Rule):
    code = "C604"
    name = "unit-name-variant"
    severity = Severity.WARNING
    summary = "单位名称前后写法不一（标题“东湖县交通运输局”，正文“东胡县交通运输局”）"
    doc = RuleDoc(
        what="从标题取出本单位名称（年份或“关于”之前的部分，如“东湖县交通运输局党组”），在正文中查找只差一个字的写法："
             "地名差一字而机构名相同（东胡县交通运输局），或地名相同、机构名差一字且后面同样跟着“党组/党委”等"
             "（东湖县交通运输厅党组）。正文使用简称（县交通运输局、我局）不报。",
        why="单位名称写错一个字往往是从兄弟单位的材料改写时漏改，或输入错误；名称不统一会让人怀疑材料的严肃性。",
        bad="标题：东湖县交通运输局党组2024年度……报告；正文：东胡县交通运输局党组认真落实……",
        good="标题和正文统一写作“东湖县交通运输局党组”。")

    def check(self, ctx):
        title = ctx.outline.title_text
        if not title:
            return
        m = _TITLE_UNIT.match(title)
        if not m:
            return
        unit, gov = m.group("unit"), m.group("gov") or ""
        place_m = _PLACE_END.match(unit)
        if not place_m or place_m.end() >= len(unit) - 1:
            return
        place_len = place_m.end()
        n = len(unit)
        anchor = unit[place_len - 1]  # the place name's last character (县, 市, 区…) must be there
        paras = ctx.document.paragraphs
        for span in scope_spans(ctx.outline, "text"):
            if span.paragraph == ctx.outline.title:
                continue
            text = paras[span.paragraph].text
            j = text.find(anchor, span.start + place_len - 1, span.end - n + place_len)
            while j >= 0:
                i = j - (place_len - 1)
                j = text.find(anchor, j + 1, span.end - n + place_len)
                cand = text[i:i + n]
                if cand == unit:
                    continue
                diff = [k for k in range(n) if cand[k] != unit[k]]
                if len(diff) != 1:
                    continue
                k = diff[0]
                if not all("\u4e00" <= ch <= "\u9fff" for ch in cand):
                    continue
                if k < place_len - 1:
                    ok = True  # the place name is misspelt, the organisation is the same
                else:
                    ok = bool(gov) and text.startswith(gov, i + n)
                if not ok:
                    continue
                yield ctx.finding(span.paragraph, i, i + n, f"单位名称“{cand}”与标题中的“{unit}”不一致",
                                  fix=Fix(unit, title=f"改为“{unit}”", safe=False), suggestion=f"统一写作“{unit}”")


# ---------------------------------------------------------------------------
# C605 a rate against its own fraction

_RATE = rxcache.compile(r"(?P<stem>[\u4e00-\u9fff]{2})率(?:为|达|达到|是|提高到|提升到|提升至|升至)?(?:了)?"
                        r"(?P<about>约|大约)?(?P<num>[0-9]+(?:\.[0-9]+)?)[%％]")
_COUNT = rxcache.compile(rf"(?P<num>[0-9]+)(?P<unit>{_UNIT_RX})(?![余多以左])")
_LABEL_SPLIT = rxcache.compile(r"[，、,；;：:。（）()\s]|其中")
_NEGATION = "未不没非无"
#: 约N%: the stated rate may differ from the computed one by this many percentage points
ABOUT_POINTS = 1.0


def _rate_ok(actual: float, stated: str, about: bool) -> bool:
    decimals = len(stated.split(".")[1]) if "." in stated else 0
    step = 10.0 ** -decimals
    value = float(stated)
    diff = abs(actual - value)
    truncated = 0 <= actual - value < step  # 69.23 written 69 (cut, not rounded)
    return diff <= step / 2 + 1e-9 or truncated or (about and diff <= ABOUT_POINTS + step / 2)


class RateMismatch(Rule):
    code = "C605"
    name = "rate-mismatch"
    severity = Severity.WARNING
    summary = "比率与同一段中的分子分母不符（应持证13人，其中已持证9人，持证率达7%：9÷13≈69.2%）"
    doc = RuleDoc(
        what="在同一段中找“总数 + 其中 + 分项”（应持证人员13人，其中已持证9人、未持证4人），再找名称与某个分项对应的比率"
             "（持证率、合格率、参训率、整改率……：率字前的两个字出现在分项名称里，且前面没有“未、不、非”）。"
             "用分项除以总数算出百分比，与写出的比率按写出的精度四舍五入后比较（写69%时68.5%～69.5%都算相符，"
             "也接受截断），不符即报告。比率前有“约”时再放宽1个百分点。比率找不到对应分项（如结案率而只有立案数）不比较。",
        why="比率是由数字算出来的，改稿时改了人数没改比率（或反之）最常见；前后矛盾的比率一眼就能被审核发现。",
        bad="全局应持证执法人员13人，其中已持证9人、未持证4人，持证率达7%。",
        good="全局应持证执法人员13人，其中已持证9人、未持证4人，持证率达69.2%。",
        references=["比率由同一段中的分项和总数算出，不依赖外部资料；修约按 GB/T 8170—2008《数值修约规则与极限数值的表示和判定》"
                    "的四舍五入，另接受截断"])

    def check(self, ctx):
        paras = ctx.document.paragraphs
        for span in scope_spans(ctx.outline, "text"):
            text = paras[span.paragraph].text
            if "率" not in text or "其中" not in text:
                continue
            for rate in _RATE.finditer(text, span.start, span.end):
                found = self._fraction(text, span.start, rate)
                if found is None:
                    continue
                part, whole, label = found
                actual = 100.0 * part / whole
                if _rate_ok(actual, rate.group("num"), bool(rate.group("about"))):
                    continue
                yield ctx.finding(span.paragraph, rate.start("stem"), rate.end(),
                                  f"比率与数字不符：{label}{part}÷总数{whole}≈{actual:.1f}%，而文中写作"
                                  f"{rate.group('num')}%",
                                  suggestion="核对比率和据以计算的人数（个数）")

    @staticmethod
    def _fraction(text, start, rate):
        """(part, whole, label) for the rate: the last 总数+其中 before it and the part named by its stem."""
        stem = rate.group("stem")
        wholes = [m for m in finditer(_WHOLE, text) if start <= m.start() and m.end() <= rate.start()]
        if not wholes:
            return None
        w = wholes[-1]
        whole = _value(w.group("num"))
        if not whole:
            return None
        unit = _unit(w.group("unit"))
        best = None
        for c in _COUNT.finditer(text, w.end(), rate.start()):
            if _unit(c.group("unit")) != unit:
                continue
            label = _LABEL_SPLIT.split(text[w.end():c.start()])[-1]
            k = label.find(stem)
            if k < 0 or (k > 0 and label[k - 1] in _NEGATION):
                continue
            if best is not None:
                return None  # two parts named alike: which one the rate counts is unclear
            best = (int(c.group("num")), whole, label)
        if best is None or best[0] > whole:
            return None
        return best


RULES = [TotalMismatch, PeriodMismatch, InspectionTerm, UnitNameVariant, RateMismatch]
