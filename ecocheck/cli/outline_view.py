"""Renders an Outline for ``ecocheck outline`` (text tree or the JSON contract)."""

from __future__ import annotations

from ..outline.genre_detect import MIN_SCORE, PLACE_NAMES
from ..outline.roles import ROLE_NAMES
from ..reporters.outline_json import node_json, outline_json  # noqa: F401  (the JSON view, shared with the web API)

CONFIDENCE_ZH = {"high": "高", "medium": "中", "low": "低"}


def genre_lines(ol) -> list[str]:
    """The genre, how it was chosen, and the evidence (one line per cue)."""
    d = ol.genre_decision
    if d is None:
        return [f"文种：{ol.genre}"]
    head = f"文种：{d.genre}（{d.label or d.genre}）"
    if d.source == "option":
        head += "，由命令行 --genre 指定"
    elif d.source == "config":
        head += f"，由配置指定（{d.origin}）"
    elif d.source == "fallback":
        best = f"最接近的是 {d.scores[0][0]}（{d.scores[0][1]} 分）" if d.scores else "没有任何线索"
        head += f"：未能确定文种（{best}，不足 {MIN_SCORE} 分），不检查必备部分"
    else:
        head += f"，自动识别，把握{CONFIDENCE_ZH.get(d.confidence, d.confidence)}（{d.score} 分）"
    lines = [head]
    if d.source in ("option", "config"):
        if d.detected != d.genre:
            lines.append(f"  （自动识别的结果是 {d.detected}）")
        return lines
    for e in d.evidence:
        kind = "线索" if d.source == "fallback" else "依据"
        lines.append(f"  {kind}：{PLACE_NAMES.get(e.place, e.place)}“{e.text}”（第 {e.line} 行，+{e.weight}）")
    others = [f"{g} {s} 分" for g, s in d.scores if g != d.genre][:3]
    if others and d.source != "fallback":
        lines.append(f"  其他可能：{'、'.join(others)}")
    return lines


def outline_text(ol) -> str:
    lines = [f"文件：{ol.document.path}", *genre_lines(ol), f"标题：{ol.title_text or '（无标题行）'}"]
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
