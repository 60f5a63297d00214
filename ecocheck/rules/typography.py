"""T family: punctuation and spacing that need a scanner rather than a regex.

T401 unpaired-mark        quotes and brackets that do not pair within a paragraph
T402 ascii-quotes         straight ASCII quotes "…" / '…' around Chinese text
T403 halfwidth-punctuation  , . : ; ? ! ( ) ... next to Chinese text
T406 doubled-word         a character or word typed twice (作为作为, 贯彻彻)
T407 stray-space          a space inside Chinese text (第 一时间, 2024 年)
T408 reversed-nested-quotes  ”十五五“ inside “…”: the inner quote should be ‘…’

Declarative punctuation checks (T404 doubled-punctuation, T405 enumeration-comma-between-quotes)
live in rules/typography.yaml.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate

from .. import rxcache
from ..engine.rule import Rule, RuleDoc
from ..engine.scopes import joined_text, scope_matches, scope_spans
from ..model import Fix, Severity
from ..resources import load_data
from .textutil import (CJK_CLASS, CN_DIGITS, has_cjk, in_spans, is_cjk, is_cjk_context,
                       overlaps, paragraphs_matching, prose_paragraphs, words_of)

# ---------------------------------------------------------------------------
# T401 / T408 quotes and brackets

PAIRS = {"（": "）", "(": ")", "《": "》", "〈": "〉", "【": "】", "〔": "〕", "「": "」", "『": "』", "［": "］"}
CLOSERS = {v: k for k, v in PAIRS.items()}
# ASCII ( and ( pair with each other's closers: a mixed pair is a half-width problem (T403), not T401.
FAMILY = {"(": "（", "（": "（", ")": "）", "）": "）"}
_LIST_LABEL = rxcache.compile(r"^\s*[0-9A-Za-z一二三四五六七八九十①-⑳]{1,3}[)）]")
_QUOTE_MARKS = "“”‘’"
#: every mark T401 pairs, found by one regex scan instead of a per-character loop
_PAIRED_MARK = rxcache.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS) + _QUOTE_MARKS) + "]")


def _fam(ch: str) -> str:
    return FAMILY.get(ch, ch)


class UnpairedMark(Rule):
    code = "T401"
    name = "unpaired-mark"
    severity = Severity.WARNING
    summary = "引号、括号、书名号不配对"
    doc = RuleDoc(
        what="逐段扫描成对的标点：“”、‘’、（）、《》、【】、〔〕等。报告缺少另一半的标记、方向打反的引号"
             "（“六个一“ 的第二个“应为”），以及内层误用双引号的嵌套。只在同一段内配对；跨段引文"
             "（下一段以“开头）不报，但标题行不会接续到下一段。",
        why="不配对的引号和括号多由改稿时删半截、输入法切换造成，读者无法判断引文或注释在哪里结束，"
            "是审核中最常被圈出的排版错误（GB/T 15834—2011 §4.8、§4.9、§4.15）。",
        bad="扎实开展反腐倡廉教育“六个一“系列活动；认真学习《关于新时代加强党的建设的意见，……（比如缺少抽查。",
        good="扎实开展反腐倡廉教育“六个一”系列活动；认真学习《关于新时代加强党的建设的意见》……（比如缺少抽查）。",
        references=["GB/T 15834—2011《标点符号用法》§4.8 引号、§4.9 括号、§4.15 书名号"])

    def check(self, ctx):
        paras = ctx.document.paragraphs
        marked = paragraphs_matching(ctx.outline, _PAIRED_MARK)
        for span, text, masks in prose_paragraphs(ctx, marked, accept=has_cjk):
            pi = span.paragraph
            if not masks and _pair_up("".join(_PAIRED_MARK.findall(text))) and not _APOSTROPHE.search(text):
                continue  # marks that pair in any paragraph (see _pair_up)
            nxt = paras[pi + 1].text.lstrip() if pi + 1 < len(paras) else ""
            continues = nxt.startswith("“") and not _heading_line(ctx.outline, pi)
            for i, message, suggestion, fix in _unpaired(text, masks, continues=continues):
                yield ctx.finding(pi, i, i + 1, message, suggestion=suggestion, fix=fix)


def _heading_line(outline, pi: int) -> bool:
    """The title or a heading standing on its own line: no quotation runs on from it into the next
    paragraph (一、“十四五时期工作回顾 has lost its ”, issue 16)."""
    if outline.title == pi:
        return True
    node = outline.node_of_paragraph.get(pi)
    return node is not None and node.kind == "heading" and node.paragraph == pi and not node.run_in


def _apostrophe(text, i):
    """The ‘ or ’ at ``i`` reads as an apostrophe (it's, rock’n’roll): T401 and T402 leave it alone."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return before.isascii() and before.isalpha() and (not after or (after.isascii() and after.isalnum())
                                                     or after == " ")


