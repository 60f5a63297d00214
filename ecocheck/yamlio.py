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


# ---------------------------------------------------------------------------
# untrusted YAML (configuration files, extra rule packs): bounded before anything is built

#: nesting deeper than this is refused (ecocheck's own files nest 6 deep)
MAX_DEPTH = 64
#: nodes once every alias is counted as what it stands for (the shipped packs hold < 1,000)
MAX_NODES = 200_000


class YamlBoundsError(ValueError):
    """Untrusted YAML over a bound; ``message`` is Chinese, ``line`` 1-based (or None)."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


def check_bounds(text: str, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> None:
    """Refuse YAML that would blow up once built, before it is built.

    One pass over the parser's events (libyaml's parser keeps its own stack: no recursion,
    however deep the text): nesting deeper than ``max_depth``, an alias to an anchor still
    open (a recursive structure), or more than ``max_nodes`` nodes with every alias expanded
    (a 353-byte "billion laughs" expands to 10**9) raise :class:`YamlBoundsError`.  Syntax
    errors are left to the loader that follows."""
    import yaml

    sizes: dict[str, int] = {}  # anchor -> expanded node count, once its node is complete
    stack: list[list] = []  # open collections: [anchor, expanded node count so far]
    total = 0
    try:
        for event in yaml.parse(text, Loader=loader()):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= max_depth:
                    raise YamlBoundsError(f"嵌套超过 {max_depth} 层", _line(event))
                stack.append([event.anchor, 1])
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, weight = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, weight = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, weight = None, sizes.get(event.anchor)
                if weight is None:
                    raise YamlBoundsError(f"别名 *{event.anchor} 指向未定义或自身所在的锚点（递归引用）", _line(event))
            else:
                continue
            if anchor:
                sizes[anchor] = weight
            if stack:
                stack[-1][1] += weight
                weight = stack[-1][1]
            else:
                total += weight
                weight = total
            if weight > max_nodes:
                raise YamlBoundsError(f"展开别名后超过 {max_nodes} 个节点（可能是“十亿笑”式的别名炸弹）", _line(event))
    except yaml.YAMLError:
        return  # the loader reports the syntax error with its line


def _line(event) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None
