"""What a worker process does with one uploaded file: lint it, annotate it, fix it.

Each function takes the path of the upload inside the request's temporary folder and the
name the writer gave the file, and returns plain data (picklable, JSON-ready) or bytes.
They go through :mod:`ecocheck.api` and :mod:`ecocheck.fix` exactly as ``ecocheck lint``,
``--annotate`` and ``--fix`` do, with the configuration ``ecocheck serve`` was started with
(``--config``, or the nearest config file above the folder it was started in) and so with the
same resource limits (``limits`` in the configuration: file sizes, zip bombs, time per rule).

The upload is judged by its name: lint, fix and annotate see it as the file ``NAME`` in the
folder ``serve`` was started in (:func:`judged_as`), so configuration keyed by file name or glob
(``per-file-ignores``, ``genre: {glob: id}``) applies as for ``ecocheck lint NAME`` there.  That
path is only ever matched against patterns, never opened: the bytes are in the temporary file.

No document text is logged here or anywhere in :mod:`ecocheck.web`.
"""

from __future__ import annotations

import json
import os

#: set in each worker by :func:`init` (and in the server process for rules / explain)
_SETTINGS: dict = {"config_file": None, "base_dir": None, "isolated": False}
_RESOLVER = None


class WorkError(Exception):
    """A file the worker could not handle: an E code (as the CLI prints it) and a Chinese message."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message

    def __reduce__(self):  # raised in a worker process, re-raised in the server
        return (WorkError, (self.code, self.message))


def init(config_file: str | None, base_dir: str, isolated: bool = False) -> None:
    """A worker's initializer: remember where configuration is found and load the rules once."""
    global _RESOLVER
    _SETTINGS.update(config_file=config_file, base_dir=base_dir, isolated=isolated)
    _RESOLVER = None
    from .. import api

    api.registry(config_for("draft.txt"))


def worker_main(conn, config_file: str | None, base_dir: str, isolated: bool = False) -> None:
    """A worker process (:mod:`.pool`): load the rules, say ready, then run one task at a time.

    A task is ``(function, args)``; the answer ``("ok", value)``, ``("error", WorkError)`` or
    ``("crash", "ExceptionName")``.  ``None`` or a closed pipe ends the worker.  Ctrl+C in the
    terminal reaches the whole process group: the server stops its workers itself."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init(config_file, base_dir, isolated)
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        fn, args = task
        try:
            answer = ("ok", fn(*args))
        except WorkError as err:
            answer = ("error", err)
        except Exception as exc:  # noqa: BLE001 - reported as E003, the worker goes on
            answer = ("crash", type(exc).__name__)
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return


def resolver():
    global _RESOLVER
    if _RESOLVER is None:
        from .. import api
        from ..config.resolve import Resolver

        _RESOLVER = Resolver(config_file=_SETTINGS["config_file"], registry_factory=api.registry,
                             isolated=_SETTINGS["isolated"])
    return _RESOLVER


def judged_as(name: str) -> str:
    """The path an upload called ``name`` (a plain name, no folders) is judged as: the file of that
    name in the folder ``serve`` was started in.  Matched against config patterns, never opened."""
    return os.path.join(_SETTINGS["base_dir"] or os.getcwd(), name)


def config_for(name: str):
    """The configuration of an upload called ``name``: that of a file in the folder ``serve`` was
    started in (``--config``, or the nearest config file above that folder)."""
    # looked up from the folder itself: ``name`` is never a path on this machine
    return resolver().for_path(os.path.dirname(judged_as(name)))


def upload_limit(config) -> int:
    """The largest upload accepted: the loader's file-size limit (``limits.max-text-bytes``)."""
    from ..limits import Limits

    return Limits.of(config.limits).max_text_bytes


def _lint(path: str, name: str):
    """Lint the upload as ``ecocheck lint NAME`` would in the folder ``serve`` was started in:
    (FileResult named ``name``, Config, Outline with pairing or None for an unreadable file)."""
    from .. import api
    from ..limits import Limits
    from ..loaders import load
    from ..model import FileResult
    from ..run.pipeline import load_error_finding, over_budget

    config = config_for(name)
    judged = judged_as(name)
    limits = Limits.of(config.limits)
    try:
        with budget(config):
            try:
                doc = load(path, limits)
            except Exception:  # noqa: BLE001 - unreadable: lint_file gives the CLI's E finding for it
                result, outline = api.lint_file(path, config), None
            else:
                # the outline (genre set for the name, pairing) and the findings (per-file-ignores for
                # the name) of one load and one plan, both under the name the file has for the writer
                plan = api.build_plan(config)
                outline = api.outline_document(doc, plan, pairing=True, path=judged)
                result = api.lint_document(doc, plan, path=judged)
    except MemoryError:  # the CLI's E009 for it (run.pipeline.lint_bounded)
        outline = None
        result = FileResult(path=name, genre=None, findings=[load_error_finding(name, over_budget(limits))],
                            error=True)
    result.path = name
    for f in result.findings:
        f.path = name
    return result, config, outline


def budget(config):
    """The memory budget of one document's work (``limits.max-memory-mib``), as ``ecocheck lint``,
    ``--fix`` and ``--annotate`` have it: past it a MemoryError, the worker lives on."""
    from ..limits import Limits
    from ..run.pipeline import document_budget

    return document_budget(Limits.of(config.limits))


