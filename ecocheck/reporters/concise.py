"""Concise reporter: one line per finding, ``path:line:col: CODE [*] message``, then the summary line.

No excerpt, so the output greps and diffs well; ``-q`` leaves the summary out; ``--statistics`` prints the
per-rule counts instead (as ruff).
"""

from __future__ import annotations

from ..display import printable
from ._common import display_path
from .text import FIXABLE_MARK, fixable, statistics_lines, summary_line


def line(f, path: str | None = None) -> str:
    """``path`` is the file as printed (default: ``display_path(f.path)``)."""
    mark = f" {FIXABLE_MARK}" if fixable(f) else ""
    path = display_path(f.path) if path is None else path
    return f"{path}:{f.line}:{f.column}: {f.code}{mark} {printable(f.message)}"


def render(result, statistics: bool = False, quiet: bool = False, **_options) -> str:
    if statistics:
        out = statistics_lines(result)
    else:
        out = [line(f, path) for r in result.files for path in (display_path(r.path),) for f in r.findings]
        if not quiet:
            out.append(summary_line(result))
    return "".join(s + "\n" for s in out)
