"""Fast paths inside the Python rules equal the straightforward computation they replace."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ecocheck.rules.structure import counts as s

CLAIM_CHUNKS = ["以下", "如下", "三", "3", "３", "十二", "两", "个方面", "方面", "点", "条", "项", "大问题", "个问题", "讲", "从",
                "查摆的", "主要有", "，", "。", "问题", "措施", "一是", "统一是", "个", "大", "x", " ", "\u3000",
                "下列", "下述", "重点查摆", "检视", "谈", "提", "说", "主要是", "集中在", "归纳为", "概括为", "体现在", "的",
                "以下的", "五", "12", "十"]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.sampled_from(CLAIM_CHUNKS), max_size=16).map("".join))
@example(text="下面，我讲三点意见。")
@example(text="存在以下１２个方面问题")
@example(text="问题集中在三个方面")
def test_a_paragraph_without_the_claim_core_holds_no_claim(text):
    """S130 looks for claims only in paragraphs where _CLAIM_CORE matches."""
    if not s._CLAIM_CORE.search(text):
        assert list(s.find_claims(text)) == []
