"""W family, Python part: words that are not words.

W510 non-word     同觉中央 → 同党中央, 数育 → 教育, 海宴河清 → 海晏河清, 羸家 → 赢家, 三嬴 → 三赢

The tables are ``ecocheck/data/nonwords.yaml``, built by ``tools/build_nonwords.py`` from jieba's dictionary
(words, frequencies), four_corner_method (四角号码: similar shape) and pypinyin (readings: similar sound);
see that tool for what goes in.  At run time:

* each position of the document's joined text is one dictionary look-up of the two characters there
  (the variants by their first two characters); the few positions that hit try the variants of two,
  three and four characters that start there;
* one regex scan finds the rare characters (羸, 嬴), each of which is tried against its neighbours with
  the common characters of the same four-corner code.

A variant is reported only where it stands apart from its neighbours: the character before it does not
make a word with its first character, nor the character after it with its last one (国防科技和武器 keeps
its 和; 我国加快 its 国).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import rxcache
from ..engine.rule import Rule, RuleDoc
from ..engine.scopes import joined_text, scope_spans
from ..model import Fix, Severity
from .textutil import words_of
from .typography import _lexicon



@lru_cache(maxsize=1)
def _rare_regex(chars: tuple[str, ...]) -> re.Pattern:
    return rxcache.compile("[" + "".join(sorted(chars)) + "]")


@lru_cache(maxsize=1)
def _tables():
    """(variants by their first two characters -> {variant: target}, rare -> mates, common words by first
    character, strong targets); built once and kept in the user cache with the parsed data files."""
    from .. import yamlio
    from ..resources import data_file

    text = data_file("ecocheck.data", "nonwords.yaml").read_text(encoding="utf-8")
    return yamlio.cached("nonwords-tables-1", text, _build_tables, decode=tuple)


def _build_tables(text: str):
    from .. import yamlio

    data = yamlio.safe_load(text)
    by_prefix: dict[str, dict[str, str]] = {}
    for line in str(data.get("variants") or "").splitlines():
        parts = line.split()
        for v in parts[1:]:
            by_prefix.setdefault(v[:2], {})[v] = parts[0]
    rare: dict[str, str] = {}
    for line in str(data.get("rare") or "").splitlines():
        line = line.strip()
        if len(line) >= 2:
            rare[line[0]] = line[1:]
    common: dict[str, str] = {}
    for line in str(data.get("common_words") or "").splitlines():
        line = line.strip()
        if len(line) >= 2:
            common[line[0]] = common.get(line[0], "") + line[1:]
    return by_prefix, rare, common, sorted(words_of(data.get("strong")))


class NonWord(Rule):
    code = "W510"
    name = "non-word"
    severity = Severity.WARNING
    summary = "不成词的字串，与常用词或公文固定说法只差一个形近或音近字（同觉中央→同党中央、数育→教育、羸家→赢家）"
    doc = RuleDoc(
        what="找出不成词、却与一个常用词或公文固定说法只差一个字的字串，差的那个字与正确的字字形相近（四角号码相同）"
             "或读音相同（同音同调）：同觉中央（党中央）、数育（教育）、海宴河清（海晏河清）、三嬴（三赢）、羸家（赢家）。"
             "只在该字串与前后文都不成词时报告（“国防科技和武器装备”的“和”、“我国加快”的“国”不报）。"
             "正确说法是高频词或公文固定说法时为警告，否则为提示。"
             "词和词频来自结巴分词（jieba 0.42.1）词典，字形相近依据四角号码（four_corner_method 0.2.0），"
             "读音依据 pypinyin 0.55；对照表由 tools/build_nonwords.py 生成（ecocheck/data/nonwords.yaml）。",
        why="错别字表只能查已知的错误；打字时选错同音字、看错形近字，常常写出根本不成词的字串，校对软件能查出来的，"
            "审核也能一眼看出。",
        bad="始终在思想上政治上行动上同觉中央保持高度一致，加强数育培训，实现三嬴，营造海宴河清的政治生态。",
        good="始终在思想上政治上行动上同党中央保持高度一致，加强教育培训，实现三赢，营造海晏河清的政治生态。",
        references=["结巴中文分词 jieba 0.42.1 词典（MIT 许可）", "four_corner_method 0.2.0 四角号码数据（MIT 许可）",
                    "pypinyin 0.55 拼音数据（MIT 许可）"])

    def check(self, ctx):
        by_prefix, rare, common, strong = _tables()
        outline = ctx.outline
        text, starts = joined_text(outline)
        inside = {s.paragraph: (s.start, s.end) for s in scope_spans(outline, "text")}
        words = _lexicon()["words"]
        strong_set = frozenset(strong)
        found: list[tuple[int, int, str]] = []
        for at in [i for i in range(len(text) - 1) if text[i:i + 2] in by_prefix]:
            candidates = by_prefix[text[at:at + 2]]
            for n in (2, 3, 4):
                t = candidates.get(text[at:at + n])
                if t is not None:
                    found.append((at, at + n, t))
        for m in _rare_regex(tuple(rare)).finditer(text):
            found += self._rare_fix(text, m.start(), rare[m.group()], common, words)
        taken = -1
        for start, end, right in sorted(found):
            if start < taken or text[start:end] in words:
                continue  # (a word after all: 津融 is a company, listed in doubled_words.yaml)
            if text[start - 1:start + 1] in words and start > 0 or text[end - 1:end + 1] in words:
                continue
            if end - start > 2 and _splits_into_words(text[start:end], right, words):
                continue
            k = _paragraph(starts, start)
            span = inside.get(k)
            s, e = start - starts[k], end - starts[k]
            if span is None or s < span[0] or e > span[1]:
                continue
            taken = end
            wrong = text[start:end]
            severity = None if right in strong_set else Severity.INFO
            yield ctx.finding(k, s, e, f"“{wrong}”不成词，疑为“{right}”",
                              fix=Fix(right, title=f"改为“{right}”", safe=False),
                              suggestion=f"核对后改为“{right}”", severity=severity)

    @staticmethod
    def _rare_fix(text, at, mates, common, words):
        """A rare character at ``at`` that makes no word with its neighbours, where a common character of
        the same shape does: (start, end, corrected bigram)."""
        left, right = text[at - 1:at + 1] if at > 0 else "", text[at:at + 2]
        if left in words or right in words:
            return []
        out = []
        before = text[at - 1] if at > 0 else ""
        after = text[at + 1:at + 2]
        for c in mates:
            if before and c in common.get(before, ""):
                out.append((at - 1, at + 1, before + c))
            elif after and after in common.get(c, ""):
                out.append((at, at + 2, c + after))
        return out if len(out) == 1 else []  # two readings: no telling which is meant


def _splits_into_words(wrong: str, right: str, words) -> bool:
    """The changed character of a three- or four-character variant makes a word with a neighbour inside
    it (实绩上 is 实绩 + 上, not a misspelt 实际上)."""
    k = next(i for i, (a, b) in enumerate(zip(wrong, right)) if a != b)
    return (k > 0 and wrong[k - 1:k + 1] in words) or (k + 1 < len(wrong) and wrong[k:k + 2] in words)


def _paragraph(starts: list[int], pos: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, pos) - 1


RULES = [NonWord]
