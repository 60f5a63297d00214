"""Compiled regular expressions kept across runs.

Compiling the rules' patterns is the largest single cost of ecocheck's start-up (bench/RESULTS.md),
mostly in ``re``'s pure-Python compiler turning CJK character
classes (``[\\u4e00-\\u9fff]``: 20,992 code points, visited one by one) into bitmaps.  The
result of that work is a short list of integers, the same for every run of one Python.

:func:`compile` returns exactly the pattern ``re.compile`` would, and keeps that list in
the user cache (``ecocheck/usercache.py``) so that later runs only hand it to ``_sre``,
the C engine behind ``re``.  That uses CPython internals (``re._parser``, ``re._compiler``
and ``_sre.compile``), so it is guarded three times:

* the cache file is keyed by the exact Python version and ``_sre``'s magic number;
* a pattern is only stored after the one rebuilt from the stored parts compares equal to
  ``re.compile``'s (pattern equality covers the flags and the compiled code itself);
* any failure -- internals missing or changed, a corrupt file -- falls back to
  ``re.compile``, which is always what the first run of a pattern uses.

The cache is written once, when the process exits, if new patterns were compiled.
"""

from __future__ import annotations

import re
import sys
from array import array
from typing import Any

from . import usercache

try:  # CPython's regex compiler (3.11+ names, then 3.10's)
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the Python build
    try:
        import _sre
        import sre_compile as _compiler  # type: ignore[no-redef]
        import sre_parse as _parser  # type: ignore[no-redef]
    except ImportError:
        _sre = None

FILE_NAME = "regex-code.marshal"
#: the shipped rules compile ~150 patterns; beyond this (other projects' packs, older versions)
#: the file keeps only the patterns of the run that writes it
MAX_ENTRIES = 1024


def _well_formed(key: Any, parts: Any) -> bool:
    return (isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str) and isinstance(key[1], int)
            and isinstance(parts, tuple) and len(parts) == 5 and isinstance(parts[0], int)
            and isinstance(parts[1], bytes) and isinstance(parts[2], int) and isinstance(parts[3], dict)
            and isinstance(parts[4], tuple))


#: the code words as machine integers of _sre's size: a file of bytes loads at memory speed, where
#: a list of Python ints (a CJK class is ~2,000 words) costs marshal an object per word
_WORD = next((t for t in "IL" if array(t).itemsize == getattr(_sre, "CODESIZE", 0)), None)


#: (pattern, flags) -> (flags, code, groups, groupindex, indexgroup): _sre.compile's arguments
STORE = usercache.Store(FILE_NAME, f"2|{sys.version}|{getattr(_sre, 'MAGIC', None)}|{getattr(_sre, 'CODESIZE', None)}",
                        valid=_well_formed, max_entries=MAX_ENTRIES)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # re.compile's drop-in
    """``re.compile(pattern, flags)``, served from the user cache when an earlier run compiled it."""
    flags = int(flags)
    if _sre is None or _WORD is None or not isinstance(pattern, str):
        return re.compile(pattern, flags)
    parts = STORE.get((pattern, flags))
    if parts is not None:
        final_flags, code, groups, groupindex, indexgroup = parts
        try:
            return _sre.compile(pattern, final_flags, array(_WORD, code).tolist(), groups, groupindex, indexgroup)
        except Exception:  # noqa: BLE001 - a stale or damaged entry: compile it afresh
            STORE.discard((pattern, flags))
    compiled = re.compile(pattern, flags)
    parts = _parts(pattern, flags, compiled)
    if parts is not None:
        STORE.put((pattern, flags), parts)
    return compiled


def _parts(pattern: str, flags: int, compiled: re.Pattern[str]) -> tuple | None:
    """The arguments that make ``_sre.compile`` rebuild ``compiled``, or None if they do not."""
    try:
        tree = _parser.parse(pattern, flags)
        code = _compiler._code(tree, flags)
        groupindex = dict(tree.state.groupdict)
        indexgroup = [None] * tree.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        final_flags, groups = int(flags | tree.state.flags), int(tree.state.groups - 1)
        rebuilt = _sre.compile(pattern, final_flags, list(code), groups, groupindex, tuple(indexgroup))
        parts = (final_flags, array(_WORD, code).tobytes(), groups, groupindex, tuple(indexgroup))
    except Exception:  # noqa: BLE001 - internals not as expected: no caching, re.compile's result stands
        return None
    same = rebuilt == compiled and rebuilt.groups == compiled.groups and rebuilt.groupindex == compiled.groupindex
    return parts if same else None
