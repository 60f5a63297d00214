"""JSON reporter — a contract other tools read (see README, "JSON output")."""

from __future__ import annotations

import json

from .. import __version__


def as_dict(result) -> dict:
    files = []
    for r in result.files:
        files.append({"path": r.path, "genre": r.genre, "findings": [f.to_dict() for f in r.findings]})
    summary = {"files": len(result.files), "error": 0, "warning": 0, "info": 0}
    for f in result.findings:
        summary[f.severity.label] += 1
    return {"version": __version__, "files": files, "summary": summary}


def render(result, **_options) -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"