def _unpaired(text, masks, continues):
    """T401's scan of one paragraph: ``(position, message, suggestion, fix)`` for each mark that does not pair.

    ``continues``: the next paragraph opens with “, so an unclosed “ is a quotation running on.
    Linear in the marks: the next two quote marks of each kind are looked up, not searched for, and
    a closer whose opener is not on the stack (``open_count``) does not search the stack.
    """
    stack: list[tuple[str, int]] = []
    open_count: dict[str, int] = {}  # openers on the stack, by _fam (quotes by themselves)
    crossed: dict[str, int] = {}  # openers already reported as unclosed when a closer skipped over them
    label = _LIST_LABEL.match(text)
    label_end = label.end() if label else -1
    marks = [(m.start(), m.group()) for m in _PAIRED_MARK.finditer(text)]
    if masks:
        covered = _covered(masks)
        marks = [(i, c) for i, c in marks if not covered(i)]
    following = _next_quote_marks(marks)

    def push(c, i):
        stack.append((c, i))
        key = _fam(c)
        open_count[key] = open_count.get(key, 0) + 1

    def cut(depth):
        for oc, _oi in stack[depth:]:
            open_count[_fam(oc)] -= 1
        del stack[depth:]

    def find(key):
        if not open_count.get(key):
            return None
        return next(d for d in range(len(stack) - 1, -1, -1) if _fam(stack[d][0]) == key)

    for k, (i, c) in enumerate(marks):
        if c in ("’", "‘") and _apostrophe(text, i):
            continue
        if c in ("“", "‘"):
            close = "”" if c == "“" else "’"
            if stack and stack[-1][0] == c:
                n1 = following[k]
                n2 = following[n1] if n1 is not None else None
                if n2 is not None and marks[n1][1] == close and marks[n2][1] == close:
                    # “A“B”C”: a double quote nested in a double quote
                    yield (i, *nested_quote(c, close), None)
                    push(c, i)
                    continue
                yield (i, *second_opener(c, close))
                cut(len(stack) - 1)
                continue
            push(c, i)
            continue
        if c in ("”", "’"):
            opener = "“" if c == "”" else "‘"
            if stack and stack[-1][0] == opener:
                cut(len(stack) - 1)
                continue
            depth = find(opener)
            if depth is None:
                yield (i, *no_opener(c, opener), None)
                continue
            for oc, oi in stack[depth + 1:]:
                yield from _unclosed(oc, oi)
            cut(depth)
            continue
        if c in PAIRS:
            push(c, i)
            continue
        # a closing bracket
        want = _fam(CLOSERS[c])
        if stack and _fam(stack[-1][0]) == want:
            cut(len(stack) - 1)
            continue
        depth = find(want)
        if depth is None:
            if i < label_end or c == ")":
                continue  # "1）" list label; a lone half-width bracket is T403's
            if crossed.get(want):
                crossed[want] -= 1
                continue  # 《…（…》…）: the crossing is reported once, at the （
            yield (i, *no_opener(c, CLOSERS[c]), None)
            continue
        for oc, oi in stack[depth + 1:]:
            key = _fam(oc)
            crossed[key] = crossed.get(key, 0) + 1
            yield from _unclosed(oc, oi)
        cut(depth)
    for oc, oi in stack:
        if oc == "“" and continues:
            continue  # a quotation running on into the next paragraph
        yield from _unclosed(oc, oi)


def _next_quote_marks(marks):
    """For each mark, the index of the next mark of its quote kind (“” or ‘’), or None."""
    following: list[int | None] = [None] * len(marks)
    nxt: dict[str, int | None] = {"“": None, "‘": None}
    kind = {"“": "“", "”": "“", "‘": "‘", "’": "‘"}
    for k in range(len(marks) - 1, -1, -1):
        q = kind.get(marks[k][1])
        if q is not None:
            following[k] = nxt[q]
            nxt[q] = k
    return following


def _covered(spans):
    """``lambda pos: in_spans(pos, spans)``, a bisect per position for many spans (they may overlap)."""
    if len(spans) < 8:
        return lambda pos: in_spans(pos, spans)
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))  # the furthest end among the spans so far

    def covered(pos: int) -> bool:
        k = bisect_right(starts, pos)
        return k > 0 and reach[k - 1] > pos

    return covered


#: the marks by name, so that a message never has to quote a quotation mark (“““” reads as noise)
MARK_NAMES = {"“": "左双引号", "”": "右双引号", "‘": "左单引号", "’": "右单引号", "（": "左括号", "）": "右括号",
              "(": "左括号", ")": "右括号", "《": "左书名号", "》": "右书名号", "〈": "左单书名号", "〉": "右单书名号",
              "【": "左方头括号", "】": "右方头括号", "〔": "左六角括号", "〕": "右六角括号", "「": "左直角引号",
              "」": "右直角引号", "『": "左双直角引号", "』": "右双直角引号", "［": "左方括号", "］": "右方括号"}


def nested_quote(c, close):
    """T401's (message, suggestion) for a quote nested in a quote of the same kind (“A“B”C”)."""
    outer, inner = ("双引号", "单引号") if c == "“" else ("单引号", "双引号")
    return f"引号嵌套：内层引号应使用{inner}", f"把内层的{outer}改为{inner}"


def second_opener(c, close):
    """T401's (message, suggestion, fix) for a second opening quote where the closing one belongs."""
    return (f"引号不配对：此处应为{MARK_NAMES[close]}，而不是又一个{MARK_NAMES[c]}",
            f"把第二个{MARK_NAMES[c]}改为{MARK_NAMES[close]}", Fix(close, title=f"改为{MARK_NAMES[close]}", safe=False))


def no_opener(c, opener):
    """T401's (message, suggestion) for a closing mark with no opening one before it."""
    return f"{MARK_NAMES[c]}没有对应的{MARK_NAMES[opener]}", f"补上{MARK_NAMES[opener]}，或删除多余的{MARK_NAMES[c]}"


def _unclosed(c, i):
    if c == "(":
        return  # a lone half-width bracket is T403's
    close = {"“": "”", "‘": "’"}.get(c) or PAIRS[c]
    if close == ")":
        close = "）"
    yield i, f"{MARK_NAMES[c]}缺少对应的{MARK_NAMES[close]}", f"在引文或注释结束处补上{MARK_NAMES[close]}", None


#: an ASCII letter before ‘ or ’: the mark may be an apostrophe (it's), which _pair_up does not model
_APOSTROPHE = rxcache.compile("[A-Za-z][‘’]")


