"""A run over many files: collect them, give each its plan, lint (cached, in parallel), keep input order;
then the run's policies: the baseline and the exit status."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .. import usercache
from ..config import Config
from ..errors import LoadError
from ..loaders import SUPPORTED_SUFFIXES
from ..model import FileResult, Finding, Severity
from .pipeline import lint_bounded, load_error_finding
from .plan import Plan, build_plan, registry


@dataclass
class RunResult:
    """The files of one run, in input order, and the plugin or registry problems met."""

    files: list[FileResult] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # plugin / registry problems
    fail_on: list[Severity] = field(default_factory=list)  # each file's threshold, as ``files``
    rules: dict[str, Any] = field(default_factory=dict)  # code -> Rule, of every plan in play
    baseline_removed: int = 0  # findings the baseline accepted (and removed)
    baselines: list[str] = field(default_factory=list)  # the baseline files applied
    #: each file's configured baseline (config key ``baseline``), as ``files``; None: its configuration names none
    configured_baselines: list[str | None] = field(default_factory=list)
    #: configuration the tree holds but a pinned run (--isolated, --config, --policy) did not apply:
    #: config files and ``.ecocheckignore`` files, by path
    not_honoured: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def unreadable(self) -> bool:
        return any(r.error for r in self.files)

    def exit_status(self, *, exit_zero: bool = False, failed: bool = False) -> int:
        """2 when a file could not be read (or ``failed``: an output could not be written); else 0
        with ``exit_zero``; else 1 when a file has a finding at or above its ``fail-on``; else 0."""
        if self.unreadable or failed:
            return 2
        if exit_zero:
            return 0
        for r, threshold in zip(self.files, self.fail_on):
            if any(f.severity >= threshold for f in r.findings):
                return 1
        return 0


def collect_files(paths: list[str], *, resolver=None, force_exclude: bool = False, follow_symlinks: bool = False,
                  refused: dict[str, LoadError] | None = None, not_honoured: list[str] | None = None) -> list[str]:
    """Expand directories (recursively, sorted) into supported files; keep files as given.

    While walking a directory, paths ignored by ``.ecocheckignore`` files (and by default the
    repository's own documents, :data:`ecocheck.config.discover.REPOSITORY_DOCS`) or matched by
    the ``exclude`` patterns of the nearest config (through ``resolver``) are skipped.  Paths given explicitly are always kept unless
    ``force_exclude``.  A file given twice is linted once.

    What is listed but must not be read goes into ``refused`` (path -> the error to report):
    a symlink that leads out of the linted tree (:func:`ecocheck.inputs.outside`; unless
    ``follow_symlinks``) and a directory that cannot be listed.  The paths stay in the list,
    in order, so that each is reported where it was found.

    With a pinned configuration (``resolver.pinned``: ``--isolated``, ``--config``, ``--policy``)
    ``.ecocheckignore`` files are not applied; those met go into ``not_honoured``.
    """
    from ..config.discover import IgnoreFiles, is_excluded
    from ..inputs import outside, tree_of

    refused = {} if refused is None else refused
    ignores = IgnoreFiles(honoured=not getattr(resolver, "pinned", False))

    def excluded(path: str, is_dir: bool) -> bool:
        if ignores.ignored(path, is_dir):
            return True
        return resolver is not None and is_excluded(resolver.for_path(path), path, is_dir)

    def check_link(path: str, tree: str) -> None:
        if not follow_symlinks:
            err = outside(path, tree)
            if err is not None:
                refused[path] = err

    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            if force_exclude and excluded(p, True):
                continue
            found = []

            def unlistable(exc: OSError, found=found) -> None:
                where = exc.filename or p
                found.append(where)
                refused[where] = LoadError("E001", f"目录无法读取（{exc.strerror or exc}），其中的文件未检查")

            for root, dirs, files in os.walk(p, onerror=unlistable):
                dirs[:] = [d for d in dirs if not d.startswith(".") and not excluded(os.path.join(root, d), True)]
                for name in files:
                    if name.lower().endswith(SUPPORTED_SUFFIXES) and not name.startswith(("~$", ".")) \
                            and not name.endswith(".ecocheck.docx") and not excluded(os.path.join(root, name), False):
                        found.append(os.path.join(root, name))
                        if os.path.islink(found[-1]):  # os.walk enters no linked directory
                            check_link(found[-1], tree_of(p, True))
            out.extend(sorted(found))
        elif not (force_exclude and excluded(p, False)):
            out.append(p)
            check_link(p, tree_of(p, False))
    seen: set[str] = set()
    unique = []
    for p in out:
        key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    if not_honoured is not None:
        not_honoured.extend(p for p in dict.fromkeys(ignores.not_honoured) if p not in not_honoured)
    return unique


def _tree_configs(files: list[str], resolver) -> list[str]:
    """The configuration files the tree holds for ``files`` that a pinned run did not read
    (the nearest one of each file's directory, and those nearer than the pinned file)."""
    from ..config.discover import find_config_file

    found: dict[str, None] = {}
    cache: dict[str, str | None] = {}
    for f in files:
        cfg = find_config_file(f, cache)
        if cfg is not None and cfg != resolver.config_file:
            found[cfg] = None
    return list(found)


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    from .forkpool import cpus

    return cpus()


def _lint_parallel(todo: list[int], files: list[str], plans: list[Plan], configs: list[Config], workers: int,
                   finish: Callable[[int, FileResult], None]) -> None:
    """Lint ``files[i]`` for ``i`` in ``todo`` in ``workers`` processes, calling ``finish`` as
    results arrive.  Forked workers inherit the plans; where there is no safe ``fork`` a
    process pool gets the configurations and builds its own plans.  Files whose worker died
    (or when processes are unavailable) are left for the caller to lint in this process."""
    from .forkpool import can_fork, fork_map

    chunks = _chunks(todo, files, workers)
    if can_fork():
        try:
            fork_map(chunks, partial(_lint_one, files, plans), workers, finish)
        except OSError:
            pass  # no processes to be had: the caller lints what is left
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                 initargs=(files, configs)) as pool:
            for fut in as_completed([pool.submit(_lint_chunk, chunk) for chunk in chunks]):
                for index, file_result in fut.result():
                    finish(index, file_result)
    except (BrokenProcessPool, OSError):
        pass  # a worker died: the caller lints what is left


def _lint_one(files: list[str], plans: list[Plan], i: int) -> FileResult:
    """``lint_file`` of the ``i``-th file: a parallel run's work."""
    return lint_bounded(files[i], plans[i])


#: the files and plans of a pool run, built in each worker once (see ``_init_worker``)
_WORK: tuple[list[str], list[Plan]] = ([], [])


def _init_worker(files: list[str], configs: list[Config]) -> None:
    global _WORK
    _WORK = (files, _plans(configs))


def _lint_chunk(indexes: list[int]) -> list[tuple[int, FileResult]]:
    files, plans = _WORK
    return [(i, lint_bounded(files[i], plans[i])) for i in indexes]


def _plans(configs: list[Config]) -> list[Plan]:
    """One plan per distinct configuration (the resolver hands out one object per config file)."""
    built: dict[int, Plan] = {}
    return [built.get(id(c)) or built.setdefault(id(c), build_plan(c)) for c in configs]


def _chunks(todo: list[int], files: list[str], workers: int) -> list[list[int]]:
    """The files of a parallel run in chunks, largest files first and chunks shrinking as the
    work runs out ("guided" scheduling): early chunks are big, so sending tasks and results
    costs little; the last ones hold one small file each, so no worker is left with a long
    tail while the other idles."""

    def size(i: int) -> int:
        try:
            return os.path.getsize(files[i])
        except OSError:
            return 0

    order = sorted(todo, key=size, reverse=True)
    chunks, k = [], 0
    while k < len(order):
        n = max(1, (len(order) - k) // (workers * 2))
        chunks.append(order[k:k + n])
        k += n
    return chunks


def _run_result(files: list[str], plans: list[Plan], resolver, not_honoured: list[str]) -> RunResult:
    """The RunResult a run starts from: each file's threshold, what a pinned run did not honour, and the
    plugin/registry problems and rules of every plan in play (the cwd's configuration when there is no file)."""
    result = RunResult(fail_on=[p.fail_on for p in plans], not_honoured=not_honoured)
    if getattr(resolver, "pinned", False):
        result.not_honoured[:0] = _tree_configs(files, resolver)
    registries = [p.registry for p in {id(p): p for p in plans}.values()] or [registry(resolver.for_path(os.getcwd()))]
    for reg in registries:
        result.problems.extend(p for p in reg.problems if p not in result.problems)
        result.rules.update(reg.rules)
    return result


def _configured_baselines(configs: list[Config]) -> dict[str, Any]:
    """The baselines the configurations name (``baseline`` key), path -> Baseline, loaded before any work."""
    from .baseline import load_configured

    configured: dict[str, Any] = {}
    for c in configs:
        if c.baseline is not None and c.baseline not in configured:
            configured[c.baseline] = load_configured(c)
    return configured


def _apply_baselines(result: RunResult, baseline, configured: dict[str, Any]) -> None:
    """``baseline`` (given) removes the findings it accepts from every file; else each configured
    baseline from the files whose configuration names it."""
    if baseline is not None:
        result.baseline_removed = baseline.filter(result)
        result.baselines = [baseline.path]
    for path, accepted in configured.items():
        result.baseline_removed += accepted.filter(result, [r for r, b in zip(result.files,
                                                                              result.configured_baselines) if b == path])
        result.baselines.append(path)


def source_excluded(source, resolver, not_honoured: list[str] | None = None) -> bool:
    """Whether ``exclude`` or ``.ecocheckignore`` leaves out the file ``source.name`` stands for (an
    unnamed source never is); with a pinned ``resolver`` the ``.ecocheckignore`` files met are not
    applied but go into ``not_honoured``, as in :func:`collect_files`."""
    from ..config.discover import IgnoreFiles, is_excluded

    if not source.name:
        return False
    ignores = IgnoreFiles(honoured=not getattr(resolver, "pinned", False))
    out = ignores.ignored(source.name, False) or is_excluded(resolver.for_path(source.name), source.name, False)
    if not_honoured is not None:
        not_honoured.extend(p for p in dict.fromkeys(ignores.not_honoured) if p not in not_honoured)
    return out


def lint_source(source, config: Config | None = None, *, resolver=None, force_exclude: bool = False,
                baseline=None, configured_baseline: bool = False) -> RunResult:
    """Lint a document handed over as bytes or a stream (:class:`ecocheck.inputs.Source`:
    ``ecocheck lint -`` reads standard input), as :func:`lint_paths` lints a file.

    ``source.name`` stands for the file: its nearest config file (through ``resolver``), per-file-ignores
    and genre globs apply, findings name it (``-`` without a name), and with ``force_exclude`` a name
    that ``exclude`` or ``.ecocheckignore`` leaves out is not linted (a run of no files, as ruff).  The
    stream is read bounded by the limits of that configuration; an oversized or unreadable input is one
    E0xx finding (exit 2), never an exception.  Never cached.  ``baseline`` and ``configured_baseline``
    as for :func:`lint_paths`."""
    from ..config.resolve import Resolver

    if resolver is None:
        resolver = Resolver(base=config or Config(), isolated=True)
    path = source.path
    named = [path] if source.name else []
    not_honoured: list[str] = []
    if force_exclude and source_excluded(source, resolver, not_honoured):
        return _run_result([], [], resolver, not_honoured)
    config = resolver.for_path(path)
    configured = _configured_baselines([config]) if baseline is None and configured_baseline else {}
    plan = build_plan(config)
    result = _run_result(named, [plan], resolver, not_honoured)
    result.configured_baselines = [config.baseline]
    result.files = [lint_bounded(path, plan, source)]
    _apply_baselines(result, baseline, configured)
    return result


def lint_paths(paths: list[str], config: Config | None = None, *, resolver=None, jobs: int = 1,
               use_cache: bool = False, force_exclude: bool = False, follow_symlinks: bool = False, baseline=None,
               configured_baseline: bool = False, progress=None,
               on_file: Callable[[FileResult], None] | None = None) -> RunResult:
    """Lint files and directories.

    ``resolver`` (:class:`ecocheck.config.resolve.Resolver`) gives each file
    its configuration (nearest config file + command-line overrides); without
    it every file uses ``config``.  ``jobs`` > 1 lints in that many processes;
    results keep the input order either way.  ``use_cache`` reads and writes
    the result cache (``.ecocheck_cache/`` at the repository root, else the user cache directory; unless ``ECOCHECK_NO_CACHE`` turns every cache off).  ``baseline`` (:class:`ecocheck.run.baseline.Baseline`)
    removes the findings it accepts; without it, ``configured_baseline`` applies to each file the
    baseline its configuration names (``baseline`` key; a missing file is a ConfigError, raised
    before any file is linted).  ``progress(done, total)`` is called after each file.
    ``on_file(file_result)`` is called in this process with each file's result as
    it is done (a cached one as it is read), in the order they come: work on a
    result there -- rendering it, say -- shares the time of a parallel run instead
    of following it.  ``follow_symlinks`` reads files that symlinks lead to outside the
    linted tree (by default each is one E012 finding, see :func:`collect_files`).
    """
    from ..config.resolve import Resolver

    if resolver is None:
        resolver = Resolver(base=config or Config(), isolated=True)
    refused: dict[str, LoadError] = {}
    not_honoured: list[str] = []
    files = collect_files(paths, resolver=resolver, force_exclude=force_exclude, follow_symlinks=follow_symlinks,
                          refused=refused, not_honoured=not_honoured)
    configs = [resolver.for_path(f) for f in files]
    plans = _plans(configs)  # before any worker forks: the workers inherit them
    result = _run_result(files, plans, resolver, not_honoured)
    result.configured_baselines = [c.baseline for c in configs]
    configured = _configured_baselines(configs) if baseline is None and configured_baseline else {}
    results: list[FileResult | None] = [None] * len(files)
    keys: list[tuple | None] = [None] * len(files)
    total, done = len(files), 0
    for i, path in enumerate(files):
        if path in refused:
            results[i] = FileResult(path=path, genre=None, findings=[load_error_finding(path, refused[path])],
                                    error=True)
            done += 1
            if on_file is not None:
                on_file(results[i])
    use_cache = use_cache and not usercache.disabled()  # ECOCHECK_NO_CACHE turns every cache off
    if use_cache:
        from .cache import Cache, cache_dir_for, config_fingerprint, file_digest

        caches: dict[str, Cache] = {}
        fingerprints: dict[int, str] = {}
        roots: dict[str, str | None] = {}  # directory -> its repository root
        for i, (path, plan) in enumerate(zip(files, plans)):
            if results[i] is not None:
                continue
            directory = cache_dir_for(plan.config, path, roots)
            if directory is None:
                continue  # no user cache directory: this file is linted without a cache
            digest = file_digest(path)
            if digest is None:
                continue
            if id(plan) not in fingerprints:
                fingerprints[id(plan)] = config_fingerprint(plan.config, plan.registry)
            cache = caches.setdefault(directory, Cache(directory))
            key = Cache.key(path, digest, fingerprints[id(plan)])
            hit = cache.get(key)
            if hit is not None:
                results[i] = hit
                done += 1
                if on_file is not None:
                    on_file(hit)
            else:
                keys[i] = (cache, key)
        if done and progress is not None:
            progress(done, total)
    todo = [i for i, r in enumerate(results) if r is None]

    def finish(index: int, file_result: FileResult) -> None:
        nonlocal done
        results[index] = file_result
        if keys[index] is not None:
            cache, key = keys[index]
            cache.put(key, file_result)
        done += 1
        if on_file is not None:
            on_file(file_result)
        if progress is not None:
            progress(done, total)

    workers = min(max(1, jobs), len(todo))
    if workers > 1:
        _lint_parallel(todo, files, plans, configs, workers, finish)
    for i in todo:
        if results[i] is None:
            finish(i, lint_bounded(files[i], plans[i]))
    if use_cache:
        for cache in caches.values():
            cache.prune()  # bounded: the oldest entries beyond MAX_ENTRIES go
    result.files = [r for r in results if r is not None]
    _apply_baselines(result, baseline, configured)
    return result
