"""Atomic file writes: a temporary file in the target's directory, then os.replace.

Readers never see a half-written report, baseline or cache entry, and an
interrupted run leaves the previous file intact.
"""

from __future__ import annotations

import os
import tempfile


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str, data: str | bytes, *, mode: int | None = None) -> None:
    """Write ``data`` (text as UTF-8 with \\n newlines, or bytes) to ``path`` atomically."""
    target = os.path.abspath(path)
    directory = os.path.dirname(target)
    os.makedirs(directory, exist_ok=True)
    if mode is None:
        try:
            mode = os.stat(target).st_mode & 0o777
        except OSError:
            mode = _default_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