@lru_cache(maxsize=1024)
def _pair_up(marks: str) -> bool:
    """True when the sequence of paired marks of a paragraph gives no T401 finding in any paragraph
    without masked ranges or apostrophes; documents repeat a few sequences (“”, （）, “”《》…) many times.

    The scan of ``marks`` alone is that of the paragraph with no list label and no quotation running
    on; a label or a run-on quotation only silence findings, so no finding here means none there.
    """
    return next(_unpaired(marks, (), continues=False), None) is None


class ReversedNestedQuotes(Rule):
    code = "T408"
    name = "reversed-nested-quotes"
    severity = Severity.WARNING
    summary = "引号内的引语用了反向双引号（”十五五“），应为单引号"
    doc = RuleDoc(
        what="在一段引文中，把内层引语写成 ”X“（后引号在前、前引号在后）的写法。只在 X 是以数字开头的"
             "简称（十五五、两个维护、三会一课……）且两侧紧贴汉字时报告，给出改为‘X’的修改建议。",
        why="引号外双内单（GB/T 15834—2011 §4.8.3）。“科学谋划”十五五“交通发展”在排版上看似配对，实际把一句引文"
            "拆成了两段，内层的简称还被放到了引号外面。",
        bad="围绕“科学谋划”十五五“交通发展”的要求……",
        good="围绕“科学谋划‘十五五’交通发展”的要求……",
        references=["GB/T 15834—2011 §4.8.3"])

    #: (scope_matches scans with regexgate.match_gate's gate, ”[digit], not the lookbehind at every position)
    _RX = rxcache.compile(r"(?<=[" + CJK_CLASS + r"])”([" + CN_DIGITS + r"][" + CJK_CLASS + r"]{0,6})“(?=[" + CJK_CLASS + r"])")

    def check(self, ctx):
        paras = ctx.document.paragraphs
        for pi, offset, m in scope_matches(ctx.outline, "text", self._RX):
            text = paras[pi].text
            start, end = m.start() - offset, m.end() - offset
            before = text[:start]
            if before.count("“") <= before.count("”"):
                continue  # not inside an open quotation
            inner = m.group(1)
            yield ctx.finding(pi, start, end,
                              f"引文内层的“{inner}”应使用单引号：‘{inner}’",
                              fix=Fix(f"‘{inner}’", title=f"改为‘{inner}’", safe=False),
                              suggestion=f"改为‘{inner}’（引号外双内单）")


# ---------------------------------------------------------------------------
# T402 ASCII quotes

_ASCII_QUOTE = rxcache.compile("[\"']")


class AsciiQuotes(Rule):
    code = "T402"
    name = "ascii-quotes"
    severity = Severity.WARNING
    summary = "中文文本中使用了英文直引号 \" 或 '"
    doc = RuleDoc(
        what="中文段落中的英文直引号 \"…\" 或 '…'（引号内或两侧有汉字）。成对时整体报告一次，修改为“…”或‘…’；"
             "落单的直引号单独报告。网址、Markdown 代码中的引号不报。",
        why="GB/T 15834 规定中文使用弯引号“”‘’；直引号多来自英文输入法或从网页复制，打印出来与正文字体不协调。",
        bad="认真落实\"三会一课\"制度",
        good="认真落实“三会一课”制度",
        references=["GB/T 15834—2011 §4.8"])

    def check(self, ctx):
        for span, text, masks in prose_paragraphs(ctx, paragraphs_matching(ctx.outline, _ASCII_QUOTE)):
            for q, (lq, rq) in (('"', ("“", "”")), ("'", ("‘", "’"))):
                pos = [i for i, c in enumerate(text) if c == q and not in_spans(i, masks)]
                if q == "'":
                    pos = [i for i in pos if not _apostrophe(text, i)]
                k = 0
                while k < len(pos):
                    a = pos[k]
                    if k + 1 < len(pos):
                        b = pos[k + 1]
                        inner = text[a + 1:b]
                        near = text[max(0, a - 1):a] + inner + text[b + 1:b + 2]
                        if has_cjk(near) and "\n" not in inner:
                            yield ctx.finding(span.paragraph, a, b + 1, f"英文直引号应改为中文引号：{lq}{inner}{rq}",
                                              fix=Fix(f"{lq}{inner}{rq}", title=f"改为{lq}{rq}"),
                                              suggestion=f"改为{lq}{inner}{rq}")
                        k += 2
                        continue
                    if has_cjk(text[max(0, a - 1):a + 2]):
                        yield ctx.finding(span.paragraph, a, a + 1, f"落单的英文直引号 {q}",
                                          suggestion=f"改为中文引号{lq}或{rq}，并补全另一半")
                    k += 1


# ---------------------------------------------------------------------------
# T403 half-width punctuation

