"""Concise reporter: one line per finding, ``path:line:col: CODE message``.

Nothing else on stdout (no excerpt, no summary), so the output greps and
diffs well; ``--statistics`` appends the per-rule counts.
"""

from __future__ import annotations


def line(f) -> str:
    return f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}".replace("\n", " ").replace("\r", " ")


def render(result, statistics: bool = False, **_options) -> str:
    out = [line(f) for r in result.files for f in r.findings]
    if statistics:
        from .text import statistics_lines

        out.extend(statistics_lines(result))
    return "".join(s + "\n" for s in out)
