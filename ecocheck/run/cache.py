"""Result cache: an unchanged file under an unchanged configuration is not linted again.

An entry is keyed by the SHA-256 of the file's bytes, the path as given, the
effective configuration, the registered rules (code, name, source, severity),
the installed plugins, the extra rule packs' files, ecocheck's version, a
stamp of ecocheck's own files (their contents, so an edited checkout never
serves stale results, while a fresh install of the same version -- every CI
run -- keeps the key), and Python's and the dependencies' versions.  Entries
live in ``.ecocheck_cache/`` at the root of the Git repository that holds the
linted file, or, outside a repository, in the project's folder of the user
cache directory (``results/<digest of the config file's directory, else the
current one>``), so no folder a writer lints from gets littered; each is one
small file written atomically.  Results of unreadable files are never cached.
:func:`clean` removes caches ecocheck made (``ecocheck clean``).

The cache directory can lie in the linted tree, so a pull request can plant
entries in it.  Every entry is therefore authenticated: its first line is an
HMAC-SHA256 of the rest under a secret kept outside the tree --
``$ECOCHECK_CACHE_KEY`` when set (CI: a repository secret, so runs can share
the cache; forks do not get it and simply miss), else a random key made once
per user in the user cache directory (``ecocheck/usercache.py``).  An entry
that fails the check, is larger than :data:`MAX_ENTRY_BYTES`, is not a regular
file, or does not have the exact shape of a result (every field's type
checked) is a miss.  A cache directory, or a folder in it, that is a symlink
disables the cache (no reading or writing through a link out of the tree).
At most :data:`MAX_ENTRIES` entries are kept: a run that wrote entries removes
the oldest beyond that.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import re
from functools import lru_cache
from typing import Any

from ..errors import LoadError
from ..fileio import write_atomic
from ..inputs import read_regular
from ..model import FileResult, Finding, Fix, Severity
from ..resources import package_dir
from ..config.discover import repository_root
from ..config.settings import Config
from ..engine.packs import MAX_PACK_BYTES, pack_files

CACHE_DIR = ".ecocheck_cache"
_SCHEMA = 2
_LAYOUT = "v2"  # the entries' folder: v1 entries (unauthenticated) are never read
#: an entry larger than this is not read (a report's findings take a few KiB)
MAX_ENTRY_BYTES = 16 * 1024 * 1024
#: entries kept in one cache directory
MAX_ENTRIES = 20_000
KEY_ENV = "ECOCHECK_CACHE_KEY"
_KEY_FILE = "result-cache.key"
#: Config fields that never change one file's findings
_NOT_KEYED = {"origins", "fail_on", "exclude", "baseline"}  # the baseline filters after the cache


#: the folder of the user cache directory that holds the result caches of projects outside a repository
RESULTS_DIR = "results"
#: what marks a folder as a result cache ecocheck made (CACHEDIR.TAG, https://bford.info/cachedir/):
#: ``ecocheck clean`` removes nothing else
TAG_NAME = "CACHEDIR.TAG"
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by ecocheck.\n")


def project_anchor(config: Config, path: str | None = None) -> str:
    """The directory a project outside a repository is known by: the config file's (not a policy
    file's, which lies outside the tree), else ``path``'s when it is a directory, else the current one."""
    if config.path and not config.policy:
        return os.path.dirname(os.path.abspath(config.path))
    if path and os.path.isdir(path):
        return os.path.abspath(path)
    return os.getcwd()


def user_results_dir(anchor: str, honour_switch: bool = True) -> str | None:
    """The result cache of the project known by ``anchor`` in the user cache directory, named by a
    digest of its real path (two projects never share one); None without a user cache directory."""
    from .. import usercache

    base = usercache.cache_dir(honour_switch)
    if base is None:
        return None
    digest = hashlib.sha256(os.path.realpath(anchor).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return os.path.join(str(base), RESULTS_DIR, digest)


def cache_dir_for(config: Config, path: str | None = None, memo: dict[str, str | None] | None = None) -> str | None:
    """Where the results of linting ``path`` under ``config`` are cached: ``.ecocheck_cache/`` at the
    root of the Git repository holding the file (the config file when no path is given), else the
    project's folder in the user cache directory; None: nowhere (no user cache directory)."""
    if path is not None:
        start = os.path.dirname(os.path.abspath(path))
    elif config.path and not config.policy:
        start = os.path.dirname(os.path.abspath(config.path))
    else:
        start = os.getcwd()
    root = repository_root(start, memo)
    if root is not None:
        return os.path.join(root, CACHE_DIR)
    return user_results_dir(project_anchor(config))