FULL = {",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_ELLIPSIS = rxcache.compile(r"\.{3,}|。{3,}")
_HALF_MARK = rxcache.compile("[" + re.escape("".join(c for c in FULL if c not in "()")) + "]")
_HALF_PAREN = rxcache.compile(r"[()]")
_HEAD_PAREN_LABEL = rxcache.compile(r"^\s*\([0-9一二三四五六七八九十]{1,3}\)")
#: a paragraph without any of these has no T403 finding (an ellipsis of 。 is T404's and only skipped here)
_ANY_HALF_MARK = rxcache.compile("[" + re.escape("".join(FULL)) + "]")


class HalfwidthPunctuation(Rule):
    code = "T403"
    name = "halfwidth-punctuation"
    severity = Severity.WARNING
    summary = "中文文本中使用了半角标点（, . : ; ? ! ( ) ...）"
    doc = RuleDoc(
        what="紧挨汉字（或中文标点）的半角逗号、句号、冒号、分号、问号、叹号、括号和 ...，给出对应的全角标点作为安全修改。"
             "不报：数字中的小数点和千分位（3.5、1,000）、时间（10:30）、“1.”这类序号、网址和电子邮箱、"
             "英文文本内部的标点、文件扩展名（报告.docx）、Markdown 代码和链接地址。",
        why="GB/T 15834 要求中文文本使用全角标点。半角标点多由英文输入法或从网页、PDF 复制带入，"
            "排版时宽度不一、位置偏下，审核时一眼可见。",
        bad="部分党员干部学习停留在读文件层面,满足于完成任务;研究解决问题的办法不多.修订清单(以下简称“两个清单”)",
        good="部分党员干部学习停留在读文件层面，满足于完成任务；研究解决问题的办法不多。修订清单（以下简称“两个清单”）",
        references=["GB/T 15834—2011《标点符号用法》§5"])

    def check(self, ctx):
        for span, text, masks in prose_paragraphs(ctx, paragraphs_matching(ctx.outline, _ANY_HALF_MARK)):
            yield from self._paragraph(ctx, span, text, masks)

    def _paragraph(self, ctx, span, text, masks):
        """The findings in one paragraph (one with a half-width mark: without one there are none)."""
        done: set[int] = set()
        for m in _ELLIPSIS.finditer(text):
            if overlaps(m.start(), m.end(), masks):
                continue
            left = text[m.start() - 1] if m.start() else ""
            right = text[m.end()] if m.end() < len(text) else ""
            if m.group(0)[0] == "." and not (is_cjk_context(left) or is_cjk_context(right)):
                continue
            done.update(range(m.start(), m.end()))
            if m.group(0)[0] == "。":
                continue  # T404 reports 。。。
            yield ctx.finding(span.paragraph, m.start(), m.end(), f"省略号应为“……”，而不是“{m.group(0)}”",
                              fix=Fix("……", title="改为“……”"), suggestion="改为“……”")
        yield from self._parens(ctx, span.paragraph, text, masks, done)
        for m in _HALF_MARK.finditer(text):
            i, c = m.start(), m.group()
            if i in done or in_spans(i, masks):
                continue
            if self._flag(text, i, c):
                yield ctx.finding(span.paragraph, i, i + 1, f"半角标点“{c}”应改为全角“{FULL[c]}”",
                                  fix=Fix(FULL[c], title=f"改为“{FULL[c]}”"), suggestion=f"改为“{FULL[c]}”")

    @staticmethod
    def _neighbours(text, i):
        j = i - 1
        left = text[j] if j >= 0 else ""
        k = i + 1
        while k < len(text) and text[k] == " ":
            k += 1
        right = text[k] if k < len(text) else ""
        immediate = text[i + 1] if i + 1 < len(text) else ""
        return left, right, immediate

    def _flag(self, text, i, c) -> bool:
        left, right, immediate = self._neighbours(text, i)
        if left.isdigit() and immediate.isdigit():
            return False  # 3.5 / 1,000 / 10:30
        if c == ".":
            if immediate and (immediate.isascii() and immediate.isalnum()):
                return False  # 报告.docx, 1.5
            if is_cjk_context(left):
                return True
            if left.isascii() and left.isalpha():
                # 提前制作PPT.研讨… / …使用OA系统和PPT.  (a Latin word inside Chinese text)
                if is_cjk_context(immediate):
                    return True
                j = i - 1
                while j >= 0 and text[j].isascii() and text[j].isalnum():
                    j -= 1
                return not immediate and j >= 0 and is_cjk(text[j])
            return False
        return is_cjk_context(left) or is_cjk_context(right)

    def _parens(self, ctx, pi, text, masks, done):
        opens: list[int] = []
        pairs: list[tuple[int, int]] = []
        lone: list[int] = []
        for m in _HALF_PAREN.finditer(text):
            i, c = m.start(), m.group()
            if in_spans(i, masks):
                continue
            if c == "(":
                opens.append(i)
            elif opens:
                pairs.append((opens.pop(), i))
            else:
                lone.append(i)
        lone += opens
        head = _HEAD_PAREN_LABEL.match(text)
        for a, b in sorted(pairs):
            if head and a < head.end():
                continue  # "(一)" heading label: the structure rules report label format
            inner = text[a + 1:b]
            left = text[a - 1] if a else ""
            right = text[b + 1] if b + 1 < len(text) else ""
            if not (has_cjk(inner) or is_cjk_context(left) or is_cjk_context(right)):
                continue
            done.update((a, b))
            yield ctx.finding(pi, a, b + 1, "半角括号“( )”应改为全角“（ ）”",
                              fix=Fix(f"（{inner}）", title="改为全角括号（）"), suggestion=f"改为（{inner}）")
        for i in sorted(lone):
            c = text[i]
            left = text[i - 1] if i else ""
            right = text[i + 1] if i + 1 < len(text) else ""
            if is_cjk_context(left) or is_cjk_context(right):
                done.add(i)
                yield ctx.finding(pi, i, i + 1, f"半角括号“{c}”应改为全角“{FULL[c]}”",
                                  fix=Fix(FULL[c], title=f"改为“{FULL[c]}”"), suggestion=f"改为“{FULL[c]}”")


# ---------------------------------------------------------------------------
# T406 doubled words

class _Words:
    """Word membership without a 45,000-entry set: the shipped two-character words stay as
    the lexicon's compact lines (first character -> the string of second characters), so
    loading costs a dictionary of ~4,000 short strings instead of hashing every word."""

    __slots__ = ("two", "other")

    def __init__(self, two: dict[str, str], other: set[str]):
        self.two = two
        self.other = other

    def __contains__(self, word: str) -> bool:
        if len(word) == 2 and word[1] in self.two.get(word[0], ""):
            return True
        return word in self.other

    def extended(self, words) -> "_Words":
        return _Words(self.two, self.other | set(words))


@lru_cache(maxsize=1)
def _lexicon():
    lex = load_data("lexicon.yaml")
    two: dict[str, str] = {}
    for line in str(lex.get("two_char") or "").splitlines():
        line = line.strip()
        if len(line) >= 2:
            two[line[0]] = two.get(line[0], "") + line[1:]
    xx_words = set(words_of(lex.get("xx_words")))
    data = load_data("doubled_words.yaml")
    domain = words_of(data.get("domain_words")) + words_of(data.get("gongwen_words"))
    xx_words.update(w for w in domain if any(w[k] == w[k + 1] for k in range(len(w) - 1)))
    redup = set(words_of(data.get("reduplications")))
    redup.update(head + head for head, tails in two.items() if head in tails)
    redup.update(w for w in domain if len(w) == 2 and w[0] == w[1])
    return {
        "words": _Words(two, set(words_of(lex.get("longer"))) | set(domain)),
        "xx_words": xx_words,
        "redup": redup,
        "function": set("".join(words_of(data.get("function_chars")))),
        "suffix": set("".join(words_of(data.get("suffix_chars")))),
        "verbs": set(words_of(data.get("abab_verbs"))),
        "prepositions": set("".join(words_of(data.get("prepositions")))),
    }


_CJK_RUN = rxcache.compile(f"[{CJK_CLASS}]+")
#: the longest quoted name (“宜荆荆襄”, 《柳柳州》) inside which T406 leaves a doubled character alone
_QUOTED_NAME_MAX = 8
#: the longest unit T406 looks for repeated at once (作为作为 has a unit of 2)
_MAX_UNIT = 8
#: _repeat_starts works through the text in pieces of this many characters: integers of 64 KB stay in
#: the processor's cache, so the time grows with the text, not faster
_PIECE = 1 << 15


def _repeat_starts(text: str) -> list[int]:
    """_repeat_starts_in over the whole text, piece by piece (each piece overlaps the next by the
    longest repeat, ``2 * _MAX_UNIT - 1`` characters after its last position)."""
    found: list[int] = []
    for at in range(0, len(text), _PIECE):
        piece = text[at:at + _PIECE + 2 * _MAX_UNIT - 1]
        found += [at + i for i in _repeat_starts_in(piece) if i < _PIECE]
    return found


def _repeat_starts_in(text: str) -> list[int]:
    """Every position ``i`` where ``text[i:i + n] == text[i + n:i + 2 * n]`` for some unit length
    ``n`` of 1 to _MAX_UNIT, and a few more (ascending).

    This is T406's hot loop, and a regex such as ``(?=(.{1,8})\\1)`` costs ``re`` eight attempts at
    every position.  Instead the text is compared with itself shifted by ``n`` characters, as
    whole-text integer operations that Python runs in C ("SIMD within a register"): each character
    becomes a 16-bit lane of one big integer (the low 16 bits of its code point), so that

    * ``x ^ (x >> 16 * n)`` has a zero lane ``i`` where ``text[i]`` equals ``text[i + n]``;
    * OR-ing that with itself shifted by 1 .. n-1 lanes leaves lane ``i`` zero only where the whole
      unit ``text[i:i + n]`` equals the next ``n`` characters;
    * a carry-free test turns each lane into its bit 15: set when the lane is not zero; and
    * AND-ing those over every ``n`` leaves bit 15 clear where some unit length repeats.

    Equal characters always give equal lanes, so no repeat is missed.  The extra positions --
    characters that differ only above their low 16 bits, a lane past the end of the text -- are
    ones the caller checks anyway (``_scan`` compares the characters themselves).
    """
    n = len(text)
    lanes = text.encode("utf-16-le", "surrogatepass")
    if len(lanes) != 2 * n:  # characters outside the BMP: take the low 16 bits of each code point
        utf32 = text.encode("utf-32-le", "surrogatepass")
        lanes = bytearray(2 * n)
        lanes[0::2] = utf32[0::4]
        lanes[1::2] = utf32[1::4]
    x = int.from_bytes(lanes, "little")
    ones = int.from_bytes(b"\x01\x00" * n, "little")  # 1 in every lane
    top = ones << 15  # bit 15 of every lane
    low = top - ones  # bits 0-14 of every lane
    no_repeat = top  # bit 15 stays set in a lane while no unit length repeats there
    for unit in range(1, _MAX_UNIT + 1):
        differ = x ^ (x >> 16 * unit)
        width = 1  # differ now ORs together ``width`` lanes from lane i on: doubled until ``unit``
        while width < unit:
            step = min(width, unit - width)
            differ |= differ >> 16 * step
            width += step
        # bit 15 of (lane & 0x7fff) + 0x7fff is set when any of bits 0-14 is, with no carry out of
        # the lane; OR-ing the lane itself adds bit 15
        no_repeat &= ((differ & low) + low) | differ
    hits = (no_repeat ^ top).to_bytes(2 * n, "little")  # 0x80 in the high byte of each hit lane
    found = []
    i = hits.find(0x80)
    while i >= 0:
        found.append(i >> 1)
        i = hits.find(0x80, i + 1)
    return found


def _repeat_candidates(outline) -> dict[int, list[int]]:
    """Where characters may repeat at once, as paragraph -> positions in its text (ascending).

    Found by one pass over the joined text (see _repeat_starts); a position on the line break that
    joins two paragraphs lies at the end of the first paragraph's text, outside every span.
    """
    text, starts = joined_text(outline)
    found: dict[int, list[int]] = {}
    for i in _repeat_starts(text):
        k = bisect_right(starts, i) - 1
        found.setdefault(k, []).append(i - starts[k])
    return found


def _cjk_run_around(text: str, pos: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The run of ``_CJK_RUN`` characters within ``text[lo:hi]`` that holds ``pos`` (None when
    ``text[pos]`` is not a Chinese character)."""
    run = _CJK_RUN.match(text, pos, hi)
    if run is None:
        return None
    b = run.end()
    a = pos
    while a > lo and _CJK_RUN.match(text, a - 1, a):
        a -= 1
    return a, b


class DoubledWord(Rule):
    code = "T406"
    name = "doubled-word"
    severity = Severity.WARNING
    summary = "字词重复（作为作为、贯彻彻党的）"
    options = {"extra_words": [], "extra_reduplications": [], "extra_verbs": [], "extra_function_chars": []}
    doc = RuleDoc(
        what="查找误打了两遍的字或词。重复的词（ABAB，如“作为作为”）和三字以上的重复直接报告；"
             "单字重复（XX）只在无法用词的边界解释时报告：扎实|实施、工作|作出、耕地|地力 这类“前词末字 = 后词首字”"
             "的情况（两侧都是常用词，或一侧是常用词、另一侧是“是、和、的”这类单字词）不报。"
             "合法的重叠一律不报：AABB（认认真真、实实在在）、叠字词（常常、层层、久久为功、红红脸、一件件、场场爆满）、"
             "“一个一个”，以及讲话稿中的 ABAB 动词重叠（研究研究）——报告中的 ABAB 动词重叠只作提示。"
             "引号或书名号中的短专名（“宜荆荆襄”、《柳柳州》）里的单字重复也不报。"
             "词表来自 jieba 词典（MIT），详见 docs/doubled-words.md。",
        why="重复的字词是改稿、复制粘贴留下的典型痕迹，印发后非常显眼；但汉语本身有大量重叠形式，"
            "只靠白名单会误报“扎实实施”这类正常文字，所以按词的边界判断。",
        bad="把学习贯彻习近平总书记重要讲话精神作为作为永恒课题；深入贯彻彻党的二十大精神",
        good="把学习贯彻习近平总书记重要讲话精神作为永恒课题；深入贯彻党的二十大精神",
        options={"extra_words": "额外的词（两字或多字），用于判断词的边界",
                 "extra_reduplications": "额外的合法叠字词（XX）",
                 "extra_verbs": "额外可作 ABAB 重叠的动词",
                 "extra_function_chars": "额外的单字词（可与后一个词首字相同）"})

    def check(self, ctx):
        lex = _lexicon()
        extra = {k: words_of(ctx.options.get(k)) for k in self.options}
        # copy the (large) shipped sets only when the user extends them
        words = lex["words"].extended(extra["extra_words"]) if extra["extra_words"] else lex["words"]
        redup = lex["redup"] | set(extra["extra_reduplications"]) if extra["extra_reduplications"] else lex["redup"]
        verbs = lex["verbs"] | set(extra["extra_verbs"]) if extra["extra_verbs"] else lex["verbs"]
        func = lex["function"] | set("".join(extra["extra_function_chars"]))
        suffix = lex["suffix"]
        xx_words = lex["xx_words"] | {w for w in extra["extra_words"]
                                      if any(w[k] == w[k + 1] for k in range(len(w) - 1))}
        speech = ctx.outline.genre == "speech"
        paras = ctx.document.paragraphs
        candidates = _repeat_candidates(ctx.outline)
        for span in scope_spans(ctx.outline, "text"):
            cands = candidates.get(span.paragraph)
            if not cands:
                continue
            text = paras[span.paragraph].text
            # go from candidate to candidate (a few hundred in 100,000 characters), not from CJK run
            # to CJK run (thousands): each candidate's run within the span is found around it
            k, hi = bisect_left(cands, span.start), bisect_left(cands, span.end)
            while k < hi:
                run = _cjk_run_around(text, cands[k], span.start, span.end)
                if run is None:
                    k += 1
                    continue
                a, b = run
                j = bisect_left(cands, b, k + 1, hi)
                yield from self._scan(ctx, span.paragraph, text, a, b, cands[k:j],
                                      words, redup, verbs, func, suffix, xx_words, speech)
                k = j

    def _scan(self, ctx, pi, text, a, b, cands, words, redup, verbs, func, suffix, xx_words, speech):
        i = a  # first position not yet consumed by a finding
        for pos in cands:
            if pos < i:
                continue
            i = pos
            hit = None
            for n in range(min(8, (b - i) // 2), 1, -1):
                if text[i:i + n] == text[i + n:i + 2 * n]:
                    hit = n
                    break
            if hit:
                unit = text[i:i + hit]
                if hit == 2:
                    verdict = self._abab(unit, words, verbs, speech)
                    if verdict and i > a and (text[i - 1] + unit[0] in words or text[i - 1] + unit in words):
                        verdict = None  # 党组织|组织功能: the first AB ends a longer word
                else:
                    verdict = "flag" if not all(c in CN_DIGITS for c in unit) else None
                if verdict:
                    sev = Severity.INFO if verdict == "info" else None
                    msg = (f"“{unit}”重复出现" if verdict == "flag"
                           else f"“{unit}{unit}”是口语化的动词重叠，书面报告中宜改为“{unit}一下”或删去重复")
                    yield ctx.finding(pi, i, i + 2 * hit, msg, severity=sev,
                                      fix=Fix(unit, title=f"改为“{unit}”", safe=False) if verdict == "flag" else None,
                                      suggestion=f"删去重复的“{unit}”" if verdict == "flag" else None)
                    i += 2 * hit
                continue
            # (i + 1 < b: a span may end inside a CJK run, and _scan looks only inside the span)
            if i + 1 < b and text[i] == text[i + 1] and self._flag_xx(text, i, a, b, words, redup, func, suffix, xx_words):
                x = text[i]
                yield ctx.finding(pi, i, i + 2, f"“{x}”字重复：“{text[max(a, i - 2):min(b, i + 4)]}”",
                                  fix=Fix(x, title=f"删去一个“{x}”", safe=False), suggestion=f"删去重复的“{x}”")
                i += 2

    @staticmethod
    def _abab(unit, words, verbs, speech):
        a, b = unit
        if a == b or a == "一" or a in CN_DIGITS:
            return None  # 一个一个, 一步一步
        if unit in verbs:
            return None if speech else "info"
        if b in "着了呀啊吧呢嘛哦哈" or a in "哈嘿呵哼":
            return None  # 走着走着, 好了好了, 哈哈
        return "flag"

    @staticmethod
    def _flag_xx(text, i, a, b, words, redup, func, suffix, xx_words) -> bool:
        """Is the doubled character at ``text[i:i+2]`` a typo?  (See docs/doubled-words.md.)"""
        x = text[i]
        if x in CN_DIGITS or not is_cjk(x):
            return False
        if a > 0 and b < len(text) and text[a - 1] in "“《" and text[b] in "”》" and b - a <= _QUOTED_NAME_MAX:
            return False  # “武鄂黄黄咸”, “支支串飞”, 《柳柳州》: a coined name keeps its doubled character
        if x in "省市县区" and text[i + 2:i + 3] == "委":
            return False  # 市市委: W502 reports the doubled level
        # AABB (认认真真) — either half
        if i + 3 < b and text[i + 2] == text[i + 3] and text[i + 2] != x:
            return False
        if i - 2 >= a and text[i - 2] == text[i - 1] and text[i - 1] != x:
            return False
        # inside a word or idiom with a doubled character (久久为功, 井井有条, 一一列举)
        for n in range(3, 9):
            for s in range(max(a, i + 2 - n), min(i, b - n) + 1):
                if text[s:s + n] in xx_words:
                    return False
        left = any(text[i - k + 1:i + 1] in words for k in (2, 3, 4, 5) if i - k + 1 >= a)
        right = any(text[i + 1:i + 1 + k] in words for k in (2, 3, 4, 5) if i + 1 + k <= b)
        if text[i:i + 2] in redup:
            if not (left and not right):
                return False  # 常常, 红红脸 — unless a word ends at the first X and none starts at the second
            if i > a and text[i - 1] == "一":
                return False  # 一桩桩, 一场场: 一 + a reduplicated measure word
            if (any(text[i - k:i] in words for k in (2, 3, 4, 5) if i - k >= a)
                    and any(text[i + 2:i + 2 + k] in words for k in (2, 3, 4, 5) if i + 2 + k <= b)):
                return False  # 联赛|场场|爆满: words end before the pair and start after it
        if left and right:
            return False  # 扎实|实施, 工作|作出
        if x in func and (left or right):
            return False  # 是|是否, 为了|了解
        if x in suffix and right and i > a and text[i - 1] not in _lexicon()["prepositions"]:
            return False  # 范文网|网友: a name ending in a suffix, then a word (not 对所|所辖: 对 is no name)
        return True


# ---------------------------------------------------------------------------
# T407 stray spaces

_SPACES = rxcache.compile(r"[ \u3000\u00a0]+")
#: a paragraph without one of these has no T407 finding (``re`` skips to it faster than to _SPACES)
_SPACE = rxcache.compile(r"[ \u3000\u00a0]")
#: one of the phrases in 下基层 察民情 解民忧
_SLOGAN_SEGMENT = rxcache.compile(f"[{CJK_CLASS}]{{2,8}}")
_MEASURE = set("人名个次件项家所条篇期场批起户元%％")
#: a line that is no sentence: a headline title or a byline (no 。，；：！？ in it; 、 may be)
_SENTENCE_MARK = rxcache.compile(r"[。，,；;：:！!？?]")
#: a line ending in a name set off by spaces, a two-character name padded to three (局长  杜  宇,
#: 杜  宇) or a name of two to four characters after the job title (市城管局局长  杜宇)
_BYLINE_NAME = rxcache.compile(f"(?:^|[ \u3000])(?P<name>[{CJK_CLASS}][ \u3000]+[{CJK_CLASS}]|[{CJK_CLASS}]{{2,4}})"
                               r"[ \u3000]*$")
_BYLINE_MAX = 40
#: the last character of a job title before a byline's name (局长, 书记, 主任, 主席, 委员, 经理, 总监)
_JOB_TITLE_END = set("长记任席员理监")
#: the shortest clause on either side of a space in a headline title (立足更高定位 彰显更大作为)
_HEADLINE_CLAUSE = 4
_LABEL_BEFORE_SPACE = rxcache.compile(r"^\s*(?:[0-9]+(?:\.[0-9]+)*[.、．]|[0-9]+(?:\.[0-9]+)+|[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十0-9]+[）)]|"
                                      r"第[一二三四五六七八九十0-9]+[章节条部分]|[一二三四五六七八九十]是)$")


def _cjk_around(text: str, s: int, e: int) -> tuple[int, int]:
    """The Chinese characters running up to ``s`` and on from ``e``: ``(start, end)`` of that stretch."""
    lo = s
    while lo > 0 and is_cjk(text[lo - 1]):
        lo -= 1
    hi = e
    while hi < len(text) and is_cjk(text[hi]):
        hi += 1
    return lo, hi


class StraySpace(Rule):
    code = "T407"
    name = "stray-space"
    severity = Severity.INFO
    summary = "中文文本中的多余空格（第 一时间、2024 年）"
    doc = RuleDoc(
        what="汉字之间、汉字与数字之间、汉字与中文标点之间的空格（半角、全角或不换行空格），给出删除空格的修改。"
             "不报：段首缩进和段尾空格、英文单词之间和汉字与英文之间的空格、数字与英文单位之间的空格（156 mm）、"
             "Markdown 的标记空格，用空格分隔的并列短语（“下基层 察民情 解民忧 暖民心”），"
             "以及排版惯例：标题中分隔两个分句的空格（“立足更高定位 彰显更大作为”）、署名中职务与姓名之间"
             "和两字姓名中间的空格（“局长  杜  宇”）。"
             "数量词前空着不填（退休党员 名）由 H304 报告。",
        why="公文中汉字与数字之间不加空格。多余的空格多来自 PDF 或网页转换、手工对齐，打印后显得零乱，"
            "也会妨碍检索（搜“第一时间”找不到“第 一时间”）。",
        bad="对群众反映的问题做到第 一时间受理；2024 年将开展专项整治。",
        good="对群众反映的问题做到第一时间受理；2024年将开展专项整治。")

    def check(self, ctx):
        fmt = ctx.document.format
        front = self._front_matter(ctx.outline)
        for span, text, masks in prose_paragraphs(ctx, paragraphs_matching(ctx.outline, _SPACE)):
            typeset = self._typeset_spaces(text, span.paragraph in front)
            for m in _SPACES.finditer(text, span.start, span.end):
                s, e = m.start(), m.end()
                if s == 0 or e == len(text) or not text[:s].strip() or overlaps(s, e, masks):
                    continue
                left, right = text[s - 1], text[e]
                if not self._joins(left, right):
                    continue
                if is_cjk(left) and not left.isdigit() and right in _MEASURE:
                    continue  # "退休党员 名": a blank number, H304
                if self._slogan(text, s, e):
                    continue
                if left in "（(【[［" and right in "）)】]］":
                    continue  # "（  ）": an empty slot, H303
                if fmt == "md" and (left in "*_`#>|-" or right in "*_`#>|-"):
                    continue
                if _LABEL_BEFORE_SPACE.match(text[:s]):
                    continue  # "1. 标题": label spacing is the structure rules' business
                if typeset and typeset(s, e):
                    continue  # a headline title's clauses, a byline's name: typesetting, not a slip
                yield ctx.finding(span.paragraph, s, e, "中文文本中有多余的空格",
                                  fix=Fix("", title="删除空格"), suggestion="删除空格")

    @staticmethod
    def _front_matter(outline) -> set[int]:
        """The title and the lines before the first heading (where headline titles and bylines stand)."""
        first = next((n.paragraph for n in outline.headings()), None)
        front = {i for i in outline.preamble if first is None or i < first}
        if outline.title is not None:
            front.add(outline.title)
        return front

    @staticmethod
    def _typeset_spaces(text: str, front: bool):
        """For a line that is no sentence: a test ``(s, e) -> bool`` of whether the space at
        ``text[s:e]`` is a typesetting convention -- the padding of a byline's name and the space
        before it (局长  杜  宇), anywhere; between two clauses of a headline title (立足更高定位
        彰显更大作为), in the front matter.  None for any other line."""
        body = text.strip()
        if not body or _SENTENCE_MARK.search(body):
            return None
        name = _BYLINE_NAME.search(text) if len(body) <= _BYLINE_MAX else None
        name_from = None
        if name is not None:
            k = name.start("name")
            while k > 0 and text[k - 1] in " \u3000":
                k -= 1
            padded = len(name["name"]) > 2 and not is_cjk(name["name"][1])
            if padded or (k > 0 and k < name.start("name") and text[k - 1] in _JOB_TITLE_END):
                name_from = k

        def typeset(s: int, e: int) -> bool:
            if name_from is not None and s >= name_from:
                return True
            if not front:
                return False
            lo, hi = _cjk_around(text, s, e)
            return s - lo >= _HEADLINE_CLAUSE and hi - e >= _HEADLINE_CLAUSE

        return typeset

    @staticmethod
    def _joins(left, right) -> bool:
        lc, rc = is_cjk_context(left), is_cjk_context(right)
        if lc and rc:
            return True
        if lc and right.isdigit():
            return is_cjk(left) or left in "，。、；：？！“（《"
        if rc and left.isdigit():
            return is_cjk(right)
        return False

    @staticmethod
    def _slogan(text, s, e) -> bool:
        """Parallel phrases separated by single spaces: 下基层 察民情 解民忧 暖民心."""
        lo, hi = _cjk_around(text, s, e)
        left_seg, right_seg = text[lo:s], text[e:hi]
        if not (_SLOGAN_SEGMENT.fullmatch(left_seg) and _SLOGAN_SEGMENT.fullmatch(right_seg)):
            return False
        # at least three segments in the run, or a run set off by quotes / book-title marks
        before = text[lo - 1] if lo > 0 else ""
        after = text[hi] if hi < len(text) else ""
        more = (before in " \u3000" and lo >= 2 and is_cjk(text[lo - 2])) or \
               (after in " \u3000" and hi + 1 < len(text) and is_cjk(text[hi + 1]))
        return more or (bool(before) and before in "“《「") or (bool(after) and after in "”》」")


RULES = [UnpairedMark, AsciiQuotes, HalfwidthPunctuation, DoubledWord, StraySpace, ReversedNestedQuotes]
