"""Human-readable reporter: ``path:line:col: CODE message``, excerpt, section, summary."""

from __future__ import annotations

import unicodedata

from ..display import printable
from ..engine.rule import EXCERPT_CONTEXT
from ..errors import E_PLUGIN
from ..model import Severity
from ._common import display_path

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


class _Widths(dict):
    """Terminal columns per character, looked up once each: 2 for wide and fullwidth (汉字, ，)."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        return width


_char_width = _Widths().__getitem__


def display_width(s: str) -> int:
    """Columns ``s`` takes in a terminal: 2 for wide and fullwidth characters (汉字, ，), else 1."""
    return len(s) if s.isascii() else sum(map(_char_width, s))  # a report repeats few distinct characters


def _paint(s: str, code: str, colour: bool) -> str:
    return f"{code}{s}{_RESET}" if colour else s


FIXABLE_MARK = "[*]"  # as ruff: the finding has a safe fix that ``--fix`` applies


def fixable(f) -> bool:
    return f.fix is not None and f.fix.safe


def format_finding(f, colour: bool = False, path: str | None = None) -> list[str]:
    """The lines of one finding; ``path`` is the file as printed (default: ``display_path(f.path)``)."""
    # everything from a file name or a document is escaped (display.printable): no newline,
    # ESC or undecodable byte reaches the terminal or a CI log raw
    path, code, label = display_path(f.path) if path is None else path, f.code, f.severity.label
    if path.lstrip().startswith("::"):  # never the start of a GitHub workflow command
        path = "./" + path
    if colour:
        c = _COLOURS[f.severity]
        path, code, label = _paint(path, _BOLD, True), _paint(code, _BOLD + c, True), _paint(label, c, True)
    mark = f" {FIXABLE_MARK}" if fixable(f) else ""
    lines = [f"{path}:{f.line}:{f.column}: {code}{mark} {printable(f.message)} [{label}]"]
    if f.excerpt:
        excerpt = printable(f.excerpt)
        lines.append(f"    | {excerpt}")
        if f.text and f.text in f.excerpt:
            # underline the flagged text under the excerpt
            if excerpt == f.excerpt:
                prefix_len = _excerpt_prefix(f)
                flagged = f.text.replace("\n", " ")
            else:
                flagged = printable(f.text)
                prefix_len = excerpt.find(flagged) if flagged in excerpt else None
            if prefix_len is not None:
                pad = display_width(excerpt[:prefix_len])
                marks = "^" * max(1, display_width(flagged))
                lines.append("    | " + " " * pad + _paint(marks, _COLOURS[f.severity], colour))
    if f.suggestion:
        lines.append(f"    = 建议：{printable(f.suggestion)}")
    where = " › ".join(s for s in (f.section, f.cell_label()) if s)
    if where:
        lines.append(_paint(f"    @ {printable(where)}", _DIM, colour))
    return lines


def _excerpt_prefix(f) -> int | None:
    # the excerpt starts with "…" + up to EXCERPT_CONTEXT characters before the flagged text
    ex = f.excerpt.replace("\n", " ")
    text = f.text.replace("\n", " ").replace("\t", " ")
    body = ex[1:] if ex.startswith("…") else ex
    lead = 1 if ex.startswith("…") else 0
    before = min(EXCERPT_CONTEXT, f.start)
    if body[before:before + len(text)] == text:
        return lead + before
    idx = ex.find(text)
    return idx if idx >= 0 else None


def summary_line(result) -> str:
    n = len(result.files)
    e, w, i = (result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    if e == w == i == 0:
        return f"检查了 {n} 个文件，未发现问题。"
    line = f"检查了 {n} 个文件：{e} 个错误，{w} 个警告，{i} 个提示。"
    k = sum(1 for f in result.findings if fixable(f))
    if k:
        line += f"其中 {k} 个（标 {FIXABLE_MARK}）可用 --fix 自动修复。"
    return line


def statistics(result) -> list[dict]:
    """Findings per rule, most frequent first: ``{"code", "name", "count", "fixable"}`` (fixable: how many)."""
    from collections import Counter

    counts = Counter((f.code, f.name) for f in result.findings)
    fixes = Counter((f.code, f.name) for f in result.findings if fixable(f))
    return [{"code": code, "name": name, "count": k, "fixable": fixes[code, name]}
            for (code, name), k in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def statistics_lines(result) -> list[str]:
    """``count  CODE  [*] name`` per rule, most frequent first (``[*]``: some of them --fix can fix)."""
    return [f"{s['count']:6d}  {s['code']}  {FIXABLE_MARK + ' ' if s['fixable'] else ''}{s['name']}"
            for s in statistics(result)]


def file_text(file_result, colour: bool = False) -> str:
    """The findings of one file as :func:`render` prints them."""
    path = display_path(file_result.path)
    lines = [line for f in file_result.findings for line in format_finding(f, colour, path)]
    return "\n".join(lines) + "\n" if lines else ""


def plugin_problem(source: str, message: str) -> str:
    """The line that reports a plugin or rule pack that failed to load (E101)."""
    return f"ecocheck: {E_PLUGIN} 插件 {source}：{message}"


def render(result, colour: bool = False, quiet: bool = False, statistics: bool = False, **_options) -> str:
    """Findings, plugin problems and the summary line; with ``statistics`` the per-rule table instead
    (as ruff's ``--statistics``: the table only).

    ``quiet`` (as ruff's ``--quiet``): the findings only, no summary line.
    """
    if statistics:
        return "".join(line + "\n" for line in statistics_lines(result))
    out = [file_text(r, colour) for r in result.files]
    tail: list[str] = []
    for source, message in result.problems:
        tail.append(plugin_problem(source, message))
    if not quiet:
        tail.append(summary_line(result))
    out.extend(line + "\n" for line in tail)
    return "".join(out)