#: content digests of installed files by (path, size, mtime): a warm run stats them, a fresh
#: install (new mtimes) hashes them again and gets the same stamp
_DIGESTS = None


def _file_digest_memo(full: str, st: os.stat_result) -> str | None:
    global _DIGESTS
    if _DIGESTS is None:
        from .. import usercache

        _DIGESTS = usercache.Store("installed-digests.marshal", "1", max_entries=8192)
    memo = (full, st.st_size, st.st_mtime_ns)
    saved = _DIGESTS.get(memo)
    if isinstance(saved, str):
        return saved
    try:
        with open(full, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None
    _DIGESTS.put(memo, digest)
    return digest


def _tree_stamp(h, root: str) -> None:
    """Names relative to ``root`` and contents: neither where the package is installed nor when."""
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".yaml", ".yml", ".lark", ".json")):
                full = os.path.join(dirpath, name)
                try:
                    st = os.stat(full)
                except OSError:
                    continue
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                h.update(f"{rel}\0{_file_digest_memo(full, st)}\n".encode("utf-8", "surrogateescape"))


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """A digest of ecocheck's own installed files (names and contents)."""
    import ecocheck

    h = hashlib.sha256(ecocheck.__version__.encode())
    roots = [os.path.dirname(ecocheck.__file__)]
    for pkg in ("ecocheck.packs", "ecocheck.grammars"):
        try:
            roots.append(str(package_dir(pkg)))
        except Exception:  # noqa: BLE001 - a missing resource package only weakens the stamp
            pass
    for root in roots:
        _tree_stamp(h, root)
    return h.hexdigest()


#: distributions whose code can change a file's findings (the loaders', outline's and rules' dependencies)
DEPENDENCIES = ("lark", "pyyaml", "python_docx", "lxml", "pathspec", "pluggy")


@lru_cache(maxsize=1)
def dependency_stamp() -> str:
    """Python's version and the installed versions of :data:`DEPENDENCIES`, from the names of
    their ``*.dist-info`` directories (a listing per ``sys.path`` entry; ``importlib.metadata``
    costs far more): upgrading lxml or lark can change findings, so it changes the key."""
    import sys

    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                dist, _, version = name[:-len(".dist-info")].partition("-")
                if dist.lower().replace("-", "_").replace(".", "_") in DEPENDENCIES:
                    found.append(f"{dist.lower()}={version}")
    python = f"{sys.implementation.name}-{'.'.join(map(str, sys.version_info[:3]))}"
    return f"{python}|{','.join(sorted(set(found)))}"


@lru_cache(maxsize=1)
def plugin_stamp() -> str:
    """Installed plugins: names, versions, and their files (an editable plugin changes without a new version)."""
    import importlib.util

    from ..plugin.discovery import entry_points

    h = hashlib.sha256()
    for ep in sorted(entry_points("ecocheck"), key=lambda e: (e.name, e.value)):
        h.update(f"{ep.name}={ep.value}@{ep.dist or ''}-{ep.version or ''}\n".encode())
        top = ep.value.split(":")[0].split(".")[0]
        if top == "ecocheck":
            continue  # covered by code_stamp
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.origin and os.path.isfile(spec.origin):
            root = os.path.dirname(spec.origin) if spec.submodule_search_locations else None
            if root:
                _tree_stamp(h, root)
            else:
                _tree_stamp_file(h, spec.origin)
    return h.hexdigest()


def _tree_stamp_file(h, path: str) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return
    h.update(f"{os.path.basename(path)}\0{_file_digest_memo(path, st)}\n".encode("utf-8", "surrogateescape"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Severity):
        return value.label
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def config_fingerprint(config: Config, registry=None) -> str:
    """A digest of everything besides the file's bytes that can change its findings."""
    cfg = {f.name: _jsonable(getattr(config, f.name)) for f in dataclasses.fields(config) if f.name not in _NOT_KEYED}
    rules = []
    if registry is not None:
        rules = [(r.code, r.name, r.source, r.severity.label, _jsonable(getattr(r, "options", {})))
                 for r in registry.sorted()]
    packs = []
    for d in config.pack_dirs:
        for full in pack_files(d):  # what the registry reads, no more (not a walk of /dev)
            try:
                packs.append((full, hashlib.sha256(read_regular(full, MAX_PACK_BYTES)).hexdigest()))
            except LoadError:
                packs.append((full, "?"))
    payload = {"schema": _SCHEMA, "code": code_stamp(), "plugins": plugin_stamp(), "deps": dependency_stamp(),
               "config": cfg,
               "rules": rules, "packs": packs, "finding": [f.name for f in dataclasses.fields(Finding)]}
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=repr)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


