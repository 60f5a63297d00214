"""Tables read as item lists: a problem list, a measures table, a 整改清单.

A .docx report often lists its problems or measures in a table instead of （一）（二）… headings:
a measures table under 四、整改措施, or a 整改清单 whose rows are problems with their measures.
Each data row becomes an item node (``kind="item"``, ``props["family"] = "table"``, no label, no
ordinal) holding the text of one cell, so pairing and ``ecocheck outline`` see the list.

Which column: the header row names the roles (a header cell that a section synonym or keyword
cue gives a role: 存在问题 / 问题表现 -> problems, 整改措施 -> measures, 原因 -> causes; 序号,
责任单位, 完成时限 have none).  A table becomes items only where no other list competes: its
owner (the heading whose body holds it, or the preamble) has no child headings and no inline
items, and no cell of it is a heading.  Each item takes its column's role; pairing uses the
column of the section's own role, and the column of a role that has no section list anywhere
(a 整改清单 alone under 整改措施 supplies the problems too).  A column of short cells (问题类型:
信访举报, 4 件) is statistics, not a list.  An empty cell gives no item: a problem without its
measure is what the pairing rules report.
"""

from __future__ import annotations

from ..model import Outline, OutlineNode, Span
from .roles import SectionConfig

#: the roles a table column may hold
TABLE_ROLES = ("problems", "causes", "measures")
#: how many characters of a cell make the item's heading when the cell has no sentence end earlier
_MAX_HEADING = 40
_HEADING_END = "。！？!?；;"
#: a column lists problems or measures only when one of its cells is at least this long
_MIN_ITEM_TEXT = 8


def _tables(outline: Outline) -> dict[int, dict[int, dict[int, list[int]]]]:
    """table number -> row -> cell -> paragraph indices (document order)."""
    out: dict[int, dict[int, dict[int, list[int]]]] = {}
    for p in outline.document.paragraphs:
        if p.table is None:
            continue
        t, r, c = p.table
        out.setdefault(t, {}).setdefault(r, {}).setdefault(c, []).append(p.index)
    return out


def _heading_of(text: str) -> str:
    t = text.strip()
    cut = min((k for k in (t.find(ch) for ch in _HEADING_END) if k >= 0), default=len(t))
    return t[:min(cut, _MAX_HEADING)].rstrip("，,、：:")


def attach_table_items(outline: Outline, cfg: SectionConfig) -> None:
    """Add the item nodes of every table that lists problems, causes or measures (see the module)."""
    tables = _tables(outline)
    if not tables:
        return
    paras = outline.document.paragraphs
    for rows in tables.values():
        if len(rows) < 2:
            continue
        header_row = min(rows)
        header = rows[header_row]
        columns = {}
        for c, idx in header.items():
            role = cfg.role_of("".join(paras[i].text for i in idx).strip())
            if role in TABLE_ROLES and role not in columns.values():
                columns[c] = role
        for c in list(columns):
            texts = ["".join(paras[i].text for i in rows[r].get(c, [])).strip() for r in rows if r != header_row]
            texts = [t for t in texts if t]
            if not texts or max(map(len, texts)) < _MIN_ITEM_TEXT:
                del columns[c]  # 问题类型 | 件数: a column of short labels is statistics, not a list
        if not columns:
            continue
        cells = [i for row in rows.values() for idx in row.values() for i in idx]
        if any(outline.node_of_paragraph.get(i) is not None and outline.node_of_paragraph[i].paragraph == i
               for i in cells):
            continue  # a cell is a heading: the table carries the outline itself
        owner = outline.node_of_paragraph.get(cells[0])
        siblings = owner.children if owner is not None else outline.items
        if siblings:
            continue  # the owner already has its own list
        for r in sorted(rows):
            if r == header_row:
                continue
            for c, role in columns.items():
                idx = [i for i in rows[r].get(c, []) if paras[i].text.strip()]
                if not idx:
                    continue
                first = paras[idx[0]]
                heading = _heading_of(first.text)
                ws = len(first.text) - len(first.text.lstrip())
                node = OutlineNode(kind="item", level=1, label="", ordinal=None, style="table", heading=heading,
                                   paragraph=first.index, start=ws, end=ws + len(heading), line=first.line,
                                   column=first.column_offset + ws + 1, parent=owner, role=role)
                node.body_spans = [Span(i, 0, len(paras[i].text)) for i in idx]
                node.props["family"] = "table"
                node.props["table_row"] = r - header_row
                siblings.append(node)


def is_table_item(node: OutlineNode) -> bool:
    return node.kind == "item" and node.props.get("family") == "table"
