"""The per-user cache directory: work a run can skip when an earlier run already did it.

Everything here is an optimisation and nothing more.  Files live in
``$XDG_CACHE_HOME/ecocheck`` (a relative value is ignored, as the XDG spec says) or
``~/.cache/ecocheck``; they are written atomically with mode 0600, read only when this
user owns them and nobody else may write them, and any problem -- missing, corrupt,
stale, unwritable directory, no home directory -- means doing the work as if there were
no cache.  Users can delete the directory at any time.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/ecocheck``, else ``~/.cache/ecocheck``; None without a home directory."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
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
