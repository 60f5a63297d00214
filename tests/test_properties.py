"""Property tests (hypothesis): any text yields an outline, and every location points at its text.

The strategies are biased toward report-like text -- heading labels 一、（一）1.（1）①, inline
items 一是…第一，…其一，, Chinese punctuation, placeholders -- mixed with arbitrary Unicode,
control characters included.  Also: the .txt and .docx forms of every fixture give the same
findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ecocheck import api
from ecocheck.config import Config
from ecocheck.engine.regexcheck import backtracking_risk
from ecocheck.errors import LoadError
from ecocheck.loaders import load
from ecocheck.loaders.numbering import SUPPORTED_FORMATS, format_number
from ecocheck.loaders.text import load_text, split_lines
from ecocheck.model import Document, Paragraph
from ecocheck.outline import build_outline
from ecocheck.outline.numerals import cn_to_int, int_to_cn
from make_docx import build_docx, read_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LABELS = ["一、", "二、", "三、", "十一、", "二十、", "一.", "一，", "（一）", "(二)", "（十）", "（三）、", "1.", "2．", "3、",
          "10.", "1，", "5:", "（1）", "(2)", "（12）", "①", "②、", "⑳", "一是", "二是", "三是", "一要", "十是", "第一，",
          "第二、", "第十：", "其一，", "其二、", "附件", "第一部分"]
WORDS = ["坚持", "加强理论学习", "存在问题", "存在的主要问题", "整改措施", "原因分析", "基本情况", "统一是", "唯一是",
         "XX", "xx", "**", "*", "××", "○○", "二○○八年", "20xx年", "[X]", "占%", "X光", "3x5", "的的", "进一步",
         "关于某局政治生态情况的报告", "各位领导：", "特此报告。", "ecocheck-disable H301",
         "<!-- ecocheck-disable-next-line T -->", "ecocheck-enable"]
PUNCT = list("。，、；：？！“”‘’（）《》【】…—·,.;:?!()[]\"'%％ \t\u3000\u00a0") + ["……", "——"]
CONTROL = ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\u200b", "\u2028", "\ufeff", "\ufffe", "\r"]

any_char = st.characters(blacklist_categories=("Cs",))
fragment = st.one_of(
    st.sampled_from(LABELS), st.sampled_from(WORDS), st.sampled_from(PUNCT), st.sampled_from(CONTROL),
    st.integers(0, 1000).map(str), st.text(any_char, max_size=6),
    st.text(st.sampled_from("一二三四五六七八九十百零〇两是要第其（）()、.，"), max_size=6),
)
line = st.lists(fragment, max_size=14).map("".join)
md_prefix = st.sampled_from(["", "", "", "# ", "## ", "### ", "#### ", "   ## ", "```", "- "])
report_text = st.lists(st.tuples(md_prefix, line).map("".join), max_size=30).map("\n".join)


def text_document(text: str) -> Document:
    """A .txt Document made directly from lines (bypassing the encoding checks of the loader)."""
    paragraphs = [Paragraph(index=i, line=i + 1, text=t) for i, t in enumerate(split_lines(text))]
    return Document(path="t.txt", format="txt", paragraphs=paragraphs, encoding="utf-8")


def md_document(text: str) -> Document:
    try:
        return load_text("t.md", text.encode("utf-8", "surrogatepass"), "md")
    except LoadError:
        assume(False)
        raise


def check_outline(doc: Document) -> None:
    outline = build_outline(doc)
    n = len(doc.paragraphs)
    seen = set()
    for node in outline.walk():
        assert id(node) not in seen  # a tree, no node twice
        seen.add(id(node))
        assert 0 <= node.paragraph < n
        p = doc.paragraphs[node.paragraph]
        assert 0 <= node.start <= node.end <= len(p.text), (node, p.text)
        assert p.text[node.start:node.start + len(node.label)] == node.label
        assert (node.line, node.column) == (p.line, p.column_offset + node.start + 1)
        for span in node.body_spans:
            assert 0 <= span.paragraph < n
            assert 0 <= span.start <= span.end <= len(doc.paragraphs[span.paragraph].text)
        assert all(0 <= i < n for i in node.body)
        for child in node.children:
            assert child.parent is node
    assert all(0 <= i < n for i in outline.preamble)
    assert all(0 <= i < n for i in outline.node_of_paragraph)
    assert outline.title is None or 0 <= outline.title < n


def check_findings(doc: Document) -> None:
    result = api.lint_document(doc, Config(select=["ALL"]))
    for f in result.findings:
        assert not f.code.startswith("E"), f.message  # E100 would be a crashing rule
        assert f.location_error(doc) is None, (f.code, f.location_error(doc))


@SETTINGS
@given(report_text)
def test_any_text_yields_a_consistent_outline(text):
    check_outline(text_document(text))


@SETTINGS
@given(report_text)
def test_any_markdown_yields_a_consistent_outline(text):
    check_outline(md_document(text))


@SETTINGS
@given(st.text(any_char, max_size=400))
def test_arbitrary_unicode_yields_a_consistent_outline(text):
    check_outline(text_document(text))


@pytest.mark.parametrize("text", ["```\n```\n一，一.", "```\ncode\n```\n关于某局的报告\n# 标题\n各位领导：\n一、基本情况"])
def test_title_after_a_code_block_is_not_a_title(text):
    """Found by hypothesis: a title-like line after a Markdown code block made the grammar fail."""
    doc = md_document(text)
    check_outline(doc)
    check_findings(doc)


@SETTINGS
@given(report_text)
def test_every_finding_text_matches_its_location(text):
    check_findings(text_document(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_text)
def test_every_markdown_finding_text_matches_its_location(text):
    check_findings(md_document(text))


@SETTINGS
@given(st.binary(max_size=300))
def test_text_loader_never_raises_anything_but_load_error(data):
    try:
        doc = load_text("t.txt", data, "txt")
    except LoadError as err:
        assert err.code in ("E006", "E007") and "\n" not in err.message
        return
    assert all("\n" not in p.text and "\r" not in p.text for p in doc.paragraphs)


@SETTINGS
@given(st.integers(min_value=-10**30, max_value=10**30), st.sampled_from(sorted(SUPPORTED_FORMATS) + ["bogus"]))
def test_numbering_labels_stay_short_for_any_value(value, fmt):
    assert len(format_number(value, fmt)) <= 64


@SETTINGS
@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


@SETTINGS
@given(st.text(st.sampled_from("ab()|*+?{},.\\[]^$-:=!<>x一是"), max_size=20))
def test_regex_check_never_raises(pattern):
    backtracking_risk(pattern)  # None or a reason; never an exception


# ---------------------------------------------------------------------------
# the same text as .txt and as .docx gives the same findings


def _format_specific_codes() -> set[str]:
    """Rules that only run on some formats (the F family and anything with ``formats``) are excluded:
    they see what only one format has (fonts and page setup in .docx, Markdown markup in .md)."""
    return {r.code for r in api.registry().rules.values()
            if r.family == "F" or (r.formats is not None and not {"txt", "docx"} <= set(r.formats))}


def _keys(path: Path, skip: set[str]) -> set[tuple]:
    result = api.lint_file(str(path), Config(select=["ALL"]))
    assert not result.error
    return {(f.code, f.line, f.column, f.end_column, f.text, f.message) for f in result.findings if f.code not in skip}


CASES = [(p.name, False) for p in sorted(FIXTURES.glob("*.txt"))] + [("report_autonumber.txt", True)]


@pytest.mark.parametrize("name, auto_number", CASES)
def test_txt_and_docx_give_the_same_findings(name, auto_number, tmp_path):
    src = FIXTURES / name
    docx = build_docx(read_source(src), tmp_path / (src.stem + ".docx"), auto_number=auto_number)
    doc = load(str(docx))
    assert [p.text for p in doc.paragraphs] == read_source(src)  # same paragraphs, same line numbers
    skip = _format_specific_codes()
    assert _keys(docx, skip) == _keys(src, skip)
