"""The ``lint`` command's ``--fix`` / ``--diff`` / ``--annotate`` steps (messages on stderr)."""

from __future__ import annotations

import os
import sys

import typer


def _note(message: str) -> None:
    typer.echo(f"ecocheck: {message}", err=True)


def _shown(path: str) -> str:
    """A file as every report names it (reporters._common.display_path)."""
    from ..reporters._common import display_path

    return display_path(path)


def run_fixes(paths: list[str], resolver, *, diff: bool, quiet: bool, force_exclude: bool = False,
              follow_symlinks: bool = False):
    """Fix (or, with ``diff``, show the fixes for) every file; return the outcomes.

    A file the lint refuses to read (a link out of the tree, an unlistable directory) is not
    fixed either; the lint that follows reports it."""
    from .. import api
    from ..fix import FixError, fix_file, unified_diff, write_fixed
    from ..limits import Limits
    from ..run.pipeline import document_budget

    outcomes = []
    refused: dict = {}
    for path in api.collect_files(paths, resolver=resolver, force_exclude=force_exclude,
                                  follow_symlinks=follow_symlinks, refused=refused):
        if path in refused:
            continue
        config = resolver.for_path(path)
        with document_budget(Limits.of(config.limits)):  # a MemoryError is one more failed fix, the run goes on
            outcome = fix_file(path, config)
        outcomes.append(outcome)
        if outcome.error:
            if diff or not outcome.error.startswith("E0"):  # after --fix the lint reports unreadable files
                _note(f"{_shown(path)}: 未能自动修复：{outcome.error}")
            continue
        if diff:
            text = unified_diff(outcome)
            if text:
                sys.stdout.write(text)
        else:
            try:
                write_fixed(outcome)
            except FixError as err:
                _note(f"{_shown(path)}: 未写入修复：{err.message}")
                outcome.error = err.message
        if not quiet:
            for f, reason in outcome.skipped:
                _note(f"{_shown(f.path)}:{f.line}:{f.column}: {f.code} 未自动修复：{reason}")
    sys.stdout.flush()
    return outcomes


def fix_source(source, resolver, *, diff: bool, quiet: bool, force_exclude: bool = False):
    """``--fix`` / ``--diff`` of standard input, as ruff: the fixed document on stdout (unchanged when
    nothing is fixed, when the fix fails or when ``force_exclude`` leaves the name out), or with ``diff``
    the diff; notes on stderr.  Returns the outcomes and the source the lint should read next (the
    fixed bytes)."""
    from .. import api
    from ..errors import LoadError
    from ..fix import fix_file, unified_diff
    from ..fix.annotate import limits_of
    from ..limits import Limits
    from ..run.batch import source_excluded
    from ..run.pipeline import document_budget

    config = resolver.for_path(source.path)
    if force_exclude and source_excluded(source, resolver):
        if not diff:
            try:
                sys.stdout.buffer.write(source.read(limits_of(config)))
            except LoadError:
                pass  # nothing to echo: the lint that follows lints nothing either
            sys.stdout.flush()
        return [], source
    with document_budget(Limits.of(config.limits)):  # a MemoryError is a failed fix, as for a file
        outcome = fix_file(source.path, config, source=source)
    if outcome.error:
        if diff or not outcome.error.startswith("E0"):  # the lint that follows reports an unreadable input
            _note(f"{_shown(source.path)}: 未能自动修复：{outcome.error}")
    if diff:
        sys.stdout.write(unified_diff(outcome))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(outcome.fixed)
    sys.stdout.flush()
    if not quiet:
        for f, reason in outcome.skipped:
            _note(f"{_shown(f.path)}:{f.line}:{f.column}: {f.code} 未自动修复：{reason}")
    if outcome.error or not outcome.changed:
        return [outcome], source
    return [outcome], api.Source(data=outcome.fixed, name=source.name)


def fixed_count(outcomes) -> tuple[int, int]:
    """(edits applied, files changed), counting only files that were (or would be) rewritten."""
    done = [o for o in outcomes if o.changed and not o.error]
    return sum(o.edits for o in done), len(done)


