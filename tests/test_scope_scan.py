"""One scan of the joined text finds exactly what a scan paragraph by paragraph finds.

``scope_matches`` (engine/scopes.py) runs a line-local pattern once over the paragraphs joined
by "\\n" instead of once per paragraph; these tests hold it to the per-span results -- for every
shipped pack pattern, for patterns at the edge of line-locality, on random report-like text
(paragraphs with soft line breaks and run-in headings included).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ecocheck import api
from ecocheck.config import Config
from ecocheck.engine.packs import PackRule
from ecocheck.engine.regexgate import line_local
from ecocheck.engine.scopes import scope_matches, scope_spans
from ecocheck.model import Document, Paragraph
from ecocheck.outline import build_outline

LOCAL = [r"abc", r"[^，\n]+", r"[ \u3000]", r".+", r"(?m)^ab", r"(?m)a$", r"\bab\b", r"(?<![一-龥])x(?=[一-龥])",
         r"(a)\1", r"\d+", r"[\S]", r"\w+", r"[^\]］】\n]{0,20}", r"(?i)xx", r"[xX](?<![A-Za-z][xX])"]
NOT_LOCAL = [r"a\nb", r"[^，]+", r"\s", r"(?s).+", r"^ab", r"\Aab", r"ab\Z", r"(?<!\s)x", r"\D", r"\W", r"(?s:.)",
             r"(?:x|y\n)", r"a$", r"[\x00-\x7f]", r"x(?=[^a])"]


@pytest.mark.parametrize("pattern", LOCAL)
def test_line_local(pattern):
    assert line_local(re.compile(pattern))


@pytest.mark.parametrize("pattern", NOT_LOCAL)
def test_not_line_local(pattern):
    assert not line_local(re.compile(pattern))


def _pack_patterns() -> list[re.Pattern]:
    reg = api.registry(Config())
    return [r.regex for r in reg.rules.values() if isinstance(r, PackRule)]


def _document(paragraphs: list[str]) -> Document:
    return Document(path="t.txt", format="txt",
                    paragraphs=[Paragraph(index=i, line=i + 1, text=t) for i, t in enumerate(paragraphs)])


def _by_span(outline, scope, regex) -> list[tuple[int, int, int]]:
    paras = outline.document.paragraphs
    return sorted((s.paragraph, m.start(), m.end()) for s in scope_spans(outline, scope)
                  for m in regex.finditer(paras[s.paragraph].text, s.start, s.end))


def _joined(outline, scope, regex) -> list[tuple[int, int, int]]:
    return sorted((pi, m.start() - off, m.end() - off) for pi, off, m in scope_matches(outline, scope, regex))


EDGE = [r"x+", r"(?<![A-Za-z])[xX]{2,4}(?![A-Za-z])", r"(?m)^\s*x", r"(?m)x$", r"(?<=[一-龥])×|×(?=[一-龥])",
        r"\bx", r"[^\n，]{2}", r"(?:某某+)", r"\s+", r"^x", r"x\Z", r"(?s).{3}", r"。。|，，", r"(?:)", r"x*"]
CHUNKS = ["一、", "（一）", "1.", "存在问题", "整改措施", "x", "X", "xx", "XX", "××", "×", "某某", "某", "\n", " ", "\u3000",
          "。", "，", "。。", "A", "ab", "20xx年", "坚持", "的", "*", "**", "占%", "【X】", "一是", "统一是"]
TEXT = st.lists(st.lists(st.sampled_from(CHUNKS), max_size=8).map("".join), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=TEXT, pattern=st.sampled_from(EDGE), scope=st.sampled_from(["text", "body", "heading"]))
def test_joined_scan_equals_per_span_scan(paragraphs, pattern, scope):
    outline = build_outline(_document(paragraphs))
    regex = re.compile(pattern)
    assert _joined(outline, scope, regex) == _by_span(outline, scope, regex)


def test_shipped_patterns_on_the_fixtures():
    from pathlib import Path

    from ecocheck.loaders import load

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    docs = [load(str(p)) for p in sorted(fixtures.glob("*.txt"))]
    # soft line breaks inside paragraphs, as a .docx w:br gives them
    docs.append(_document(["一、存在问题\n（一）XX方面", "现有党员**人，\n占%", "【\nX】", "x\nx", "20\nxx年"]))
    patterns = _pack_patterns()
    for doc in docs:
        outline = build_outline(doc)
        for regex in patterns:
            for scope in ("text", "body"):
                assert _joined(outline, scope, regex) == _by_span(outline, scope, regex), (doc.path, regex.pattern)


def test_shipped_packs_take_the_one_scan_path():
    """Every built-in pack pattern is line-local (docs/developing.md, Performance): a pack edit that
    brings back a bare \\s or ^ still works, but scans paragraph by paragraph -- keep it out."""
    from importlib.resources import files

    shipped = str(files("ecocheck.packs"))
    reg = api.registry(Config())
    slow = [r.code for r in reg.rules.values()
            if isinstance(r, PackRule) and r.path.startswith(shipped) and not line_local(r.regex)]
    assert slow == []
    assert any(isinstance(r, PackRule) and r.path.startswith(shipped) for r in reg.rules.values())


# -- the first-character prefilter (engine/scopes.finditer) ---------------------------------------

PREFILTERED = [r"(?<![A-Za-z])[xX]{2,4}(?![A-Za-z])|(?<=[一-龥])×|×(?=[一-龥])",
               r"(?:(?<![0-9])(?:19|20)[xX]{1,2})|(?:[\[【][^\S\n]*[xX*]{1,4}[^\S\n]*[\]】])|(?:[*＊]+)",
               r"(?<![_＿])(?:_{3,}|＿{2,})(?![_＿])|[（(][^\S\n]*[）)]", r"(?:\bx+)|(?:某某+)",
               r"(?:(?<=x)x)|(?:占[^\S\n]*[%％])"]


@pytest.mark.parametrize("pattern", PREFILTERED)
def test_a_gate_for_alternations_re_cannot_skip(pattern):
    from ecocheck.engine.regexgate import match_gate

    assert match_gate(re.compile(pattern)) is not None


@pytest.mark.parametrize("pattern", [r"x*", r"(?:)|x", r"(?i)(?<!a)xx|yy", r"abc|abd", r"[xy]z", r"(?<!a)\w+",
                                     r"(?<!a)[^x]", r"(?<!a)[一-龥]", r"(?<!a)x|(?<!b).", r"(a)|(?<!b)\1"])
def test_no_prefilter_where_it_cannot_help_or_be_exact(pattern):
    """Empty matches, case-insensitive, literal-led (re skips itself), large or open classes, backrefs."""
    from ecocheck.engine.regexgate import match_gate

    assert match_gate(re.compile(pattern)) is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.sampled_from(CHUNKS + ["_", "___", "＿＿", "（）", "( )", "19xx", "2020", "占 %", "【 X 】",
                                              "a", "ax", "xa"]), max_size=40).map("".join),
       pattern=st.sampled_from(PREFILTERED))
def test_prefiltered_finditer_equals_re(text, pattern):
    from ecocheck.engine.scopes import finditer

    regex = re.compile(pattern)
    assert [m.span() for m in finditer(regex, text)] == [m.span() for m in regex.finditer(text)]


# -- the match gate (engine/regexgate.match_gate): first, second character, then the pattern --------

def test_whitespace_table_is_what_backslash_s_matches():
    from ecocheck.engine.regexparse import WHITESPACE as _WHITESPACE

    everything = "".join(map(chr, range(0x110000)))
    listed = [chr(cp) for lo, hi in _WHITESPACE for cp in range(lo, hi + 1)]
    assert re.findall(r"\s", everything) == listed


# a long typo list (W501's shape: re skips by the first character, then tries ~160 branches);
# overlapping words (AB / BCB / BD) check that a match inside an earlier one is passed over
MANY_WORDS = ["按装", "布署", "再接再励", "不径而走", "一愁莫展", "一股作气", "统一是", "一是统", "AB", "BCB", "BD", "CD", "DE",
              "不不", "不不不一", "一一"] + [f"词{chr(0x4e00 + 37 * i)}{i}" for i in range(40)]
LITERALS = "|".join(re.escape(w) for w in sorted(MANY_WORDS, key=len, reverse=True))
GATED = PREFILTERED + [LITERALS,
                       r"由[^，。\n]{0,4}网友|(?m:^)[^\S\n]*(?:本文)?仅供参考[^\S\n]*(?m:$)|【[^\S\n]*第[^\S\n]*[0-9一二]篇】",
                       r"[^\S\n]+x|(?<=x)[^\S\n]"]


@pytest.mark.parametrize("pattern", GATED)
def test_gate_found(pattern):
    from ecocheck.engine.regexgate import match_gate

    assert match_gate(re.compile(pattern)) is not None


@pytest.mark.parametrize("pattern", [r"abc|abd", "|".join(MANY_WORDS[:20]), r"x*", r"(?i)" + LITERALS, r"(?m)x|y",
                                     r"[^\S\n]|\s", r"(?<!a)\w+"])
def test_no_gate_where_re_does_well_or_it_cannot_be_exact(pattern):
    """A short literal alternation, empty matches, case-insensitive, global flags, open classes."""
    from ecocheck.engine.regexgate import match_gate

    assert match_gate(re.compile(pattern)) is None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.sampled_from(CHUNKS + MANY_WORDS + ["A", "B", "C", "D", "E", "不", "一", "统", "是", "由网友",
                                                            "本文仅供参考", "仅供参考 ", "【第一篇】", "【 第 2 篇 】", "\t",
                                                            "\u3000", "\xa0", " x", "x "]),
                     max_size=40).map("".join),
       pattern=st.sampled_from(GATED))
@example(text="ABCBD", pattern=LITERALS)
@example(text="不不不一一", pattern=LITERALS)
def test_gated_finditer_equals_re(text, pattern):
    from ecocheck.engine.scopes import finditer

    regex = re.compile(pattern)
    assert [m.span() for m in finditer(regex, text)] == [m.span() for m in regex.finditer(text)]


def test_shipped_gated_patterns_on_report_text():
    """Every shipped pack pattern: the same matches through scopes.finditer as through re."""
    from pathlib import Path

    from ecocheck.engine.scopes import finditer

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(fixtures.glob("*.txt")))
    text += "\n由范文网网友为您精心整理\n  仅供参考 \n【 第 3 篇 】布署再接再励按步就班\u3000仅供参考"
    for regex in _pack_patterns():
        assert [m.span() for m in finditer(regex, text)] == [m.span() for m in regex.finditer(text)], regex.pattern


def test_the_typo_list_is_gated_and_its_gated_scan_equals_re():
    """W501's long list of literal keys opens with some 400 characters: it gets a gate (a scan that skips
    most positions; the cost is in bench/RESULTS.md), and the gated scan finds exactly what re finds,
    over a text holding every key beside report text."""
    from pathlib import Path

    from ecocheck import api
    from ecocheck.engine.regexgate import match_gate
    from ecocheck.engine.scopes import finditer

    rule = api.registry().rules["W501"]
    assert match_gate(rule.regex) is not None
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    keys = sorted(k for k in rule.swap if k)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(fixtures.glob("*.txt"))[:3])
    text += "\n" + "，认真".join(keys) + "。\n" + "".join(keys)
    spans = [m.span() for m in rule.regex.finditer(text)]
    assert len(spans) >= len(keys)
    assert [m.span() for m in finditer(rule.regex, text)] == spans


# -- T406: one candidate pass over the joined text equals a regex scan per CJK run ---------------------------------

REPEATS = ["作为", "作为作为", "贯彻彻", "认认真真", "实实在在", "扎实实施", "研究研究", "的的", "一个一个", "，，", "12", "1212",
           "ab", "abab", "“", "”", "的", "是", "是是", "XX", " ", "。", "省省委", "久久为功"]


#: T406's first candidate scan: any characters repeating, paragraph by paragraph
OLD_REPEAT_AT = re.compile(r"(?=(.{1,8})\1)", re.S)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(st.lists(st.sampled_from(REPEATS + ["一", "\U00014e00", "\U00024e00"]), max_size=10)
                            .map("".join), min_size=1, max_size=4))
@example(paragraphs=["把学习作为作为永恒课题，贯彻彻党的精神，1212作为作为", "认认真真，扎实实施"])
def test_doubled_word_candidates_per_paragraph_equal_per_run(paragraphs):
    from ecocheck.engine.rule import RuleContext
    from ecocheck.rules import typography as t

    outline = build_outline(_document(paragraphs))
    rule = t.DoubledWord()
    fast = [(f.line, f.column, f.end_column, f.message) for f in rule.check(RuleContext(outline.document, outline, rule))]

    lex = t._lexicon()
    ctx = RuleContext(outline.document, outline, rule)
    reference = []
    for span in scope_spans(outline, "text"):
        text = outline.document.paragraphs[span.paragraph].text
        for run in t._CJK_RUN.finditer(text, span.start, span.end):
            a, b = run.span()
            cands = [m.start() for m in OLD_REPEAT_AT.finditer(text, a, b)]  # the old scan: one per run
            reference += [(f.line, f.column, f.end_column, f.message) for f in rule._scan(
                ctx, span.paragraph, text, a, b, cands, lex["words"], lex["redup"], lex["verbs"], lex["function"],
                lex["suffix"], lex["xx_words"], outline.genre == "speech")]
    assert fast == reference
    if paragraphs[0].startswith("把学习"):
        assert len(fast) >= 2  # the example is not vacuous


#: characters whose code points share their low 16 bits (一 U+4E00, 𔸀 U+14E00, 𤸀 U+24E00), a lone
#: surrogate, and ones the 16-bit lanes hold as they are
LANES = ["一", "\U00014e00", "\U00024e00", "\ud800", "\n", "作", "为", "x", "\x00", "\U00010000", "\uffff"]


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(LANES + REPEATS), max_size=25).map("".join))
@example(text="作为作为一\U00014e00\U00024e00\U00024e00")
def test_repeat_starts_find_every_repeat(text):
    from ecocheck.rules import typography as t

    found = t._repeat_starts(text)
    assert found == sorted(set(found))
    assert set(found) >= {m.start() for m in OLD_REPEAT_AT.finditer(text)}  # every repeat of 1-8 characters
    # and what the lanes add are only characters equal in their low 16 bits
    for i in set(found) - {m.start() for m in OLD_REPEAT_AT.finditer(text)}:
        assert any(all(ord(text[j]) & 0xFFFF == (ord(text[j + n]) if j + n < len(text) else 0) & 0xFFFF
                       for j in range(i, min(i + n, len(text))))
                   for n in range(1, t._MAX_UNIT + 1))


# -- T401 / T403: the paragraph prefilters and the memoised mark sequences skip only clean paragraphs --

MARKED = ["“", "”", "‘", "’", "（", "）", "(", ")", "《", "》", "【", "】", "认真", "学习", "it", "s", " ", "1）", "一、",
          ",", ".", "...", "。。。", "3.5", "http://a.cn/(x)", "`“`", "PPT", "ab", "\n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(st.lists(st.sampled_from(MARKED), max_size=12).map("".join), min_size=1, max_size=5),
       fmt=st.sampled_from(["txt", "md"]))
@example(paragraphs=["“六个一“系列活动", "“it’s”", "《意见（说明》）", "1）学习（认真）"], fmt="txt")
def test_punctuation_prefilters_equal_the_full_scan(paragraphs, fmt):
    from ecocheck.engine.rule import RuleContext
    from ecocheck.rules import textutil as tu
    from ecocheck.rules import typography as t

    doc = Document(path=f"t.{fmt}", format=fmt,
                   paragraphs=[Paragraph(index=i, line=i + 1, text=p) for i, p in enumerate(paragraphs)])
    outline = build_outline(doc)
    every = range(len(paragraphs))

    def key(f):
        return f.line, f.column, f.end_column, f.message, f.suggestion, f.fix

    rule = t.UnpairedMark()
    ctx = RuleContext(doc, outline, rule)
    reference = []
    for span, text, masks in tu.prose_paragraphs(ctx, every, accept=tu.has_cjk):
        pi = span.paragraph
        nxt = doc.paragraphs[pi + 1].text.lstrip() if pi + 1 < len(paragraphs) else ""
        reference += [key(ctx.finding(pi, i, i + 1, msg, suggestion=sug, fix=fix))
                      for i, msg, sug, fix in t._unpaired(
                          text, masks, continues=nxt.startswith("“") and not t._heading_line(outline, pi))]
    assert [key(f) for f in rule.check(ctx)] == reference

    rule = t.HalfwidthPunctuation()
    ctx = RuleContext(doc, outline, rule)
    reference = [key(f) for span, text, masks in tu.prose_paragraphs(ctx, every)
                 for f in rule._paragraph(ctx, span, text, masks)]
    assert [key(f) for f in rule.check(ctx)] == reference


@settings(max_examples=50, deadline=None)
@given(text=st.lists(st.sampled_from(LANES + REPEATS), max_size=40).map("".join),
       piece=st.integers(1, 20))
@example(text="一\x00", piece=1)
def test_repeat_starts_piece_by_piece_equal_one_pass(text, piece):
    from ecocheck.rules import typography as t

    whole = t._repeat_starts_in(text)
    saved = t._PIECE
    t._PIECE = piece
    try:
        assert t._repeat_starts(text) == whole
    finally:
        t._PIECE = saved


# -- packs: one-character swap keys with their if_preceded_by folded into the regex as lookbehinds --

BEFORE = [None, "[”》]", "”", "》", ".", "[^a]", "\\w", "[“”]”", "\\n", "”+", "(?:”)", "^", "(?<=a)b"]
GUARDED = ["”、“", "》、《", "、", "“", "”", "》", "《", "a", "ab", "，", "x", "学习", " ", "一、", "（一）", "。"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(st.lists(st.sampled_from(GUARDED), max_size=10).map("".join), min_size=1, max_size=5),
       entries=st.lists(st.tuples(st.sampled_from("、，x”"), st.sampled_from(BEFORE), st.sampled_from([None, "[“《]"])),
                        min_size=1, max_size=4),
       rule_before=st.sampled_from(BEFORE), scope=st.sampled_from(["text", "heading", "body"]))
@example(paragraphs=["学习“两个确立”、“两个维护”", "《党章》、《准则》", "、“"],
         entries=[("、", "[”》]", "[“《]")], rule_before=None, scope="text")
def test_folded_lookbehinds_keep_the_findings(paragraphs, entries, rule_before, scope):
    from ecocheck.engine.rule import RuleContext

    swap = [{"from": k, "to": "", **({"if_preceded_by": b} if b else {}), **({"if_followed_by": a} if a else {})}
            for k, b, a in entries]
    spec = {"code": "T999", "name": "t", "extends": "substitution", "summary": "s", "message": "m %s", "scope": scope,
            "swap": swap, "doc": {"what": "w", "why": "y", "bad": "b", "good": "g"},
            **({"if_preceded_by": rule_before} if rule_before else {})}
    rule = PackRule(spec, "t.yaml", "t")
    outline = build_outline(_document(paragraphs))

    def findings():
        ctx = RuleContext(outline.document, outline, rule)
        return [(f.line, f.column, f.end_column, f.message, f.suggestion, f.fix) for f in rule.check(ctx)]

    folded = findings()
    rule.regex = re.compile("|".join(re.escape(k) for k in rule.swap))  # the keys are one character each
    assert folded == findings()
    if paragraphs[0] == "学习“两个确立”、“两个维护”":  # the example is not vacuous
        assert len(folded) == 2 and "(?<=" in PackRule(spec, "t.yaml", "t").regex.pattern


@pytest.mark.parametrize("pattern", ["[”》]", "”", ".", "[^a]", "\\w", "[“”]”", "a\\d", "(?:”)"])
def test_one_char_items(pattern):
    from ecocheck.engine.regexgate import one_char_items
    assert one_char_items(pattern)


@pytest.mark.parametrize("pattern", ["”+", "^”", "(?<=a)b", "a|bc", "(?i)a", "x?", "\\b", "(", ""])
def test_not_one_char_items(pattern):
    from ecocheck.engine.regexgate import one_char_items
    assert not one_char_items(pattern)
