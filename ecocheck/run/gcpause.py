"""CPython's cyclic garbage collector paused while one file is linted.

Linting a file allocates hundreds of thousands of small objects that live until the file is
done (paragraphs, runs, outline nodes, findings) and almost no cyclic garbage.  Every full
collection re-scans all of them, so on a large document the collector's share grows faster
than the text (bench/RESULTS.md).  Refcounting still frees
everything acyclic at once; the few cycles (outline parent links) are collected after the
file, when the collector runs again.  Nothing is paused if the caller already disabled it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
