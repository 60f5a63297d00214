"""YAML loading: libyaml (PyYAML's C extension) when available, results kept across runs.

The pure-Python loader costs a large share of start-up (rule packs, word lists); the C
loader gives the same results, line marks included.  Better still, the shipped data and
packs are the same on every run: :func:`cached` keeps what a text parsed into in the user
cache (``ecocheck/usercache.py``), keyed by the text's SHA-256, so a run whose packs and
data files have not changed neither parses them nor imports ``yaml`` at all.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from . import usercache

#: parsed YAML by text digest; bump the leading number when an encode/decode pair given to
#: :func:`cached` changes (here or at a caller: engine/packs.py keeps line marks that way)
STORE = usercache.Store("yaml-data.marshal", f"1|{sys.version}")


@lru_cache(maxsize=1)
def loader() -> type:
    """PyYAML's fastest safe loader class (imports ``yaml`` on first use)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` through libyaml when available (never cached: see :func:`cached`)."""
    import yaml

    return yaml.load(text, Loader=loader())  # noqa: S506 - a safe loader


def compose(text: str) -> Any:
    import yaml

    return yaml.compose(text, Loader=loader())


def cached(kind: str, text: str, parse: Callable[[str], Any], encode: Callable[[Any], Any] = lambda v: v,
           decode: Callable[[Any], Any] = lambda v: v) -> Any:
    """``parse(text)``, or what it gave for the same ``text`` in an earlier run.

    ``kind`` names the parser (different parsers of one text are kept apart); ``encode``
    turns the result into plain ``marshal``-able data and ``decode`` turns it back.  What
    ``marshal`` cannot hold (a YAML timestamp, say) is simply not kept (:meth:`ecocheck.usercache.Store.put`).
    Errors are never kept: ``parse`` raises again next time.
    """
    key = f"{kind}\0{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()}"
    saved = STORE.get(key)
    if saved is not None:
        try:
            return decode(saved)
        except Exception:  # noqa: BLE001 - a damaged entry: parse again
            STORE.discard(key)
    value = parse(text)
    STORE.put(key, encode(value))  # not kept if marshal cannot hold it
    return value


def cached_safe_load(text: str) -> Any:
    """:func:`safe_load`, cached (for the package's own data files and packs)."""
    return cached("safe_load", text, safe_load)
