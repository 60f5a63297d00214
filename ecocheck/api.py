"""The library entry points the CLI and tests call: lint files, build outlines.

Stages: loaders → outline → engine (rules) → findings.  Reporters and the CLI
sit on top and never reach below this module.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from .config import Config
from .engine.registry import Registry, build_registry
from .engine.runner import run_rules
from .errors import LoadError
from .loaders import SUPPORTED_SUFFIXES, load
from .model import FileResult, Finding, Outline, Severity

__all__ = ["Config", "RunResult", "collect_files", "lint_document", "lint_file", "lint_paths", "outline_file", "registry"]


@dataclass
class RunResult:
    """The files of one run, in input order, and the plugin or registry problems met."""

    files: list[FileResult] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # plugin / registry problems
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


@lru_cache(maxsize=8)
def _registry(disabled: tuple[str, ...], pack_dirs: tuple[str, ...]) -> Registry:
    return build_registry(disabled, pack_dirs)


def registry(config: Config | None = None) -> Registry:
    config = config or Config()
    return _registry(tuple(config.disable_plugins), tuple(config.pack_dirs))


@lru_cache(maxsize=8)
def _section_config(disabled: tuple[str, ...], user: tuple[tuple[str, tuple[str, ...]], ...]):
    from .outline.roles import default_section_config
    from .plugin.manager import get_host

    cfg = default_section_config()
    shipped = {role: list(syns) for role, syns in cfg.synonyms.items()}  # a copy each plugin may read
    for _source, _plugin, result in get_host(disabled).call_each("ecocheck_section_synonyms", synonyms=shipped):
        if isinstance(result, dict):
            cfg = cfg.extended({str(role): [str(s) for s in syns] for role, syns in result.items()})
    return cfg.extended({role: list(syns) for role, syns in user} or None)


def section_config(config: Config):
    """Heading synonyms: shipped, then plugins (``ecocheck_section_synonyms``), then the user's config."""
    user = tuple(sorted((role, tuple(syns)) for role, syns in (config.sections or {}).items()))
    return _section_config(tuple(config.disable_plugins), user)


def outline_document(doc, config: Config, *, pairing: bool = False, path: str | None = None) -> Outline:
    """Build the outline.  ``pairing`` also pairs problems with measures up front (for display);
    linting leaves that to the P rules, which pair lazily only when they run.  The genre is the one
    the command line or the config sets for ``path`` (default ``doc.path``), else detected."""
    from .config.resolve import ORIGIN_CLI, genre_for
    from .engine.regexcheck import backtracking_risk
    from .outline.genres import genre_cues, genre_profile
    from .run.suppress import META_KEY, mark_directives
    from .outline import build_outline
    from .outline.genre_detect import forced
    from .outline.pairing import annotate, pair_outline

    if META_KEY not in doc.meta:
        mark_directives(doc)  # suppression directive lines are not report text: keep them out of the outline
    genre, origin = genre_for(config, path or doc.path)
    outline = build_outline(doc, genre=genre, cfg=section_config(config), genres=genre_cues(config, backtracking_risk))
    if genre:
        d = outline.genre_decision
        outline.genre_decision = forced(d, genre, d.label, "option" if origin == ORIGIN_CLI else "config", origin)
    if pairing and genre_profile(config, outline.genre, outline).pairing:
        annotate(outline, pair_outline(outline))
    return outline


def outline_file(path: str, config: Config | None = None) -> Outline:
    """The outline of a file as ``ecocheck outline`` shows it, pairing included."""
    config = config or Config()
    return outline_document(load(path, _limits(config)), config, pairing=True)


def _limits(config: Config):
    from .limits import Limits

    return Limits.of(config.limits)


def load_error_finding(path: str, err: LoadError) -> Finding:
    return Finding(code=err.code, name="unreadable-file", severity=Severity.ERROR, message=err.message,
                   path=path, line=1, column=1, end_line=1, end_column=1)