#: a file larger than this is linted without the cache (the loaders refuse far smaller ones)
MAX_DIGEST_BYTES = 1 << 30


def file_digest(path: str) -> str | None:
    """SHA-256 of a regular file's bytes; None (no caching: the loader reports why) for a FIFO,
    a device, a file that cannot be read or one over :data:`MAX_DIGEST_BYTES`."""
    from ..inputs import chunks

    h = hashlib.sha256()
    try:
        for chunk in chunks(path, MAX_DIGEST_BYTES):
            h.update(chunk)
    except LoadError:
        return None
    return h.hexdigest()


def _finding_to_json(f: Finding) -> dict:
    out = {}
    for fld in dataclasses.fields(Finding):
        v = getattr(f, fld.name)
        if isinstance(v, Severity):
            v = v.label
        elif isinstance(v, Fix):
            v = {"replacement": v.replacement, "title": v.title, "safe": v.safe}
        out[fld.name] = v
    return out


_FIELD_TYPES = {"code": str, "name": str, "message": str, "path": str, "line": int, "column": int,
                "end_line": int, "end_column": int, "text": str, "excerpt": str, "section": str,
                "suggestion": (str, type(None)), "paragraph": (int, type(None)), "start": int, "end": int,
                "source": str}


def _finding_from_json(d: Any) -> Finding:
    """A Finding from an entry's data, every field's type checked (ValueError otherwise)."""
    if not isinstance(d, dict):
        raise ValueError("not a finding")
    names = {f.name for f in dataclasses.fields(Finding)}
    if set(d) != names:
        raise ValueError("fields")
    d = dict(d)
    for name, kind in _FIELD_TYPES.items():
        if name in d and (not isinstance(d[name], kind) or isinstance(d[name], bool)):
            raise ValueError(name)
    if not isinstance(d["severity"], str):
        raise ValueError("severity")
    d["severity"] = Severity.parse(d["severity"])
    fix = d.get("fix")
    if fix is not None:
        if not (isinstance(fix, dict) and set(fix) == {"replacement", "title", "safe"}
                and isinstance(fix["replacement"], str) and isinstance(fix["title"], (str, type(None)))
                and isinstance(fix["safe"], bool)):
            raise ValueError("fix")
        d["fix"] = Fix(**fix)
    cell = d.get("cell")
    if cell is not None:
        if not (isinstance(cell, list) and len(cell) == 3
                and all(isinstance(n, int) and not isinstance(n, bool) for n in cell)):
            raise ValueError("cell")
        d["cell"] = tuple(cell)
    return Finding(**d)


def _secret() -> bytes | None:
    """The key that authenticates entries: ``$ECOCHECK_CACHE_KEY``, else this user's own random key
    (made on first use, 0600, in the user cache directory); None: no key, no cache."""
    env = os.environ.get(KEY_ENV)
    if env:
        return hashlib.sha256(env.encode("utf-8", "surrogateescape")).digest()
    from .. import usercache

    directory = usercache.cache_dir()
    if directory is None:
        return None
    path = directory / _KEY_FILE
    key = usercache.read(path)
    if key is not None and len(key) == 32:
        return key
    usercache.write(path, os.urandom(32))
    key = usercache.read(path)  # what was written (another process may have won the race)
    return key if key is not None and len(key) == 32 else None


