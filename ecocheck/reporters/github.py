"""GitHub Actions workflow commands: one annotation per finding.

``::warning file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::MESSAGE``

Severity maps to ``error`` / ``warning`` / ``notice``.  Escaping follows the
Actions toolkit: in the message ``%``, ``\\r``, ``\\n``; in property values
also ``:`` and ``,``.
"""

from __future__ import annotations

from ..model import Severity
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
    message = f.message
    if f.suggestion:
        message += f"\n建议：{f.suggestion}"
    return f"::{COMMANDS[f.severity]} {head}::{escape_data(message)}"


def render(result, **_options) -> str:
    lines = []
    for r in result.files:
        path = display_path(r.path)
        lines.extend(annotation(f, path) for f in r.findings)
    return "".join(line + "\n" for line in lines)
