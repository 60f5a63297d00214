"""Tables read as item lists for pairing (issue 16): a measures table, a 整改清单, and tables that
are no list.  Every .docx is built here from text by tools/make_docx.py."""

import json

import pytest

pytest.importorskip("docx")
from make_docx import build_docx  # noqa: E402

from ecocheck import api  # noqa: E402
from ecocheck.config.settings import Config  # noqa: E402

PROBLEMS = [
    "二、存在的问题",
    "（一）基层所党建工作质量不够均衡。部分党支部“三会一课”以业务会代替党课。",
    "（二）执法领域廉政风险依然存在。行政处罚裁量空间较大。",
    "（三）作风建设存在松懈现象。对企业咨询推诿扯皮。",
]
HEAD = ["县市场监管局2024年度政治生态分析研判报告", "一、基本情况", "全局政治生态总体向好。"]


def _lint(tmp_path, paragraphs, name="r.docx"):
    path = tmp_path / name
    build_docx(paragraphs, str(path))
    cfg = Config(select=["P", "S"])
    result = api.lint_file(str(path), cfg, keep_outline=True)
    return result, api.outline_file(str(path))


def _codes(result):
    return sorted(f.code for f in result.findings)


def test_measures_table_shorter_than_problem_list(tmp_path):
    result, outline = _lint(tmp_path, HEAD + PROBLEMS + [
        "三、整改措施",
        "针对上述问题，制定整改措施如下表。",
        {"table": [["序号", "整改措施", "责任单位", "完成时限"],
                   ["1", "提升基层所党建工作质量，规范“三会一课”，杜绝以业务会代替党课。", "机关党委", "2025年6月"],
                   ["2", "加强执法领域廉政风险防控，完善行政处罚裁量基准。", "法规股", "2025年9月"]]},
    ])
    measures = outline.sections[2]
    items = [c for c in measures.children if c.kind == "item"]
    assert [(i.heading, i.role, i.props["table_row"]) for i in items] == [
        ("提升基层所党建工作质量，规范“三会一课”，杜绝以业务会代替党课", "measures", 1),
        ("加强执法领域廉政风险防控，完善行政处罚裁量基准", "measures", 2)]
    p201 = [f for f in result.findings if f.code == "P201"]
    assert len(p201) == 1 and "（三）作风建设存在松懈现象" in p201[0].message
    assert [f.message for f in result.findings if f.code == "P202"] == ["问题“（三）作风建设存在松懈现象”没有对应的整改措施"]
    # the pairs follow the content, not the position alone
    pairs = {d["problem"]: d["measure"] for d in outline.pairing if d["problem"]}
    assert pairs["（二）执法领域廉政风险依然存在"].startswith("加强执法领域")


def test_measures_table_as_long_as_problem_list(tmp_path):
    result, _ = _lint(tmp_path, HEAD + PROBLEMS + [
        "三、整改措施",
        {"table": [["序号", "整改措施"],
                   ["1", "提升基层所党建工作质量，规范“三会一课”。"],
                   ["2", "加强执法领域廉政风险防控，完善行政处罚裁量基准。"],
                   ["3", "持续加强作风建设，对推诿扯皮的干部严肃批评教育。"]]},
    ])
    assert not [c for c in _codes(result) if c.startswith("P")]


def test_rectification_list_with_an_empty_measure(tmp_path):
    """A 整改清单 (problem and measure per row) alone under 整改措施: both lists come from it."""
    result, outline = _lint(tmp_path, HEAD + [
        "二、整改措施",
        {"table": [["序号", "存在问题", "整改措施", "完成时限"],
                   ["1", "基层所党建工作质量不够均衡，“三会一课”以业务会代替党课。", "规范“三会一课”，杜绝以业务会代替党课。", "2025年6月"],
                   ["2", "执法领域廉政风险依然存在，行政处罚裁量空间较大。", "完善行政处罚裁量基准，开展廉政风险点排查。", "2025年9月"],
                   ["3", "作风建设存在松懈现象，对企业咨询推诿扯皮。", "", "2025年9月"]]},
    ])
    items = [c for c in outline.sections[1].children if c.kind == "item"]
    assert [i.role for i in items] == ["problems", "measures", "problems", "measures", "problems"]
    assert [f.message for f in result.findings if f.code == "P202"] == [
        "问题“作风建设存在松懈现象，对企业咨询推诿扯皮”没有对应的整改措施"]


def test_statistics_table_is_no_list(tmp_path):
    _, outline = _lint(tmp_path, HEAD[:2] + [
        {"table": [["问题类型", "件数"], ["信访举报", "6件"], ["作风问题", "2件"]]},
    ] + PROBLEMS + ["三、整改措施", "一是强化理论学习。二是严格廉政风险防控。"])
    assert not [c for c in outline.sections[0].children if c.kind == "item"]


def test_table_under_a_section_with_its_own_list_adds_nothing(tmp_path):
    _, outline = _lint(tmp_path, HEAD + PROBLEMS + [
        "三、整改措施",
        "（一）提升基层所党建工作质量。规范“三会一课”。",
        {"table": [["序号", "整改措施"], ["1", "提升基层所党建工作质量，规范“三会一课”。"]]},
    ])
    assert all(c.kind == "heading" for c in outline.sections[2].children)


def test_outline_command_shows_table_items(tmp_path):
    from typer.testing import CliRunner

    from ecocheck.cli.app import app

    path = tmp_path / "r.docx"
    build_docx(HEAD + PROBLEMS + ["三、整改措施", {"table": [
        ["序号", "整改措施"], ["1", "提升基层所党建工作质量，规范“三会一课”。"]]}], str(path))
    text = CliRunner().invoke(app, ["outline", str(path)]).output
    assert "T1    提升基层所党建工作质量，规范“三会一课”" in text
    data = json.loads(CliRunner().invoke(app, ["outline", str(path), "--format", "json"]).output)
    kids = data["sections"][2]["children"]
    assert kids[0]["kind"] == "item" and kids[0]["role"] == "measures"
