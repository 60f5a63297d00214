"""GitHub Actions workflow commands: one annotation per finding.

``::warning file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::MESSAGE``

Severity maps to ``error`` / ``warning`` / ``notice``.  GitHub shows only the first 10 annotations of
each type per step (50 per job), so the CLI also writes :func:`step_summary` to ``$GITHUB_STEP_SUMMARY``.  Escaping follows the
Actions toolkit: in the message ``%``, ``\\r``, ``\\n``; in property values
also ``:`` and ``,``.
"""

from __future__ import annotations

import os

from ..model import Severity
from ..display import printable
from ._common import display_path

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(f, path: str) -> str:
    props = [("file", path), ("line", str(f.line)), ("col", str(f.column)), ("endLine", str(max(f.end_line, f.line))),
             ("endColumn", str(f.end_column)), ("title", f.code)]
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    message = printable(f.message)
    if f.suggestion:
        message += f"\n建议：{printable(f.suggestion)}"
    return f"::{COMMANDS[f.severity]} {head}::{escape_data(message)}"


def step_summary(result) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: the counts, then one table row per finding.

    GitHub shows only the first annotations of a step inline (10 per type, 50 per job), and a .docx
    paragraph is not a line of the diff, so the job summary is where every finding can be read."""
    from .text import summary_line

    rows = ["## ecocheck", "", summary_line(result), ""]
    base = workspace()
    findings = [(display_path(r.path, base), f) for r in result.files for f in r.findings]
    if findings:
        rows += ["| 文件 | 位置 | 规则 | 级别 | 问题 |", "|---|---|---|---|---|"]
        for path, f in findings:
            cells = [path, f"{f.line}:{f.column}", f.code, f.severity.label, f.message]
            rows.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"


def _md_cell(s: str) -> str:
    return printable(s.replace("\r", " ").replace("\n", " ")).replace("\\", "\\\\").replace("|", "\\|")


def workspace() -> str | None:
    """The repository root of a GitHub job (``$GITHUB_WORKSPACE``): annotations name files relative
    to it.  Outside a job, the current directory (as every other format)."""
    return os.environ.get("GITHUB_WORKSPACE") or None


def render(result, **_options) -> str:
    lines = []
    base = workspace()
    for r in result.files:
        path = display_path(r.path, base)
        lines.extend(annotation(f, path) for f in r.findings)
    return "".join(line + "\n" for line in lines)