def diff_summary(outcomes, quiet: bool) -> int:
    """Print the --diff summary; the exit status: 1 when something would change, 2 on a broken file."""
    edits, files = fixed_count(outcomes)
    if not quiet:
        if edits:
            _note(f"可自动修复 {edits} 处（{files} 个文件）；加 --fix 写入文件。")
        else:
            _note("没有可自动修复的问题。")
    if any(o.error and o.error.startswith("E0") for o in outcomes):
        return 2
    return 1 if edits else 0


def fix_summary(outcomes, result, quiet: bool, show_fixes: bool = False) -> None:
    """``已自动修复 N 处 …；剩余 M 处问题 …`` after the lint of the fixed files; with ``show_fixes`` first
    what was fixed in each file, per rule (as ruff's ``--show-fixes``)."""
    if quiet:
        return
    if show_fixes:
        for line in fixes_listing(outcomes):
            typer.echo(line, err=True)
    edits, files = fixed_count(outcomes)
    remaining = [f for f in result.findings if not f.code.startswith("E0")]
    manual = sum(1 for f in remaining if f.fix is not None)
    head = f"已自动修复 {edits} 处（{files} 个文件）" if edits else "没有可自动修复的问题"
    tail = f"剩余 {len(remaining)} 处问题" if remaining else "没有剩余问题"
    if manual:
        tail += f"，其中 {manual} 处有修改建议但需人工确认"
    _note(f"{head}；{tail}。")


def fixes_listing(outcomes) -> list[str]:
    """``已修复：`` then, per changed file, ``N × CODE name`` for each rule whose findings were fixed."""
    from collections import Counter

    lines = []
    for o in outcomes:
        if not o.changed or o.error or not o.applied:
            continue
        lines.append(f"- {_shown(o.path)}：")
        counts = Counter((f.code, f.name) for f in o.applied)
        lines.extend(f"    {k} × {code} ({name})" for (code, name), k in sorted(counts.items()))
    return ["已修复：", *lines] if lines else ["没有修复任何问题。"]


def annotate(result, resolver, output: str | None, quiet: bool, source=None) -> bool:
    """Write the annotated copies; False when one could not be written.  With ``source`` (standard
    input) the one document is read from it and ``output`` is the copy (or the folder to put it in)."""
    from ..fix import AnnotateError, annotate_file, default_output
    from ..limits import Limits
    from ..run.pipeline import document_budget

    files = [r for r in result.files if not r.error]
    inputs = {os.path.realpath(r.path) for r in result.files}
    to_dir = output is not None and os.path.isdir(output)
    if output is not None and not to_dir and len(files) > 1:
        _note("E202 检查多个文件时，--annotate-output 必须是已存在的目录")
        return False
    ok = True
    used: set[str] = set()
    for r in files:
        if output is not None and not to_dir:
            target = output
        else:
            target = default_output(r.path if source is None else source.name or "stdin.txt")
            if to_dir:
                target = os.path.join(output, os.path.basename(target))
            if os.path.abspath(target) in used:  # draft.txt and draft.md side by side
                stem, ext = os.path.splitext(r.path)
                target = os.path.join(os.path.dirname(target),
                                      f"{os.path.basename(stem)}-{ext.lstrip('.')}.ecocheck.docx")
        if os.path.realpath(target) in inputs:
            _note(f"{_shown(r.path)}: 批注副本 {target} 会覆盖被检查的文件，已跳过")
            ok = False
            continue
        used.add(os.path.abspath(target))
        config = resolver.for_path(r.path)
        try:
            with document_budget(Limits.of(config.limits)):
                done = annotate_file(r.path, r.findings, target, config=config, source=source)
        except MemoryError:
            _note(f"{_shown(r.path)}: E009 生成批注副本所需内存超过上限（limits.max-memory-mib），未生成")
            ok = False
            continue
        except AnnotateError as err:
            _note(f"{_shown(r.path)}: 未能生成批注副本：{err.message}")
            ok = False
            continue
        if not quiet:
            _note(f"已生成批注副本 {done.output}（{done.comments} 条批注）")
            for f, reason in done.skipped:
                _note(f"{_shown(f.path)}:{f.line}:{f.column}: {f.code} 未加批注：{reason}")
    return ok