def _error_of(result) -> WorkError | None:
    if not result.error:
        return None
    f = result.findings[0]
    return WorkError(f.code, f.message)


def lint_upload(path: str, name: str) -> dict:
    """``{"report": <lint --format json>, "outline": <outline --format json>, "document": [...]}``.

    ``report`` is exactly what ``ecocheck lint NAME --format json`` prints for the file;
    an unreadable file gives its E finding there, and ``error`` holds its code and message.
    """
    from .. import api
    from ..reporters import render
    from ..reporters.outline_json import outline_json

    result, config, outline = _lint(path, name)
    run = api.RunResult(files=[result])
    out = {"report": json.loads(render("json", run)), "outline": None, "document": []}
    err = _error_of(result)
    if err is not None:
        out["error"] = {"code": err.code, "message": err.message}
        return out
    out["outline"] = outline_json(outline, name)  # the shape of ``ecocheck outline --format json``
    out["document"] = document_json(outline)
    return out


def annotate_upload(path: str, name: str) -> tuple[bytes, str, int]:
    """The annotated copy (Word comments, as ``--annotate``): (bytes, download name, comments)."""
    from ..fix import AnnotateError, annotate_file, default_output

    result, config, _outline = _lint(path, name)
    err = _error_of(result)
    if err is not None:
        raise err
    target = os.path.join(os.path.dirname(path), "annotated.docx")
    try:
        with budget(config):  # a MemoryError is annotate's own E009
            done = annotate_file(path, result.findings, target, config=config)
    except AnnotateError as exc:
        code, _, message = exc.message.partition(" ")
        if code.startswith("E") and code[1:].isdigit():
            raise WorkError(code, message) from None
        raise WorkError("E003", exc.message) from None
    with open(target, "rb") as fh:
        data = fh.read()
    return data, os.path.basename(default_output(name)), done.comments


def fix_upload(path: str, name: str) -> tuple[bytes, str, int]:
    """The safely fixed copy (as ``--fix``, the original untouched): (bytes, download name, edits)."""
    from ..fix import fix_file

    config = config_for(name)
    with budget(config):  # a MemoryError is fix's own E009
        outcome = fix_file(path, config, name=judged_as(name))
    if outcome.error:
        code, _, message = outcome.error.partition(" ")
        if code.startswith("E") and code[1:].isdigit():
            raise WorkError(code, message)
        raise WorkError("E003", outcome.error)
    return outcome.fixed, fixed_name(name), outcome.edits


def fixed_name(name: str) -> str:
    """``草稿.docx`` → ``草稿.fixed.docx``: the fixed copy is named after the original."""
    stem, ext = os.path.splitext(name)
    return f"{stem}.fixed{ext}"


# ---------------------------------------------------------------------------
# JSON views of an outline and of a document's paragraphs


def document_json(outline) -> list[dict]:
    """The paragraphs as the writer wrote them, with what the page needs to place findings:
    ``line`` (the findings' line), ``offset`` (characters of the line before ``text``:
    Markdown heading markup), ``table`` ([table, row, cell] for a .docx table cell) and
    ``heading`` (outline level) for headings."""
    levels: dict[int, int] = {}

    def walk(node) -> None:
        if node.kind == "heading":
            levels.setdefault(node.line, node.level)
        for c in node.children:
            walk(c)

    for n in outline.items + outline.sections:
        walk(n)
    title_line = None
    if outline.title is not None:
        title_line = outline.document.paragraphs[outline.title].line
    paras = []
    for p in outline.document.paragraphs:
        if p.props.get("directive"):
            continue
        d: dict = {"line": p.line, "text": p.text}
        if p.column_offset:
            d["offset"] = p.column_offset
        if p.table is not None:
            d["table"] = list(p.table)
        if p.line in levels:
            d["heading"] = levels[p.line]
        elif p.line == title_line:
            d["heading"] = 0
        paras.append(d)
    return paras


# ---------------------------------------------------------------------------
# Rules (the server process answers these itself: no document involved)


def rules_json() -> list[dict]:
    from .. import api
    from ..engine.rule import FAMILIES

    reg = api.registry(config_for("draft.txt"))
    return [{"code": r.code, "name": r.name, "severity": r.severity.label, "source": r.source,
             "summary": r.summary, "family": r.code[0], "family_name": FAMILIES.get(r.code[0], "")}
            for r in reg.sorted()]


def explain_json(code: str) -> dict | None:
    from .. import api
    from ..engine.rule import FAMILIES

    rule = api.registry(config_for("draft.txt")).get(code)
    if rule is None:
        return None
    d = rule.doc
    return {"code": rule.code, "name": rule.name, "severity": rule.severity.label, "source": rule.source,
            "summary": rule.summary, "family": rule.code[0], "family_name": FAMILIES.get(rule.code[0], ""),
            "what": d.what.strip(), "why": d.why.strip(), "bad": d.bad.strip(), "good": d.good.strip(),
            "options": {k: {"description": v, "default": (rule.options or {}).get(k)}
                        for k, v in (d.options or {}).items()},
            "references": list(d.references or [])}