def lint_file(path: str, config: Config | None = None, *, keep_outline: bool = False) -> FileResult:
    from .run.gcpause import gc_paused

    config = config or Config()
    with gc_paused():  # one file's objects are scanned by no full collection (run/gcpause.py)
        try:
            doc = load(path, _limits(config))
        except LoadError as err:
            return FileResult(path=path, genre=None, findings=[load_error_finding(path, err)], error=True)
        except Exception as exc:  # noqa: BLE001 - never a traceback for one bad file
            err = LoadError("E003", f"文件无法解析（{type(exc).__name__}），请确认文件未损坏")
            return FileResult(path=path, genre=None, findings=[load_error_finding(path, err)], error=True)
        return lint_document(doc, config, path=path, keep_outline=keep_outline)


def lint_document(doc, config: Config | None = None, *, path: str | None = None,
                  keep_outline: bool = False) -> FileResult:
    """Lint an already loaded Document.

    ``path`` names the file in findings and for ``per-file-ignores`` when it
    differs from ``doc.path`` (``ecocheck.fix`` lints a fixed copy held in a
    temporary file under the original's name).
    """
    from .config.resolve import per_file_ignores

    config = config or Config()
    name = path or doc.path
    outline = outline_document(doc, config, path=name)  # marks suppression directive lines first
    reg = registry(config)
    ignore = config.ignore + per_file_ignores(config, name)
    rules = reg.select(config.select, config.extend_select, ignore)
    findings = _suppress(doc, outline, run_rules(doc, outline, rules, config), rules, reg, config, ignore)
    if name != doc.path:
        for f in findings:
            f.path = name
    return FileResult(path=name, genre=outline.genre, findings=findings,
                      outline=outline if keep_outline else None)


def _suppress(doc, outline, findings, rules, reg, config: Config, ignore: list[str]) -> list[Finding]:
    """Apply suppression comments; report unused ones when C699 is enabled."""
    from .run.suppress import UNUSED_CODE, apply_suppressions

    unused_rule = next((r for r in rules if r.code == UNUSED_CODE), None)
    if unused_rule is None and config.report_unused_suppressions:
        candidate = reg.get(UNUSED_CODE)
        ignored = {r.code for s in ignore for r in reg.matches(s)}
        if candidate is not None and UNUSED_CODE not in ignored:
            unused_rule = candidate
    severity = config.severity_for(unused_rule) if unused_rule is not None else None
    return apply_suppressions(doc, outline, findings, reg, unused_rule, severity, config)


def collect_files(paths: list[str], *, resolver=None, force_exclude: bool = False, follow_symlinks: bool = False,
                  refused: dict[str, LoadError] | None = None, not_honoured: list[str] | None = None) -> list[str]:
    """Expand directories (recursively, sorted) into supported files; keep files as given.

    While walking a directory, paths ignored by ``.ecocheckignore`` files (and by default the
    repository's own documents, :data:`ecocheck.config.resolve.REPOSITORY_DOCS`) or matched by
    the ``exclude`` patterns of the nearest config (through ``resolver``) are skipped.  Paths given explicitly are always kept unless
    ``force_exclude``.  A file given twice is linted once.

    What is listed but must not be read goes into ``refused`` (path -> the error to report):
    a symlink that leads out of the linted tree (:func:`ecocheck.inputs.outside`; unless
    ``follow_symlinks``) and a directory that cannot be listed.  The paths stay in the list,
    in order, so that each is reported where it was found.

    With a pinned configuration (``resolver.pinned``: ``--isolated``, ``--config``, ``--policy``)
    ``.ecocheckignore`` files are not applied; those met go into ``not_honoured``.
    """
    from .config.resolve import IgnoreFiles, is_excluded
    from .inputs import outside, tree_of

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
    from .config.resolve import find_config_file

    found: dict[str, None] = {}
    cache: dict[str, str | None] = {}
    for f in files:
        cfg = find_config_file(f, cache)
        if cfg is not None and cfg != resolver.config_file:
            found[cfg] = None
    return list(found)


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    from .run.forkpool import cpus

    return cpus()


def _lint_parallel(todo: list[int], files: list[str], configs: list[Config], workers: int,
                   finish: Callable[[int, FileResult], None]) -> None:
    """Lint ``files[i]`` for ``i`` in ``todo`` in ``workers`` processes, calling ``finish`` as
    results arrive.  Files whose worker died (or when processes are unavailable) are left
    for the caller to lint in this process."""
    from .run.forkpool import can_fork, fork_map

    chunks = _chunks(todo, files, workers)
    if can_fork():
        try:
            fork_map(chunks, partial(_lint_one, files, configs), workers, finish)
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


