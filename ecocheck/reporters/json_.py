"""JSON reporter — a contract other tools read (see README, "JSON output")."""

from __future__ import annotations

import json

from .. import __version__
from ._common import display_path


def as_dict(result) -> dict:
    files = []
    for r in result.files:
        files.append({"path": display_path(r.path), "genre": r.genre, "findings": [f.to_dict() for f in r.findings]})
    summary = {"files": len(result.files), "error": 0, "warning": 0, "info": 0}
    for f in result.findings:
        summary[f.severity.label] += 1
    return {"version": __version__, "files": files, "summary": summary}


def render(result, statistics: bool = False, **_options) -> str:
    if statistics:  # as ruff's --statistics --output-format json: a list of {code, name, count, fixable}
        from .text import statistics as table

        return json.dumps(table(result), ensure_ascii=False, indent=2) + "\n"
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"
