"""A memory budget per document: an address-space limit while one file is linted, fixed or annotated.

The loaders' limits bound bytes (part sizes, entry counts, the compression ratio), but a .docx
inside every one of them can still take gigabytes once parsed: lxml trees, paragraphs, runs and
findings weigh some 25 times the XML.  So while one file is worked on, the process's soft
``RLIMIT_AS`` is its current size plus ``limits.max-memory-mib`` (default
:class:`ecocheck.limits.Limits`); an allocation beyond it raises MemoryError, which the caller turns
into one E009 finding for that file, and the limit is put back afterwards.  Forked workers
(``-j``) do the same per file, so a worker is never killed by the kernel's OOM killer first.

Linux only (the size comes from ``/proc/self/statm``); elsewhere it does nothing.  The hard
limit is never touched, so the soft one can always be restored.
"""

from __future__ import annotations

import os
from contextlib import contextmanager


def _current_bytes() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def memory_budget(mib: int | None):
    """Within the block, at most ``mib`` MiB more address space than the process has now."""
    try:
        import resource
    except ImportError:  # not POSIX
        yield
        return
    now = _current_bytes()
    if not mib or now is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = now + mib * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already tighter (a caller's own limit): leave it
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
