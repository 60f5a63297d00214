"""Renders an Outline for ``ecocheck outline`` (text tree or the JSON contract)."""

from __future__ import annotations

from ..outline.roles import ROLE_NAMES

GENRE_ZH = {"report": "报告", "self-review": "对照检查材料", "speech": "讲话稿"}


def node_json(node) -> dict:
    d = {"label": node.label, "heading": node.heading, "level": node.level, "role": node.role,
         "kind": node.kind, "line": node.line, "children": [node_json(c) for c in node.children]}
    if "pair" in node.props:
        d["pair"] = node.props["pair"]
        if node.props.get("pair_weak"):
            d["pair_weak"] = True
    return d


def outline_json(ol) -> dict:
    out = {"path": ol.document.path, "genre": ol.genre, "title": ol.title_text,
           "sections": [node_json(n) for n in ol.items + ol.sections]}
    if ol.pairing:
        out["pairing"] = ol.pairing
    return out


def outline_text(ol) -> str:
    lines = [f"文件：{ol.document.path}",
             f"文种：{ol.genre}（{GENRE_ZH.get(ol.genre, ol.genre)}）",
             f"标题：{ol.title_text or '（无标题行）'}"]
    if ol.salutation is not None:
        lines.append(f"称呼：{ol.document.paragraphs[ol.salutation].text.strip()}")
    lines.append("   行  层级  标题 / 条目  [角色]  ⇄ 对应的问题或措施")

    def walk(node, depth):
        role = f"  [{node.role}·{ROLE_NAMES.get(node.role, node.role)}]" if node.kind == "heading" and node.level == 1 \
            or (node.parent is None and node.kind == "heading") else ""
        # H1…H5: heading level (一、 （一） 1. （1） ①); I1…: an inline 一是/第一， item and its depth;
        # T1: a table row's cell read as an item (outline/tables.py)
        kind = "H" if node.kind == "heading" else "T" if node.props.get("family") == "table" else "I"
        level = f"{kind}{node.level}"
        pair = f"  ⇄ {node.props['pair']}" if node.props.get("pair") else ""
        if pair and node.props.get("pair_weak"):
            pair += "  （弱配对：内容不大相关）"
        lines.append(f"{node.line:>5}  {level}  {'  ' * depth}{node.label}{node.heading}{role}{pair}")
        for c in node.children:
            walk(c, depth + 1)

    for n in ol.items + ol.sections:
        walk(n, 0)
    return "\n".join(lines)
