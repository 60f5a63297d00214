"""One file through the house, in a straight line: load → outline → rules → suppress, with its plan."""

from __future__ import annotations

from contextlib import contextmanager

from ..errors import LoadError
from ..limits import Limits
from ..loaders import load
from ..model import Document, FileResult, Finding, Outline, Severity
from .plan import Plan


def load_error_finding(path: str, err: LoadError) -> Finding:
    return Finding(code=err.code, name="unreadable-file", severity=Severity.ERROR, message=err.message,
                   path=path, line=1, column=1, end_line=1, end_column=1)


def lint_file(path: str, plan: Plan, *, keep_outline: bool = False, source=None) -> FileResult:
    """Load and lint one file; an unreadable file is one E0xx finding, never an exception.
    With ``source`` (:class:`ecocheck.inputs.Source`: standard input) the document is read from it
    and ``path`` is its name."""
    from .gcpause import gc_paused

    with gc_paused():  # one file's objects are scanned by no full collection (run/gcpause.py)
        try:
            doc = load(path, plan.limits) if source is None else source.load(plan.limits)
        except LoadError as err:
            return FileResult(path=path, genre=None, findings=[load_error_finding(path, err)], error=True)
        except Exception as exc:  # noqa: BLE001 - never a traceback for one bad file
            err = LoadError("E003", f"文件无法解析（{type(exc).__name__}），请确认文件未损坏")
            return FileResult(path=path, genre=None, findings=[load_error_finding(path, err)], error=True)
        return lint_document(doc, plan, path=path, keep_outline=keep_outline)


@contextmanager
def document_budget(limits: Limits):
    """The memory budget of one document's work (lint, fix, annotate): ``limits.max-memory-mib``
    more than the process holds now (run/memlimit.py); beyond it, MemoryError.

    The outline parser is process-wide and built on first use: built here, outside the budget, it
    is never half-built by a document that exhausts the budget (Lark's grammar loader turns the
    MemoryError into other errors, and every later file would meet a broken parser)."""
    from ..outline.grammar import parser
    from .memlimit import memory_budget

    parser()
    with memory_budget(limits.max_memory_mib):
        yield


def over_budget(limits: Limits) -> LoadError:
    """The E009 of a document that needs more memory than :func:`document_budget` allows."""
    return LoadError("E009", f"检查该文件所需内存超过上限（limits.max-memory-mib = {limits.max_memory_mib}），"
                             "请拆分文档后再检查，或在配置中调高上限")


def lint_bounded(path: str, plan: Plan, source=None) -> FileResult:
    """``lint_file`` within the file's memory budget (:func:`document_budget`): a document that
    needs more is one E009 finding, and the process lives on."""
    try:
        with document_budget(plan.limits):
            return lint_file(path, plan, source=source)
    except MemoryError:
        return FileResult(path=path, genre=None, findings=[load_error_finding(path, over_budget(plan.limits))],
                          error=True)


def outline_document(doc: Document, plan: Plan, *, pairing: bool = False, path: str | None = None) -> Outline:
    """Build the outline.  ``pairing`` also pairs problems with measures up front (for display);
    linting leaves that to the P rules, which pair lazily only when they run.  The genre is the one
    the command line or the config sets for ``path`` (default ``doc.path``), else detected."""
    from ..config.resolve import genre_for
    from ..config.schema import ORIGIN_CLI
    from ..engine.regexcheck import backtracking_risk
    from ..outline import build_outline
    from ..outline.genre_detect import forced
    from ..outline.genres import genre_cues, genre_profile
    from ..outline.pairing import annotate, pair_outline
    from .suppress import META_KEY, mark_directives

    if META_KEY not in doc.meta:
        mark_directives(doc)  # suppression directive lines are not report text: keep them out of the outline
    genre, origin = genre_for(plan.config, path or doc.path)
    outline = build_outline(doc, genre=genre, cfg=plan.sections, genres=genre_cues(plan.config, backtracking_risk))
    if genre:
        d = outline.genre_decision
        outline.genre_decision = forced(d, genre, d.label, "option" if origin == ORIGIN_CLI else "config", origin)
    if plan.genres is not None:
        outline.cache["genre_profiles"] = plan.genres  # what genres.genre_profile would merge again
    if pairing and genre_profile(plan.config, outline.genre, outline).pairing:
        annotate(outline, pair_outline(outline))
    return outline


def lint_document(doc: Document, plan: Plan, *, path: str | None = None, keep_outline: bool = False) -> FileResult:
    """Lint an already loaded Document.

    ``path`` names the file in findings and for ``per-file-ignores`` when it differs from
    ``doc.path`` (``ecocheck.fix`` lints a fixed copy held in a temporary file under the
    original's name).
    """
    from ..engine.runner import run_rules
    from .suppress import apply_suppressions

    name = path or doc.path
    outline = outline_document(doc, plan, path=name)  # marks suppression directive lines first
    rules, unused = plan.for_path(name)
    findings = run_rules(doc, outline, rules, config=plan.config, seconds=plan.limits.rule_seconds)
    findings = apply_suppressions(doc, outline, findings, plan.registry,
                                  unused.rule if unused else None, unused.severity if unused else None, plan.config)
    if name != doc.path:
        for f in findings:
            f.path = name
    return FileResult(path=name, genre=outline.genre, findings=findings, outline=outline if keep_outline else None)