class Cache:
    """One cache directory.  ``get``/``put`` by (path, file digest, config fingerprint)."""

    def __init__(self, directory: str):
        self.directory = directory
        self._secret: bytes | None = None
        self.disabled = self._linked()
        self.written = 0

    def _entry(self, key: str) -> str:
        return os.path.join(self.directory, _LAYOUT, key[:2], f"{key}.json")

    def _linked(self) -> bool:
        """Whether the cache directory or a folder in it is a symlink (then the cache is off)."""
        here = self.directory
        for part in ("", _LAYOUT):
            here = os.path.join(here, part) if part else here
            if os.path.islink(here):
                return True
        return False

    def _key(self) -> bytes | None:
        if self._secret is None:
            self._secret = _secret() or b""
        return self._secret or None

    def _mac(self, payload: bytes) -> str | None:
        secret = self._key()
        return hmac.new(secret, payload, hashlib.sha256).hexdigest() if secret else None

    @staticmethod
    def key(path: str, digest: str, fingerprint: str) -> str:
        return hashlib.sha256(f"{fingerprint}\0{path}\0{digest}".encode("utf-8", "surrogateescape")).hexdigest()

    def get(self, key: str) -> FileResult | None:
        if self.disabled:
            return None
        entry = self._entry(key)
        try:
            if os.path.islink(os.path.dirname(entry)):
                return None
            raw = read_regular(entry, MAX_ENTRY_BYTES)
            mac, _, payload = raw.partition(b"\n")
            expected = self._mac(payload)
            if expected is None or not hmac.compare_digest(mac, expected.encode()):
                return None  # forged, damaged, or written under another key
            data = json.loads(payload)
            if not isinstance(data, dict) or data.get("key") != key:
                return None
            path, genre, findings = data["path"], data["genre"], data["findings"]
            if not isinstance(path, str) or not isinstance(genre, (str, type(None))) \
                    or not isinstance(findings, list):
                return None
            return FileResult(path=path, genre=genre, findings=[_finding_from_json(x) for x in findings])
        except (LoadError, OSError, ValueError, KeyError, TypeError, RecursionError):
            return None  # missing, corrupt or malformed: a miss, never an error

    def put(self, key: str, result: FileResult) -> None:
        if self.disabled or result.error:
            return
        data = {"key": key, "path": result.path, "genre": result.genre,
                "findings": [_finding_to_json(f) for f in result.findings]}
        # ASCII: a file name that is not UTF-8 (lone surrogates) is escaped, and read back as it was
        payload = json.dumps(data, separators=(",", ":")).encode("ascii")
        mac = self._mac(payload)
        if mac is None:
            self.disabled = True  # no key to sign with: lint without caching
            return
        try:
            self._prepare()
            entry = self._entry(key)
            if os.path.islink(os.path.dirname(entry)):
                self.disabled = True
                return
            write_atomic(entry, mac.encode() + b"\n" + payload)
            self.written += 1
        except OSError:
            self.disabled = True  # a read-only checkout: lint without caching

    def prune(self, keep: int = MAX_ENTRIES) -> int:
        """Remove the oldest entries beyond ``keep`` (down to 90% of it); return how many went.
        Called after a run that wrote entries, so the directory cannot grow without bound."""
        if self.disabled or not self.written:
            return 0
        layout = os.path.join(self.directory, _LAYOUT)
        entries = []
        try:
            for sub in os.scandir(layout):
                if sub.is_dir(follow_symlinks=False):
                    for e in os.scandir(sub.path):
                        if e.is_file(follow_symlinks=False):
                            entries.append((e.stat(follow_symlinks=False).st_mtime_ns, e.path))
        except OSError:
            return 0
        if len(entries) <= keep:
            return 0
        entries.sort()
        gone = 0
        for _mtime, path in entries[:len(entries) - keep * 9 // 10]:
            try:
                os.unlink(path)
                gone += 1
            except OSError:
                pass
        return gone

    def _prepare(self) -> None:
        if os.path.isdir(self.directory):
            return
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        # keep the cache out of git and of backups, as ruff and pytest do; the tag also tells
        # ``ecocheck clean`` that ecocheck made this folder
        write_atomic(os.path.join(self.directory, ".gitignore"), "# Created by ecocheck\n*\n")
        write_atomic(os.path.join(self.directory, TAG_NAME), TAG_TEXT)


# -- ecocheck clean ------------------------------------------------------------------------------

#: the names a result cache holds: its tag and .gitignore, the layout folders, two-hex-digit
#: folders, entries, and write_atomic's temporary files of any of them
_TOP_FILES = re.compile(r"(?:\.gitignore|CACHEDIR\.TAG)|\.(?:\.gitignore|CACHEDIR\.TAG)\.\w+\.tmp")
_LAYOUTS = ("v1", _LAYOUT)
_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY_FILE = re.compile(r"[0-9a-f]{64}\.json|\.[0-9a-f]{64}\.json\.\w+\.tmp")


@dataclasses.dataclass
class Cleaned:
    """What :func:`clean` did with one cache folder."""

    directory: str
    entries: int = 0  # cache entries removed
    kept: list[str] = dataclasses.field(default_factory=list)  # what is not ecocheck's, left in place
    removed: bool = False  # the folder itself is gone
    ours: bool = True  # False: no tag of ecocheck's, nothing was touched


def is_result_cache(directory: str) -> bool:
    """A real folder (not a link) holding the tag ecocheck writes, as a regular file with its exact text."""
    tag = os.path.join(directory, TAG_NAME)
    try:
        if os.path.islink(directory) or not os.path.isdir(directory) or os.path.islink(tag):
            return False
        return read_regular(tag, 4096) == TAG_TEXT.encode()
    except (LoadError, OSError):
        return False


def _remove_tree(directory: str, out: Cleaned) -> None:
    """Remove what ecocheck writes in a result cache, by name, never following a link (a link
    or an unknown name is kept and listed), then the folders left empty."""

    def scan(path: str) -> list[os.DirEntry]:
        try:
            with os.scandir(path) as it:
                return list(it)
        except OSError:
            out.kept.append(path)
            return []

    tops = scan(directory)
    for layout in tops:
        if layout.name in _LAYOUTS and layout.is_dir(follow_symlinks=False):
            for shard in scan(layout.path):
                if not (_SHARD.fullmatch(shard.name) and shard.is_dir(follow_symlinks=False)):
                    out.kept.append(shard.path)
                    continue
                for entry in scan(shard.path):
                    if _ENTRY_FILE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                        try:
                            os.unlink(entry.path)
                            out.entries += 1
                        except OSError:
                            out.kept.append(entry.path)
                    else:
                        out.kept.append(entry.path)
                _rmdir(shard.path)
            _rmdir(layout.path)
        elif not (_TOP_FILES.fullmatch(layout.name) and layout.is_file(follow_symlinks=False)):
            out.kept.append(layout.path)
    if out.kept:
        return  # the tag stays with what is left: the folder is still marked as ecocheck's
    for name in (".gitignore", *(e.name for e in tops if e.name.endswith(".tmp")), TAG_NAME):
        try:
            os.unlink(os.path.join(directory, name))
        except OSError:
            pass
    out.removed = _rmdir(directory)


def _rmdir(path: str) -> bool:
    try:
        os.rmdir(path)
        return True
    except OSError:
        return False


def _cache_dirs_below(root: str) -> list[str]:
    """``.ecocheck_cache`` folders under ``root`` (what earlier versions left next to config files
    and in working directories), without entering links, ``.git`` or the caches themselves."""
    found = []
    for dirpath, dirs, _files in os.walk(root):  # os.walk follows no directory links
        if CACHE_DIR in dirs:
            found.append(os.path.join(dirpath, CACHE_DIR))
        dirs[:] = [d for d in dirs if d not in (CACHE_DIR, ".git")]
    return found


def cache_dirs(path: str, everything: bool = False) -> list[str]:
    """The result caches of the project at ``path``: ``.ecocheck_cache/`` at its repository root,
    or its folder in the user cache directory; the ``.ecocheck_cache`` folders below ``path``;
    with ``everything``, every project's folder in the user cache directory.  Only folders that
    exist; whether each is ecocheck's is for :func:`clean` to check."""
    from ..config.discover import find_config_file

    path = os.path.abspath(path)
    found: list[str] = []
    root = repository_root(path if os.path.isdir(path) else os.path.dirname(path))
    if root is not None:
        found.append(os.path.join(root, CACHE_DIR))
    else:
        config = find_config_file(path)
        anchor = os.path.dirname(config) if config else (path if os.path.isdir(path) else os.path.dirname(path))
        mine = user_results_dir(anchor, honour_switch=False)
        if mine is not None:
            found.append(mine)
    if os.path.isdir(path):
        found += _cache_dirs_below(path)
    if everything:
        from .. import usercache

        base = usercache.cache_dir(honour_switch=False)
        results = os.path.join(str(base), RESULTS_DIR) if base is not None else None
        if results is not None and os.path.isdir(results) and not os.path.islink(results):
            found += sorted(e.path for e in os.scandir(results) if e.is_dir(follow_symlinks=False))
    return [d for d in dict.fromkeys(found) if os.path.lexists(d)]


def clean(path: str, everything: bool = False) -> list[Cleaned]:
    """Remove the result caches :func:`cache_dirs` names that ecocheck made (those with its tag):
    their entries, tags and folders, nothing else and never through a link."""
    out = []
    for directory in cache_dirs(path, everything):
        if is_result_cache(directory):
            done = Cleaned(directory)
            _remove_tree(directory, done)
            out.append(done)
        else:
            out.append(Cleaned(directory, ours=False))
    return out
