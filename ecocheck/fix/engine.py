"""Fix files: lint, apply safe fixes, lint again (up to ``max_passes``), like ruff.

:func:`fix_file` works in memory (the input is only read); :func:`write_fixed`
then replaces the file atomically (temporary file in the same directory,
``os.replace``, permissions kept), unless it changed meanwhile.
:func:`unified_diff` shows the change as a diff of paragraph texts.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field

from ecocheck.run.gcpause import gc_paused
from ecocheck.engine.timelimit import RuleTimeout, time_limit
from ecocheck.errors import E_TIME_LIMIT, LoadError
from ecocheck.model import Document, FileResult, Finding

from .annotate import limits_of, rule_seconds
from .docxfile import DocxFixError, apply_docx_edits
from .edits import plan
from .textfile import TextFixError, apply_text_edits, file_lines

MAX_PASSES = 10


class FixError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class FixOutcome:
    path: str
    original: bytes = b""
    fixed: bytes = b""
    applied: list[Finding] = field(default_factory=list)  # findings whose fix was applied (all passes)
    edits: int = 0  # edits applied (one edit may settle several findings)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)  # fixes left out in the last pass
    passes: int = 0
    error: str | None = None  # the file could not be fixed (Chinese, one line)
    result: FileResult | None = None  # lint of the fixed content
    before: list[str] = field(default_factory=list)  # paragraph texts (docx) / lines (txt, md)
    after: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def _load(path: str, data: bytes, fmt: str, config) -> Document:
    """Load the fixed bytes in memory: no temporary copy that a killed run would leave behind."""
    if fmt == "docx":
        from ecocheck.loaders.docx import load_docx

        return load_docx(path, limits_of(config), data=data)
    from ecocheck.loaders.text import load_text

    return load_text(path, data, fmt)


def _lines(doc: Document, data: bytes) -> list[str]:
    if doc.format == "docx":
        return [p.text for p in doc.paragraphs]
    return file_lines(data)


def fix_file(path: str, config=None, *, name: str | None = None, max_passes: int = MAX_PASSES,
             source=None) -> FixOutcome:
    """Apply safe fixes to ``path`` in memory (see :class:`FixOutcome`); never raises for a bad file.

    ``name`` (default ``path``) is the path the file is linted as, for ``per-file-ignores`` and a
    per-glob genre (the workbench fixes an upload held in a temporary file under its own name).
    With ``source`` (:class:`ecocheck.inputs.Source`: standard input) the document is read from it and
    ``path`` is its name; the caller decides where the fixed bytes go."""
    from ecocheck.api import lint_document
    from ecocheck.inputs import read_input
    from ecocheck.loaders import format_of, load

    out = FixOutcome(path=path)
    fmt = format_of(path) if source is None else source.format
    try:
        if source is not None:
            doc, data = source.load(limits_of(config)), source.read(limits_of(config))
        else:
            doc = load(path, limits_of(config))  # a regular file within the limits (E011, E009)
            data = read_input(path, limits_of(config))
    except LoadError as err:
        out.error = f"{err.code} {err.message}"
        return out
    except OSError as exc:
        out.error = f"无法读取文件：{exc.strerror or exc}"
        return out
    out.original = out.fixed = data
    seconds = rule_seconds(config)
    try:
        with gc_paused():
            out.before = _lines(doc, data)
            for _ in range(max(1, max_passes)):
                result = lint_document(doc, config, path=name or path)
                out.result = result
                with time_limit(seconds):  # the rules' limit, on this pass's own work (not the lint)
                    edits, left = plan(result.findings, doc)
                    out.skipped = left
                    if not edits:
                        break
                    if fmt == "docx":
                        new, applied, skipped = apply_docx_edits(data, doc, edits)
                    else:
                        new, applied, skipped = apply_text_edits(data, doc, edits)
                out.skipped = left + skipped
                if not applied or new == data:
                    break
                out.passes += 1
                out.edits += len(applied)
                out.applied.extend(f for e in applied for f in e.findings)
                data = new
                doc = _load(path, data, fmt, config)
            else:
                # the last pass changed the file: lint it once more for what remains
                out.result = lint_document(doc, config, path=name or path)
                out.skipped = plan(out.result.findings, doc)[1]
            out.fixed = data
            out.after = _lines(doc, data)
    except RuleTimeout:
        out.error = (f"{E_TIME_LIMIT} 自动修复超过时间上限（{seconds:g} 秒，配置 limits.rule-seconds），"
                     "文件未修改；请拆分文档后再试")
        out.fixed = out.original
    except (TextFixError, DocxFixError, LoadError) as exc:
        out.error = getattr(exc, "message", str(exc))
        out.fixed = out.original
    except MemoryError:
        out.error = "E009 修复所需内存超过上限（limits.max-memory-mib），文件未修改"
        out.fixed = out.original
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
        out.error = f"自动修复失败（{type(exc).__name__}: {exc}），文件未修改"
        out.fixed = out.original
    return out


def write_fixed(outcome: FixOutcome) -> bool:
    """Replace the file with the fixed bytes, atomically; False when there was nothing to write.

    Raises :class:`FixError` when the file changed since it was read or cannot be written.
    """
    from ecocheck.fileio import write_atomic
    from ecocheck.inputs import read_regular

    if outcome.error or not outcome.changed:
        return False
    try:
        current = read_regular(outcome.path, len(outcome.original) + 1)
    except LoadError as err:
        if err.code == "E009":  # grew since it was read
            raise FixError("文件在修复期间被其他程序修改，未写入") from None
        raise FixError(f"无法读取文件：{err.message}") from None
    if current != outcome.original:
        raise FixError("文件在修复期间被其他程序修改，未写入")
    # a symlink is written through (its target gets the fixed text, the link stays a link);
    # a read-only file is left alone: its mode says it is not to be changed
    target = os.path.realpath(outcome.path)
    try:
        read_only = not os.stat(target).st_mode & 0o222 or not os.access(target, os.W_OK)
    except OSError:
        read_only = True
    if read_only:
        raise FixError("文件是只读的，未写入修复（确需修复时先取消只读）")
    try:
        write_atomic(target, outcome.fixed)
    except OSError as exc:
        raise FixError(f"无法写入文件：{exc.strerror or exc}") from None
    return True


def unified_diff(outcome: FixOutcome) -> str:
    """A unified diff (no context) of paragraph texts (a text file's lines), ``path:line`` after each hunk header."""
    if not outcome.changed:
        return ""
    from ecocheck.display import printable

    out = []
    name = printable(outcome.path)
    for line in difflib.unified_diff(outcome.before, outcome.after, fromfile=f"{name}（原文）",
                                     tofile=f"{name}（修复后）", n=0, lineterm=""):
        if line.startswith("@@"):
            first = line.split()[1].lstrip("-").split(",")[0]  # "@@ -12,2 +12,2 @@": line 12
            line = f"{line} {name}:{first}"
        out.append(printable(line))
    return "\n".join(out) + "\n"
