"""What the regex checks share: a pattern's parse tree (``re``'s own parser), over-approximated
first-character sets, and the user cache of what was concluded about each pattern.

:mod:`ecocheck.engine.regexcheck` (is a user pattern safe to run?) and
:mod:`ecocheck.engine.regexgate` (prefilters that let a pattern skip text it cannot match) both
work on the parsed pattern rather than its text.
"""

from __future__ import annotations

import hashlib
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import usercache

try:  # Python 3.11+
    from re import _constants as sre
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]


#: the modules whose code the remembered facts depend on
_ANALYSES = ("regexparse.py", "regexcheck.py", "regexgate.py")


def _source_digest() -> str | None:
    try:
        here = Path(__file__).parent
        return hashlib.sha256(b"".join((here / name).read_bytes() for name in _ANALYSES)).hexdigest()[:16]
    except OSError:  # pragma: no cover - not loaded from a file: nothing is remembered
        return None


#: What the regex analyses concluded about each pattern, kept across runs in the user cache: parsing
#: and analysing the pack patterns would otherwise be paid by every start-up.  The answers depend on
#: their code and on ``re``'s parser only, hence the version: the digest of their sources and
#: Python's version (a changed ecocheck or Python starts afresh).
_DIGEST = _source_digest()
FACTS = usercache.Store("regex-facts.marshal", f"{_DIGEST}|{sys.version}")


def remembered(kind: str, pattern: str, flags: int, compute: Callable[[], Any]) -> Any:
    """``compute()`` -- a str, bool or None about ``pattern`` -- or what an earlier run found."""
    if _DIGEST is None:
        return compute()
    key = (kind, pattern, int(flags))  # a plain int: marshal refuses re.RegexFlag
    saved = FACTS.get(key)
    if isinstance(saved, tuple) and len(saved) == 1:
        return saved[0]
    value = compute()
    FACTS.put(key, (value,))
    return value


REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
POSSESSIVE = getattr(sre, "POSSESSIVE_REPEAT", None)
ATOMIC = getattr(sre, "ATOMIC_GROUP", None)
#: a character range this small is compared with a category character by character
_ENUMERATE = 0x11000

# categories whose character sets are known to be disjoint (unordered pairs)
_CAT_NAMES = {
    "DIGIT": r"\d", "NOT_DIGIT": r"\D", "SPACE": r"\s", "NOT_SPACE": r"\S", "WORD": r"\w", "NOT_WORD": r"\W",
}
_DISJOINT = {frozenset(p) for p in (("DIGIT", "NOT_DIGIT"), ("SPACE", "NOT_SPACE"), ("WORD", "NOT_WORD"),
                                    ("DIGIT", "SPACE"), ("WORD", "SPACE"), ("DIGIT", "NOT_WORD"))}


def cat_name(code) -> str | None:
    name = str(code).replace("CATEGORY_", "").replace("UNI_", "").replace("LOC_", "")
    return name if name in _CAT_NAMES else None


@lru_cache(maxsize=None)
def cat_regex(name: str) -> re.Pattern[str]:
    return re.compile(_CAT_NAMES[name])


@dataclass(frozen=True)
class Chars:
    """An over-approximation of a set of characters."""

    ranges: frozenset = frozenset()  # (lo, hi) code point ranges
    cats: frozenset = frozenset()  # category names (DIGIT, SPACE, …)
    negs: frozenset = frozenset()  # negated classes: every character except those of a Chars
    anything: bool = False

    def __or__(self, other: Chars) -> Chars:
        return Chars(self.ranges | other.ranges, self.cats | other.cats, self.negs | other.negs,
                      self.anything or other.anything)

    def __bool__(self) -> bool:
        return self.anything or bool(self.ranges) or bool(self.cats) or bool(self.negs)

    def covers(self, lo: int, hi: int) -> bool:
        """True when every character lo..hi is in the set (small ranges only)."""
        if self.anything:
            return True
        if hi - lo > _ENUMERATE:
            return False
        return all(any(a <= cp <= b for a, b in self.ranges)
                   or any(cat_regex(c).match(chr(cp)) for c in self.cats) for cp in range(lo, hi + 1))

    def overlaps(self, other: Chars) -> bool:
        if not self or not other:
            return False
        if self.anything or other.anything:
            return True
        for lo, hi in self.ranges:
            for lo2, hi2 in other.ranges:
                if lo <= hi2 and lo2 <= hi:
                    return True
        for a, b in ((self, other), (other, self)):
            for cat in a.cats:
                rx = cat_regex(cat)
                for lo, hi in b.ranges:
                    if hi - lo > _ENUMERATE or any(rx.match(chr(cp)) for cp in range(lo, hi + 1)):
                        return True
            for excluded in a.negs:
                if b.cats or b.negs or any(not excluded.covers(lo, hi) for lo, hi in b.ranges):
                    return True
        return any(frozenset((x, y)) not in _DISJOINT for x in self.cats for y in other.cats)


