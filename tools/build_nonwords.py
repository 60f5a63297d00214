"""Build ecocheck/data/nonwords.yaml, the tables behind W510 (non-word).

W510 looks for a run of characters that is no word but is one character away -- by shape or by
sound -- from a frequent word or a 公文 fixed phrase (觉中央 → 党中央, 数育 → 教育, 海宴河清 → 海晏河清,
羸家 → 赢家, 三嬴 → 三赢).  Its tables come from three maintained packages, used here at build time
only (nothing of them is imported when ecocheck runs):

* jieba 0.42.1 ``jieba/dict.txt`` (MIT): the words, their frequencies, the standalone frequency of
  single characters;
* four_corner_method 0.2.0 (MIT, https://github.com/howl-anderson/four_corner_method): the
  四角号码 of 74,000 characters -- similar shape;
* pypinyin 0.55 (MIT, https://github.com/mozillazg/python-pinyin): the reading with its tone --
  similar sound.

Get them with the ordinary client, outside the project's environment, then run the tool::

    pip download jieba==0.42.1 --no-deps -d /tmp/jieba && tar xzf /tmp/jieba/jieba-0.42.1.tar.gz -C /tmp/jieba
    pip install --target /tmp/nw four_corner_method==0.2.0 pypinyin==0.55.0
    PYTHONPATH=/tmp/nw python tools/build_nonwords.py /tmp/jieba/jieba-0.42.1/jieba/dict.txt

What is written:

``variants``
    one line per target, ``target variant variant …``: every string that differs from the target in
    one character, where the written character looks like the right one (the same four-corner code;
    one digit apart for the most frequent two-character words) or sounds like it (the same syllable
    and tone, the written character a common one), and that is itself no word of jieba's dictionary.
    Targets: three- and four-character words with frequency >= MIN_FREQ_LONG, the 公文 phrases of
    PHRASES, and two-character words with frequency >= MIN_FREQ_TWO whose *kept* character is a bound
    morpheme (standalone frequency < MAX_BOUND: 育 in 教育 hardly stands alone, so an 育 that forms no
    word with its neighbours is suspect; 是 in 不是 stands alone everywhere, so 二是 says nothing).
    A variant whose replaced character stands at its edge and is itself a frequent standalone word
    (和 in 和武器) is left out: there the character is more likely a word of its own.
``strong``
    the targets frequent enough (>= STRONG_FREQ) or listed in PHRASES: a finding for them is a
    warning, for the others information.
``rare``
    for each rare character (standalone frequency below COMMON_FREQ, found in some word of the
    dictionary) the common characters with its four-corner code: 羸 → 赢, 嬴 → 赢.  W510 tries them against the
    neighbouring characters at run time.
``common_words``
    the two-character words (frequency >= MIN_FREQ_RARE_TARGET) a rare character may be corrected
    into, grouped by first character as in lexicon.yaml.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from build_lexicon import _block  # the same folded YAML blocks as the lexicon (tools/ is this script's folder)

MIN_FREQ_TWO = 2000
MIN_FREQ_LONG = 1000
MAX_BOUND = 1000
LOOSE_SHAPE_FREQ = 10000
STRONG_FREQ = 5000
STANDALONE_WORD = 20000
COMMON_FREQ = 100
MIN_FREQ_RARE_TARGET = 50
PERSON = {"nr", "nrt", "nrfg"}
CJK = re.compile(r"^[\u4e00-\u9fff]+$")
OUT = Path(__file__).resolve().parents[1] / "ecocheck" / "data" / "nonwords.yaml"

#: 公文 fixed phrases and formulae to correct into, whatever jieba's frequency says (海晏河清 has 5)
PHRASES = """党中央 党组织 党支部 党委会 党风廉政 三赢 双赢 共赢 赢家 海晏河清 河清海晏 风清气正 政通人和 国泰民安
踔厉奋发 勇毅前行 守正创新 笃行不怠 凝心聚力 真抓实干 久久为功 善作善成 担当作为 履职尽责 求真务实 攻坚克难
砥砺前行 激浊扬清 正风肃纪 反腐倡廉 廉洁自律 清正廉洁 一岗双责 三会一课 主题党日 民主生活会 组织生活会
以案促改 以案促治 举一反三 立行立改 标本兼治 纪检监察 巡视巡察 政治生态 意识形态 党内政治生活
全面从严治党 中国式现代化 新时代 新征程 两个确立 两个维护 四个意识 四个自信 习近平""".split()


def build(dict_path: str) -> str:
    from four_corner_method import FourCornerMethod
    from pypinyin import Style, pinyin

    words: dict[str, tuple[int, str]] = {}
    for line in Path(dict_path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and CJK.match(parts[0]):
            words[parts[0]] = (int(parts[1]), parts[2] if len(parts) > 2 else "")
    single = {w: f for w, (f, _p) in words.items() if len(w) == 1}
    common = {c for c, f in single.items() if f >= COMMON_FREQ}
    in_words = set("".join(w for w, (f, _p) in words.items() if len(w) > 1 and f >= MIN_FREQ_RARE_TARGET))
    codes = FourCornerMethod().data
    by_code: dict[str, set[str]] = defaultdict(set)
    for ch, code in codes.items():
        if CJK.match(ch):
            by_code[code].add(ch)
    reading: dict[str, str] = {}

    def read(ch: str) -> str:
        if ch not in reading:
            reading[ch] = pinyin(ch, style=Style.TONE3, heteronym=False)[0][0]
        return reading[ch]

    by_sound: dict[str, set[str]] = defaultdict(set)
    for ch in common:
        by_sound[read(ch)].add(ch)
    common_codes: dict[str, set[str]] = defaultdict(set)
    for ch in common:
        if ch in codes:
            common_codes[codes[ch]].add(ch)

    def similar(ch: str, loose: bool) -> set[str]:
        out: set[str] = set()
        code = codes.get(ch)
        if code:
            out |= common_codes.get(code, set())  # a typed wrong character is a common one
            if loose:
                for k in range(len(code)):
                    for d in "0123456789":
                        out |= common_codes.get(code[:k] + d + code[k + 1:], set())
        out |= by_sound.get(read(ch), set())
        out.discard(ch)
        return out

    known = set(words)
    targets = {w: f for w, (f, pos) in words.items() if pos not in PERSON and len(w) in (3, 4) and f >= MIN_FREQ_LONG}
    targets.update((w, words.get(w, (0, ""))[0]) for w in PHRASES if len(w) >= 2)
    two = {w: f for w, (f, pos) in words.items() if pos not in PERSON and len(w) == 2 and f >= MIN_FREQ_TWO}
    variants: dict[str, set[str]] = defaultdict(set)
    for target, freq in sorted(targets.items()):
        for k, ch in enumerate(target):
            for c in similar(ch, loose=False):
                v = target[:k] + c + target[k + 1:]
                if v in known:
                    continue
                if k in (0, len(target) - 1) and single.get(c, 0) >= STANDALONE_WORD:
                    continue
                variants[target].add(v)
    for target, freq in sorted(two.items()):
        for k, ch in enumerate(target):
            kept = target[1 - k]
            if single.get(kept, 0) >= MAX_BOUND:
                continue
            for c in similar(ch, loose=freq >= LOOSE_SHAPE_FREQ):
                v = target[:k] + c + target[k + 1:]
                if v not in known and single.get(c, 0) < STANDALONE_WORD:
                    variants[target].add(v)
    # a variant claimed by two targets says nothing about which is meant
    owners: dict[str, list[str]] = defaultdict(list)
    for target, vs in variants.items():
        for v in vs:
            owners[v].append(target)
    strong = sorted(t for t in variants if t in PHRASES or targets.get(t, two.get(t, 0)) >= STRONG_FREQ)
    rare: dict[str, set[str]] = defaultdict(set)
    in_any_word = set("".join(w for w in words if len(w) > 1))
    for ch, code in codes.items():
        if not CJK.match(ch) or ch in common or ch not in in_any_word:
            continue
        mates = common_codes.get(code, set()) - {ch}
        if mates:
            rare[ch] = mates
    rare_words = sorted(w for w, (f, pos) in words.items()
                        if len(w) == 2 and f >= MIN_FREQ_RARE_TARGET and pos not in PERSON)
    rare_words += [w for w in PHRASES if len(w) == 2 and w not in words]
    groups: dict[str, str] = defaultdict(str)
    for w in sorted(set(rare_words)):
        groups[w[0]] += w[1]
    used = {c for mates in rare.values() for c in mates}
    out = [
        "# Generated by tools/build_nonwords.py -- do not edit by hand.",
        "source: >-",
        "  jieba 0.42.1 jieba/dict.txt (MIT) for words and frequencies; four_corner_method 0.2.0 (MIT) for",
        "  the four-corner codes (similar shape); pypinyin 0.55.0 (MIT) for readings with tone (similar",
        "  sound); 公文 phrases listed in tools/build_nonwords.py.",
        "# target followed by the strings one similar character away from it that are no word",
        "variants: |",
    ]
    for target in sorted(variants):
        vs = sorted(v for v in variants[target] if len(owners[v]) == 1)
        if vs:
            out.append(f"  {target} {' '.join(vs)}")
    out += _block("strong", strong)
    out.append("# rare character followed by the common characters that look or sound like it")
    out.append("rare: |")
    out += [f"  {ch}{''.join(sorted(mates))}" for ch, mates in sorted(rare.items())
            if any(c in groups or any(c in tails for tails in groups.values()) for c in mates)]
    out.append("# two-character words a rare character may be corrected into, by first character")
    out.append("common_words: |")
    out += [f"  {head}{tails}" for head, tails in sorted(groups.items()) if head in used or set(tails) & used]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    OUT.write_text(build(sys.argv[1]), encoding="utf-8")
    print(f"wrote {OUT}")
