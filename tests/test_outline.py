"""Outline grammar cases (data in tests/cases/outline.yaml)."""

from pathlib import Path

import pytest
import yaml

from ecocheck.loaders.text import load_text
from ecocheck.outline import build_outline, match_label

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "outline.yaml").read_text(encoding="utf-8"))


def render(outline) -> str:
    lines = []

    def walk(node, depth):
        kind = "H" if node.kind == "heading" else "I"
        role = f" [{node.role}]" if node.kind == "heading" and node.parent is None else ""
        lines.append(f"{'  ' * depth}{kind} {node.label}{node.heading}{role}")
        for c in node.children:
            walk(c, depth + 1)

    for n in outline.items + outline.sections:
        walk(n, 0)
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_outline_case(case):
    doc = load_text("case.txt", case["text"].encode("utf-8"))
    outline = build_outline(doc)
    assert render(outline) == case["expect"].rstrip("\n")
    if "title" in case:
        assert outline.title_text == case["title"]
    if "genre" in case:
        assert outline.genre == case["genre"]


def test_locations_point_at_labels():
    text = "标题\n一、存在问题\n主要是：一是学习不深。二是调研不够。\n"
    outline = build_outline(load_text("x.txt", text.encode()))
    sec = outline.sections[0]
    assert (sec.line, sec.column) == (2, 1)
    items = sec.items
    assert [(i.line, i.column) for i in items] == [(3, 5), (3, 12)]
    para = outline.document.paragraphs[items[1].paragraph]
    assert para.text[items[1].start:items[1].start + 2] == "二是"


@pytest.mark.parametrize("label,level,style", [
    ("一、", 1, "cn、"), ("十一、", 1, "cn、"), ("一.", 1, "cn."),
    ("（一）", 2, "（cn）"), ("(一)", 2, "(cn)"), ("（一)", 2, "（cn)"), ("（一）、", 2, "（cn）、"),
    ("1.", 3, "ar."), ("1、", 3, "ar、"), ("12．", 3, "ar．"),
    ("（1）", 4, "（ar）"), ("(1)", 4, "(ar)"), ("①", 5, "circled"),
])
def test_label_styles(label, level, style):
    lab = match_label(label + "加强学习")
    assert lab is not None and (lab.level, lab.style, lab.label) == (level, style, label)


@pytest.mark.parametrize("text", ["3.5%的党员", "10:30开会", "2023年", "十分重要", "一是学习", "统一思想", "5，6月份"])
def test_not_labels(text):
    assert match_label(text) is None


def test_markdown_headings(tmp_path):
    md = "# 某局政治生态分析报告\n\n## 一、基本情况\n\n正文。\n\n### （一）班子建设\n\n## 存在问题\n"
    doc = load_text("r.md", md.encode(), "md")
    outline = build_outline(doc)
    assert outline.title_text == "某局政治生态分析报告"
    assert render(outline) == "H 一、基本情况 [overview]\n  H （一）班子建设\nH 存在问题 [problems]"
    first = outline.sections[0]
    assert (first.line, first.column) == (3, 4)  # after "## "
