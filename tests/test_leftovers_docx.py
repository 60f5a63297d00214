"""H306 highlighted-text, H307 review-comment, H308 tracked-change on real .docx files built by tools/make_docx.py."""

from __future__ import annotations

import pytest

from ecocheck import api
from ecocheck.config import Config

make_docx = pytest.importorskip("make_docx")

CODES = ["H306", "H307", "H308"]


def lint(path, codes=CODES):
    return [f for f in api.lint_file(str(path), Config(select=codes)).findings if f.code in codes]


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "draft.docx"
    make_docx.build_docx([
        "清源县水利局党组2024年度政治生态分析研判报告",
        {"runs": [{"text": "现有党员"}, {"text": "56", "highlight": "yellow"}, {"text": "人，其中在职党员"},
                  {"text": "41", "highlight": "yellow"}, {"text": "人"}, {"text": "、退休", "shading": "FFFF00"},
                  {"text": "党员", "shading": "FFFF00"}, {"text": "15人。"}]},
        {"runs": [{"text": "全年召开党组会议"}, {"text": "26次", "shading": "FFFFFF"}, {"text": "。"}]},
        {"text": "全年开展廉政谈话17人次。", "comment": {"author": "张三", "text": "请核实人次", "anchor": "17人次"}},
        {"text": "全面推进工作落实。",
         "insert": {"author": "李四", "text": "进一步", "after": "全面"},
         "delete": {"author": "王五", "text": "工作"}},
    ], str(path))
    return path


def test_highlighted_stretches(draft):
    found = [f for f in lint(draft) if f.code == "H306"]
    assert [(f.line, f.text) for f in found] == [(2, "56"), (2, "41"), (2, "、退休党员")]
    assert "黄色" in found[0].message and "FFFF00" in found[2].message


def test_white_shading_is_not_a_highlight(draft):
    assert not [f for f in lint(draft) if f.code == "H306" and f.line == 3]


def test_comment_with_author_and_text_at_its_anchor(draft):
    found = [f for f in lint(draft) if f.code == "H307"]
    assert len(found) == 1
    f = found[0]
    assert (f.line, f.text) == (4, "17人次")
    assert "张三" in f.message and "请核实人次" in f.message


def test_tracked_insertion_and_deletion(draft):
    found = [f for f in lint(draft) if f.code == "H308"]
    assert [(f.text, "李四" in f.message or "王五" in f.message) for f in found] == [("进一步", True), ("", True)]
    assert "插入“进一步”" in found[0].message and "删除“工作”" in found[1].message


def test_docx_only(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("现有党员56人。\n", encoding="utf-8")
    assert lint(path) == []


def test_clean_docx_has_none(tmp_path):
    path = tmp_path / "clean.docx"
    make_docx.build_docx(["清源县水利局党组2024年度政治生态分析研判报告", "现有党员56人。"], str(path))
    assert lint(path) == []


def test_suppression_comment_is_not_a_review_comment(tmp_path):
    # Issue 19.1: a Word comment "ecocheck-disable H301 ..." suppresses the ** under it; it is configuration,
    # so it is not reported as H307 (whose fix, deleting the comment, would undo the suppression).  A
    # reviewer's comment beside it still is.
    path = tmp_path / "draft.docx"
    make_docx.build_docx([
        "清源县水利局党组2024年度政治生态分析研判报告",
        {"text": "现有党员**人。", "comment": {"author": "王五", "text": "ecocheck-disable H301 模板原文，保留",
                                            "anchor": "**"}},
        {"text": "全年开展廉政谈话17人次。", "comment": {"author": "张三", "text": "请核实人次", "anchor": "17人次"}},
    ], str(path))
    found = [f for f in api.lint_file(str(path), Config(select=["H301", "H307"])).findings]
    assert [(f.code, f.line, f.text) for f in found] == [("H307", 3, "17人次")]
