"""How RuleContext builds findings: the memoised section paths and the excerpt equal the plain computation."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ecocheck.engine.rule import (
    EXCERPT_MAX_FLAGGED,
    Rule,
    RuleContext,
    excerpt,
    section_path,
)
from ecocheck.loaders.text import split_lines
from ecocheck.model import Document, Paragraph
from ecocheck.outline import build_outline

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LINES = ["关于某局政治生态情况的报告", "一、总体情况", "二、存在问题", "（一）思想方面", "（二）作风方面", "1.学习不够",
         "2.调研不深", "（1）细节", "一是坚持学习。二是加强调研。", "正文内容。", "三、整改措施", "", "附件"]


class _Probe(Rule):
    code = "H399"
    name = "probe"
    summary = "probe"


def _context(text: str) -> RuleContext:
    paragraphs = [Paragraph(index=i, line=i + 1, text=t) for i, t in enumerate(split_lines(text))]
    document = Document(path="t.txt", format="txt", paragraphs=paragraphs, encoding="utf-8")
    return RuleContext(document, build_outline(document), _Probe())


@SETTINGS
@given(st.lists(st.sampled_from(LINES), max_size=40).map("\n".join), st.randoms(use_true_random=False))
@example("一、总体情况\n（一）思想方面\n1.学习不够\n一是坚持学习。二是加强调研。", random.Random(0))
def test_memoised_section_path_is_the_plain_one_in_any_order(text, rnd):
    """RuleContext.section (memo shared per outline, built from the nearest known ancestor) is section_path."""
    ctx = _context(text)
    nodes = list(ctx.outline.walk())
    rnd.shuffle(nodes)
    for node in nodes:
        assert ctx.section(node) == section_path(node)
    other = RuleContext(ctx.document, ctx.outline, _Probe())  # a later rule reads the same memo
    for node in nodes:
        assert other.section(node) == section_path(node)
    assert ctx.section(None) == ""


def _plain_excerpt(text: str, start: int, end: int, context: int) -> str:
    """The excerpt as first written (max/min, unconditional replaces): the reference for the fast one."""
    a = max(0, start - context)
    b = min(len(text), end + context)
    if end - start > EXCERPT_MAX_FLAGGED:
        middle = text[start:start + EXCERPT_MAX_FLAGGED // 2] + "…" + text[end - EXCERPT_MAX_FLAGGED // 4:end]
        s = text[a:start] + middle + text[end:b]
    else:
        s = text[a:b]
    s = s.replace("\n", " ").replace("\t", " ")
    return ("…" if a > 0 else "") + s + ("…" if b < len(text) else "")


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("字a\n\t …"), max_size=120), st.data(), st.sampled_from([0, 1, 12, 24]))
def test_excerpt_equals_the_plain_computation(text, data, context):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert excerpt(text, start, end, context) == _plain_excerpt(text, start, end, context)


@SETTINGS
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=20).map("\n".join), st.data())
def test_findings_carry_clamped_offsets_excerpt_and_section(text, data):
    """finding/node_finding clamp offsets into the paragraph and describe the location as before."""
    ctx = _context(text)
    assume(ctx.paragraphs)
    index = data.draw(st.integers(0, len(ctx.paragraphs) - 1))
    p = ctx.paragraphs[index]
    start = data.draw(st.integers(-3, len(p.text) + 3))
    end = data.draw(st.integers(-3, len(p.text) + 3))
    f = ctx.finding(index, start, end, "m")
    a = max(0, min(start, len(p.text)))
    b = max(a, min(end, len(p.text)))
    assert (f.paragraph, f.start, f.end, f.text) == (index, a, b, p.text[a:b])
    assert f.excerpt == _plain_excerpt(p.text, a, b, 12)
    assert f.section == section_path(ctx.outline.node_of_paragraph.get(index))
    assert f.location_error(ctx.document) is None
    for node in ctx.outline.walk():
        g = ctx.node_finding(node, "m")
        assert (g.paragraph, g.start, g.end, g.text) == (node.paragraph, node.start, node.start, "")
        assert g.excerpt == _plain_excerpt(ctx.paragraphs[node.paragraph].text, node.start, node.end, 12)
        assert g.section == section_path(node)
