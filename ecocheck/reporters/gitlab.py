"""GitLab Code Quality reporter (the ``codequality`` report artifact).

A JSON list of issues ``{description, check_name, fingerprint, severity,
location: {path, lines: {begin, end}}}``.  Fingerprints hash what a finding
is (path, code, flagged text, section, occurrence index), never its line, so
GitLab's merge-request widget compares findings across commits correctly.
"""

from __future__ import annotations

import json

from ..model import Severity
from ._common import display_path, fingerprints

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def as_list(result) -> list[dict]:
    out = []
    for r in result.files:
        path = display_path(r.path)
        for f, fp in zip(r.findings, fingerprints(r.findings)):
            out.append({
                "type": "issue",
                "description": f"{f.code} {f.message}",
                "check_name": f.code,
                "categories": ["Style"],
                "fingerprint": fp[:32],
                "severity": SEVERITIES[f.severity],
                "location": {"path": path, "lines": {"begin": f.line, "end": max(f.end_line, f.line)}},
            })
    return out


def render(result, **_options) -> str:
    return json.dumps(as_list(result), ensure_ascii=False, indent=2) + "\n"
