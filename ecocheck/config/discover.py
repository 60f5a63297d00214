"""Finding config files and the files a run skips: the nearest config file above a path,
``.ecocheckignore`` files, the ``exclude`` and ``per-file-ignores`` patterns (gitignore syntax)."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

from ..errors import E_CONFIG, ConfigError
from .read import read_bounded
from .settings import Config


CONFIG_NAMES = ("ecocheck.yaml", ".ecocheck.yaml", "pyproject.toml")

IGNORE_FILE = ".ecocheckignore"


def find_config_file(start: str, cache: dict[str, str | None] | None = None) -> str | None:
    """The nearest config file at or above ``start`` (a file or a directory).

    ``cache`` (directory -> result) saves repeated look-ups within one run.
    """
    d = os.path.abspath(start)
    if not os.path.isdir(d):
        d = os.path.dirname(d)
    return _nearest_up(d, _config_in, {} if cache is None else cache)


def repository_root(start: str, memo: dict[str, str | None] | None = None) -> str | None:
    """The nearest directory at or above ``start`` holding ``.git`` (a folder, or a file in a
    worktree or submodule), or None.  ``memo`` (directory -> result) saves repeated walks."""
    return _nearest_up(os.path.abspath(start), _git_marker, {} if memo is None else memo)


def _git_marker(d: str) -> str | None:
    return d if os.path.lexists(os.path.join(d, ".git")) else None


def _nearest_up(d: str, probe, memo: dict[str, str | None]) -> str | None:
    """``probe(d)`` of the nearest directory at or above ``d`` where it is not None; every directory
    walked is remembered in ``memo`` with the answer."""
    walked = []
    found = None
    while True:
        if d in memo:
            found = memo[d]
            break
        walked.append(d)
        found = probe(d)
        if found is not None:
            break
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    for w in walked:
        memo[w] = found
    return found


def _config_in(d: str) -> str | None:
    for name in CONFIG_NAMES:
        candidate = os.path.join(d, name)
        if os.path.isfile(candidate):
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(path: str) -> bool:
    try:
        text = read_bounded(path).decode("utf-8-sig", errors="replace")
    except ConfigError:
        return True  # read it as a config: the error is reported there
    return re.search(r"^\s*\[\s*tool\s*\.\s*ecocheck\s*[\].]", text, re.M) is not None


@lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _relative(path: str, base: str, is_dir: bool = False) -> str | None:
    rel = os.path.relpath(os.path.abspath(path), base)
    if rel == "." or rel.startswith(".." + os.sep) or rel == "..":
        return None
    rel = rel.replace(os.sep, "/")
    return rel + "/" if is_dir else rel


def matches_patterns(patterns: list[str] | tuple[str, ...], path: str, base: str, is_dir: bool = False) -> bool:
    rel = _relative(path, base, is_dir)
    if rel is None or not patterns:
        return False
    return _spec(tuple(patterns)).match_file(rel)


def is_excluded(config: Config, path: str, is_dir: bool = False) -> bool:
    if not config.exclude:
        return False
    base = os.path.dirname(config.path) if config.path else os.getcwd()
    return matches_patterns(config.exclude, path, base, is_dir)


#: What a repository says about itself (README.md, CHANGELOG.md, LICENSE.txt…), by the file
#: name's part before its first dot, any case: not reports, and report rules on them are noise (a
#: README quoting the placeholders it warns about, "missing" 基本情况 sections).  Ignored unless an
#: ``.ecocheckignore`` says otherwise (``!README.md``).
REPOSITORY_DOCS = frozenset({"readme", "changelog", "changes", "history", "news", "contributing", "license",
                             "licence", "copying", "notice", "authors", "code_of_conduct", "security"})


def is_repository_doc(path: str) -> bool:
    """True for README.md, README.zh-CN.md, CHANGELOG.md, LICENSE.txt and the like."""
    return os.path.basename(path).split(".", 1)[0].lower() in REPOSITORY_DOCS


class IgnoreFiles:
    """``.ecocheckignore`` files (gitignore syntax) in a directory and its ancestors.

    Ancestors are searched up to the first directory holding ``.git`` (the
    repository root) or the filesystem root.  A deeper file overrides a
    shallower one, as with ``.gitignore``.  Where none decides, the repository's
    own documents (:data:`REPOSITORY_DOCS`) are ignored.
    """

    def __init__(self, honoured: bool = True):
        self._cache: dict[str, list[tuple[str, Any]]] = {}
        self.honoured = honoured
        #: ignore files found but not applied (``honoured=False``: a pinned configuration)
        self.not_honoured: list[str] = []

    def _chain(self, d: str) -> list[tuple[str, Any]]:
        if d in self._cache:
            return self._cache[d]
        chain: list[tuple[str, Any]] = []
        parent = os.path.dirname(d)
        if parent != d and not os.path.isdir(os.path.join(d, ".git")):
            chain = list(self._chain(parent))
        ignore_path = os.path.join(d, IGNORE_FILE)
        if not self.honoured:
            if os.path.lexists(ignore_path):
                self.not_honoured.append(ignore_path)
        elif os.path.isfile(ignore_path):
            try:
                lines = read_bounded(ignore_path).decode("utf-8-sig").splitlines()
            except UnicodeDecodeError as exc:
                raise ConfigError(E_CONFIG, f"无法读取 {IGNORE_FILE}：{exc}", ignore_path) from None
            chain.append((d, _spec(tuple(lines))))
        self._cache[d] = chain
        return chain

    def ignored(self, path: str, is_dir: bool = False) -> bool:
        path = os.path.abspath(path)
        for base, spec in reversed(self._chain(os.path.dirname(path))):
            rel = _relative(path, base, is_dir)
            if rel is None:
                continue
            res = spec.check_file(rel)
            if res.include is not None:
                return bool(res.include)
        return not is_dir and is_repository_doc(path)
