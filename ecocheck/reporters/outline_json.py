"""The JSON contract of an outline (``ecocheck outline --format json``, the workbench's ``/api/lint``).

One home for the shape, so the command line and the web API cannot drift apart (README, "JSON output").
"""

from __future__ import annotations


def node_json(node) -> dict:
    d = {"label": node.label, "heading": node.heading, "level": node.level, "role": node.role,
         "kind": node.kind, "line": node.line, "children": [node_json(c) for c in node.children]}
    if "pair" in node.props:
        d["pair"] = node.props["pair"]
        if node.props.get("pair_weak"):
            d["pair_weak"] = True
    return d


def outline_json(ol, path: str | None = None) -> dict:
    """``ol`` as JSON; ``path`` names the file (default: the document's own path)."""
    out = {"path": ol.document.path if path is None else path, "genre": ol.genre, "title": ol.title_text,
           "genre_detection": ol.genre_decision.to_dict() if ol.genre_decision is not None else None,
           "sections": [node_json(n) for n in ol.items + ol.sections]}
    if ol.pairing:
        out["pairing"] = ol.pairing
    return out
