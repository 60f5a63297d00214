"""Result cache: an unchanged file under an unchanged configuration is not linted again.

An entry is keyed by the SHA-256 of the file's bytes, the path as given, the
effective configuration, the registered rules (code, name, source, severity),
the installed plugins, the extra rule packs' files, ecocheck's version and a
stamp of ecocheck's own files (so an edited checkout never serves stale
results).  Entries live in ``.ecocheck_cache/`` next to the config file, or in
the current directory when there is none; each is one small JSON file written
atomically.  A corrupt or unreadable entry is ignored (and overwritten); an
unwritable cache directory only disables caching.  Results of unreadable
files are never cached.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import lru_cache
from typing import Any

from ..errors import LoadError
from ..fileio import write_atomic
from ..inputs import read_regular
from ..model import FileResult, Finding, Fix, Severity
from ..resources import package_dir
from ..config.settings import Config
from ..engine.packs import MAX_PACK_BYTES, pack_files

CACHE_DIR = ".ecocheck_cache"
_SCHEMA = 1
#: Config fields that never change one file's findings
_NOT_KEYED = {"origins", "fail_on", "exclude"}


def cache_dir_for(config: Config) -> str:
    base = os.path.dirname(os.path.abspath(config.path)) if config.path else os.getcwd()
    return os.path.join(base, CACHE_DIR)


def _tree_stamp(h, root: str) -> None:
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".yaml", ".yml", ".lark", ".json")):
                full = os.path.join(dirpath, name)
                try:
                    st = os.stat(full)
                except OSError:
                    continue
                h.update(f"{full}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """A digest of ecocheck's own installed files (names, sizes, mtimes)."""
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
    return f"{sys.version}|{','.join(sorted(set(found)))}"


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
    h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


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


def _finding_from_json(d: dict) -> Finding:
    d = dict(d)
    d["severity"] = Severity.parse(d["severity"])
    if d.get("fix") is not None:
        d["fix"] = Fix(**d["fix"])
    if d.get("cell") is not None:
        d["cell"] = tuple(d["cell"])
    return Finding(**d)


class Cache:
    """One cache directory.  ``get``/``put`` by (path, file digest, config fingerprint)."""

    def __init__(self, directory: str):
        self.directory = directory
        self.disabled = False

    def _entry(self, key: str) -> str:
        return os.path.join(self.directory, "v1", key[:2], f"{key}.json")

    @staticmethod
    def key(path: str, digest: str, fingerprint: str) -> str:
        return hashlib.sha256(f"{fingerprint}\0{path}\0{digest}".encode("utf-8", "surrogateescape")).hexdigest()

    def get(self, key: str) -> FileResult | None:
        try:
            with open(self._entry(key), encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("key") != key:
                raise ValueError("key mismatch")
            result = FileResult(path=data["path"], genre=data["genre"],
                                findings=[_finding_from_json(x) for x in data["findings"]])
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a corrupt entry is a miss, never an error
            return None
        return result

    def put(self, key: str, result: FileResult) -> None:
        if self.disabled or result.error:
            return
        data = {"key": key, "path": result.path, "genre": result.genre,
                "findings": [_finding_to_json(f) for f in result.findings]}
        try:
            self._prepare()
            # ASCII: a file name that is not UTF-8 (lone surrogates) is escaped, and read back as it was
            write_atomic(self._entry(key), json.dumps(data, separators=(",", ":")))
        except OSError:
            self.disabled = True  # a read-only checkout: lint without caching

    def _prepare(self) -> None:
        if os.path.isdir(self.directory):
            return
        os.makedirs(self.directory, exist_ok=True)
        # keep the cache out of git and of backups, as ruff and pytest do
        write_atomic(os.path.join(self.directory, ".gitignore"), "# Created by ecocheck\n*\n")
        write_atomic(os.path.join(self.directory, "CACHEDIR.TAG"),
                     "Signature: 8a477f597d28d172789f06886806bc55\n"
                     "# This file is a cache directory tag created by ecocheck.\n")