NONE = Chars()

ANY = Chars(anything=True)
#: every character ``\s`` matches in a str pattern (``str.isspace``; tests/test_scope_scan.py checks the list)
WHITESPACE = ((0x09, 0x0D), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
               (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000))


def _in_chars(items) -> Chars:
    ranges, cats = set(), set()
    negate = False
    for op, av in items:
        if op == sre.NEGATE:
            negate = True
        elif op == sre.LITERAL:
            ranges.add((av, av))
        elif op == sre.RANGE:
            ranges.add(tuple(av))
        elif op == sre.CATEGORY:
            name = cat_name(av)
            if name is None:
                return ANY
            cats.add(name)
        else:
            return ANY
    chars = Chars(frozenset(ranges), frozenset(cats))
    if negate and "NOT_SPACE" in cats:
        # [^\S…]: whitespace but for the other items -- a few characters, listed (a line's
        # whitespace [^\S\n] opens many pack patterns)
        return Chars(frozenset((cp, cp) for lo, hi in WHITESPACE for cp in range(lo, hi + 1)
                                if not chars.covers(cp, cp)))
    return Chars(negs=frozenset({chars})) if negate else chars


def first(item) -> tuple[Chars, bool]:
    """(characters the item can start with, whether it can match the empty string)."""
    op, av = item
    if op == sre.LITERAL:
        return Chars(frozenset({(av, av)})), False
    if op == sre.NOT_LITERAL:
        return Chars(negs=frozenset({Chars(frozenset({(av, av)}))})), False
    if op == sre.ANY:
        return ANY, False
    if op == sre.IN:
        return _in_chars(av), False
    if op == sre.SUBPATTERN:
        return first_seq(av[-1])
    if op == ATOMIC:
        return first_seq(av)
    if op == sre.BRANCH:
        chars, empty = NONE, False
        for alt in av[1]:
            f, e = first_seq(alt)
            chars, empty = chars | f, empty or e
        return chars, empty
    if op in REPEATS or op == POSSESSIVE:
        lo, _hi, body = av
        f, e = first_seq(body)
        return f, e or lo == 0
    if op == sre.GROUPREF_EXISTS:
        f1, e1 = first_seq(av[1])
        f2, e2 = first_seq(av[2]) if av[2] is not None else (NONE, True)
        return f1 | f2, e1 or e2
    if op == sre.GROUPREF:
        return ANY, True
    # AT, ASSERT, ASSERT_NOT and anything unknown consume nothing (or are treated as such)
    return NONE, True


def first_seq(seq) -> tuple[Chars, bool]:
    chars = NONE
    for item in seq:
        f, empty = first(item)
        chars = chars | f
        if not empty:
            return chars, False
    return chars, True


@lru_cache(maxsize=1024)
def parsed(pattern: str, flags: int):
    """The parse tree of a pattern, shared by the checks of this module (a pack pattern is checked
    for backtracking when loaded and for line-locality and first characters when first scanned).
    Call with ``re.UNICODE`` masked out: ``re`` implies it for str patterns, compiled ones carry it."""
    with warnings.catch_warnings():  # FutureWarning "possible nested set": compile() warns once
        warnings.simplefilter("ignore")
        return _p.parse(pattern, flags)


def pattern_tree(pattern: re.Pattern[str]):
    return parsed(pattern.pattern, pattern.flags & ~re.UNICODE)
