"""Finding the ``ecocheck`` entry points without paying for ``importlib.metadata`` on every run.

Importing ``importlib.metadata`` (it brings ``email``, ``csv``, ``zipfile`` and more) and
reading every installed distribution's metadata is a large part of a run's start-up
(bench/RESULTS.md), paid to learn what is almost always the same short list.  So the list is kept in the
user cache (``ecocheck/usercache.py``), one file per environment, under a fingerprint of what could change it:
``sys.path``, and for every ``*.dist-info`` / ``*.egg-info`` directory on it, the
modification time of its ``entry_points.txt``.  Installing, upgrading, removing or
editing a distribution changes the fingerprint; then ``importlib.metadata`` answers, as
it always does on a first run, and its answer is saved.  The fingerprint itself costs a
directory listing per ``sys.path`` entry and a ``stat`` per distribution.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import sys
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import usercache

FILE_PREFIX = "entry-points-"
#: ``module.path:attr.path [extras]``, as the entry point specification has it
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(?::\s*(?P<attr>[\w.]+)\s*)?(?:\[.*\]\s*)?$")


@dataclass(frozen=True)
class EntryPoint:
    """An ``ecocheck`` entry point: its name, the object it names, the distribution declaring it."""

    name: str
    value: str
    dist: str | None  # the distribution that declares it
    version: str | None = None  # and its version

    def load(self) -> Any:
        """Import the object the entry point names (as ``importlib.metadata.EntryPoint.load``)."""
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        obj = importlib.import_module(match["module"])
        for attr in (match["attr"] or "").split(".") if match["attr"] else ():
            obj = getattr(obj, attr)
        return obj


@cache
def entry_points(group: str) -> tuple[EntryPoint, ...]:
    """The entry points of ``group`` in ``importlib.metadata``'s order, from the cache when
    nothing installed has changed since it was saved.  Looked up once per process: the plugin
    host and the result cache's plugin stamp both ask for the same list."""
    store = usercache.Store(cache_file_name(group), _fingerprint(group), valid=_well_formed)
    saved = store.get(group)
    if saved is not None:
        return tuple(EntryPoint(*row) for row in saved)
    found = tuple(_from_metadata(group))
    store.put(group, [(ep.name, ep.value, ep.dist, ep.version) for ep in found])
    store.save()  # now: a run that stops early should not lose the list
    return found


def cache_file_name(group: str) -> str:
    """One file per group and ``sys.path``: each environment (each virtualenv, a console script
    and ``python -m`` see different paths) keeps its own list instead of overwriting another's."""
    where = hashlib.sha256("\0".join([group, sys.version, *sys.path]).encode("utf-8", "surrogateescape"))
    return f"{FILE_PREFIX}{where.hexdigest()[:16]}.marshal"


def _from_metadata(group: str) -> list[EntryPoint]:
    from importlib.metadata import entry_points as metadata_entry_points

    found = []
    for ep in metadata_entry_points(group=group):
        dist = getattr(ep, "dist", None)
        found.append(EntryPoint(ep.name, ep.value, getattr(dist, "name", None), getattr(dist, "version", None)))
    return found


def _well_formed(group: Any, rows: Any) -> bool:
    return isinstance(rows, list) and all(
        isinstance(row, tuple) and len(row) == 4 and all(v is None or isinstance(v, str) for v in row)
        and isinstance(row[0], str) and isinstance(row[1], str) for row in rows)


def _fingerprint(group: str) -> str:
    h = hashlib.sha256(f"{group}\0{sys.version}\0".encode())
    for entry in sys.path:
        h.update(f"\0{entry}".encode("utf-8", "surrogateescape"))
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue  # a missing directory, a zip file: nothing installed there to watch
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    stamp = os.stat(os.path.join(entry or ".", name, "entry_points.txt")).st_mtime_ns
                except OSError:
                    stamp = -1
                h.update(f"\0{name}\0{stamp}".encode("utf-8", "surrogateescape"))
    return h.hexdigest()
