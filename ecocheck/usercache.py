"""The per-user cache directory: work a run can skip when an earlier run already did it.

Everything here is an optimisation and nothing more.  Files live in
``$XDG_CACHE_HOME/ecocheck`` (a relative value is ignored, as the XDG spec says), on Windows
``%LOCALAPPDATA%\\ecocheck``, or ``~/.cache/ecocheck``; the result caches of projects outside a
Git repository live in its ``results/`` folder (:mod:`ecocheck.run.cache`); they are written atomically with mode 0600, read only when this
user owns them and nobody else may write them, and any problem -- missing, corrupt,
stale, unwritable directory, no home directory -- means doing the work as if there were
no cache.  Users can delete the directory at any time.

``ECOCHECK_NO_CACHE`` (set to anything but an empty string) is the one switch that turns every
cache off: these user caches and the result caches (:func:`disabled`).
"""

from __future__ import annotations

import os
from pathlib import Path


#: where the user cache directory follows Windows' conventions (%LOCALAPPDATA%)
WINDOWS = os.name == "nt"

#: the environment variable that turns every cache off
NO_CACHE_ENV = "ECOCHECK_NO_CACHE"


def disabled() -> bool:
    """Whether ``ECOCHECK_NO_CACHE`` turns every cache off."""
    return bool(os.environ.get(NO_CACHE_ENV))


def cache_dir(honour_switch: bool = True) -> Path | None:
    """``$XDG_CACHE_HOME/ecocheck``, else ``%LOCALAPPDATA%\\ecocheck`` on Windows, else
    ``~/.cache/ecocheck``; None without a home directory or when caches are off (:func:`disabled`;
    ``honour_switch=False`` for ``ecocheck clean``, which must find what earlier runs wrote)."""
    if honour_switch and disabled():
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base) and WINDOWS:
        base = os.environ.get("LOCALAPPDATA", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, "AppData", "Local") if WINDOWS else os.path.join(home, ".cache")
    return Path(base) / "ecocheck"


def trusted(path: Path) -> bool:
    """Ours alone: cached files are loaded as data structures (some unpickled), so never one
    that someone else could have written.  Raises OSError when the file is missing."""
    st = path.stat()
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


def read(path: Path) -> bytes | None:
    """The bytes of a cache file, or None when it is missing, unreadable or not trusted."""
    try:
        if trusted(path):
            return path.read_bytes()
    except OSError:
        pass
    return None


def write(path: Path, data: bytes) -> None:
    """Save a cache file (atomically, 0600); failing silently: a read-only or full disk only
    costs the next run the work."""
    try:
        from .fileio import write_atomic

        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(str(path), data, mode=0o600)
    except OSError:
        pass


class Store:
    """Many small values (``marshal``-able: str, int, list, dict, tuple…) in one cache file.

    The file is read on the first :meth:`get`; :meth:`put` adds to it in memory, and the file
    is written once, when the process exits, if anything was added.  ``version`` (what makes
    saved values unusable: the Python version, a format number) is stored with the values and
    a file with another one is ignored.  ``valid(key, value)`` vets every value read back.
    Over ``max_entries``, the file keeps only the entries this process used.
    """

    def __init__(self, file_name: str, version: str, valid=lambda key, value: True, max_entries: int = 4096):
        self.file_name, self.version, self.valid, self.max_entries = file_name, version, valid, max_entries
        self._entries: dict | None = None
        self._used: set = set()
        self._added = 0
        self._read_from: Path | None = None  # the file the entries came from: saved back there

    def path(self) -> Path | None:
        directory = cache_dir()
        return directory / self.file_name if directory is not None else None

    def get(self, key):
        """The saved value of ``key``, or None."""
        self._used.add(key)
        return self._load().get(key)

    def put(self, key, value) -> None:
        """Keep ``value`` for ``key`` -- unless ``marshal`` cannot hold them (then nothing happens)."""
        import marshal

        try:
            marshal.dumps((key, value))
        except ValueError:
            return
        self._used.add(key)
        if not self._added:
            import atexit

            atexit.register(self.save)
        self._load()[key] = value
        self._added += 1

    def discard(self, key) -> None:
        self._load().pop(key, None)

    def _load(self) -> dict:
        if self._entries is None:
            self._entries = {}
            path = self._read_from = self.path()
            raw = read(path) if path is not None else None
            if raw is not None:
                self._entries = self._decode(raw)
        return self._entries

    def _decode(self, raw: bytes) -> dict:
        import marshal

        try:
            version, entries = marshal.loads(raw)
        except Exception:  # noqa: BLE001 - corrupt: start afresh
            return {}
        if version != self.version or not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if self.valid(k, v)}

    def save(self) -> None:
        """Write the file if this process added entries (registered to run at exit)."""
        import marshal

        path = self._read_from or self.path()
        if not self._added or self._entries is None or path is None:
            return
        entries = self._entries
        if len(entries) > self.max_entries:
            entries = {k: entries[k] for k in self._used if k in entries}
        try:
            data = marshal.dumps((self.version, entries))
        except ValueError:  # a value marshal cannot hold: keep the file as it was
            return
        write(path, data)
        self._added = 0