def _lint_one(files: list[str], configs: list[Config], i: int) -> FileResult:
    """``lint_file`` of the ``i``-th file: a parallel run's work."""
    return lint_bounded(files[i], configs[i])


def lint_bounded(path: str, config: Config) -> FileResult:
    """``lint_file`` within the file's memory budget (``limits.max-memory-mib``, run/memlimit.py):
    a document that needs more is one E009 finding, and the process lives on."""
    from .run.memlimit import budget_of, memory_budget

    try:
        with memory_budget(budget_of(config)):
            return lint_file(path, config)
    except MemoryError:
        err = LoadError("E009", f"检查该文件所需内存超过上限（limits.max-memory-mib = {budget_of(config)}），"
                                "请拆分文档后再检查，或在配置中调高上限")
        return FileResult(path=path, genre=None, findings=[load_error_finding(path, err)], error=True)


#: the files and configurations of a pool run, handed to each worker once (see ``_init_worker``)
_WORK: tuple[list[str], list[Config]] = ([], [])


def _init_worker(files: list[str], configs: list[Config]) -> None:
    global _WORK
    _WORK = (files, configs)


def _lint_chunk(indexes: list[int]) -> list[tuple[int, FileResult]]:
    files, configs = _WORK
    return [(i, lint_bounded(files[i], configs[i])) for i in indexes]


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


def lint_paths(paths: list[str], config: Config | None = None, *, resolver=None, jobs: int = 1,
               use_cache: bool = False, force_exclude: bool = False, follow_symlinks: bool = False, progress=None,
               on_file: Callable[[FileResult], None] | None = None) -> RunResult:
    """Lint files and directories.

    ``resolver`` (:class:`ecocheck.config.resolve.Resolver`) gives each file
    its configuration (nearest config file + command-line overrides); without
    it every file uses ``config``.  ``jobs`` > 1 lints in that many processes;
    results keep the input order either way.  ``use_cache`` reads and writes
    ``.ecocheck_cache/``.  ``progress(done, total)`` is called after each file.
    ``on_file(file_result)`` is called in this process with each file's result as
    it is done (a cached one as it is read), in the order they come: work on a
    result there -- rendering it, say -- shares the time of a parallel run instead
    of following it.  ``follow_symlinks`` reads files that symlinks lead to outside the
    linted tree (by default each is one E012 finding, see :func:`collect_files`).
    """
    from .config.resolve import Resolver

    if resolver is None:
        resolver = Resolver(base=config or Config(), isolated=True)
    refused: dict[str, LoadError] = {}
    result = RunResult()
    files = collect_files(paths, resolver=resolver, force_exclude=force_exclude, follow_symlinks=follow_symlinks,
                          refused=refused, not_honoured=result.not_honoured)
    configs = [resolver.for_path(f) for f in files]
    if getattr(resolver, "pinned", False):
        result.not_honoured[:0] = _tree_configs(files, resolver)
    # plugin/registry problems of every configuration in play (the cwd's when there is no file)
    distinct = {id(c): c for c in configs}.values() if configs else [resolver.for_path(os.getcwd())]
    for cfg in distinct:
        result.problems.extend(p for p in registry(cfg).problems if p not in result.problems)
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
    if use_cache:
        from .run.cache import Cache, cache_dir_for, config_fingerprint, file_digest

        caches: dict[str, Cache] = {}
        fingerprints: dict[int, str] = {}
        for i, (path, cfg) in enumerate(zip(files, configs)):
            if results[i] is not None:
                continue
            digest = file_digest(path)
            if digest is None:
                continue
            if id(cfg) not in fingerprints:
                fingerprints[id(cfg)] = config_fingerprint(cfg, registry(cfg))
            directory = cache_dir_for(cfg)
            cache = caches.setdefault(directory, Cache(directory))
            key = Cache.key(path, digest, fingerprints[id(cfg)])
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
        _lint_parallel(todo, files, configs, workers, finish)
    for i in todo:
        if results[i] is None:
            finish(i, lint_bounded(files[i], configs[i]))
    if use_cache:
        for cache in caches.values():
            cache.prune()  # bounded: the oldest entries beyond MAX_ENTRIES go
    result.files = [r for r in results if r is not None]
    return result
