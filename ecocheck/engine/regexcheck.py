"""Static check for user regexes that backtrack catastrophically.

Python's ``re`` is a backtracking engine: a pattern such as ``(a+)+$``,
``(x|x)*y`` or ``(\\s*,\\s*)+`` takes exponential time on a line that almost
matches, and a rule pack runs its patterns over every paragraph of every
file.  Packs are user data, so their patterns are checked when the pack is
loaded (:func:`backtracking_risk`), on the parsed pattern rather than its
text.

Exponential backtracking needs a repeat that iterates (``+``, ``*``,
``{m,n}`` with n > 2) whose body can match the same text in more than one
way.  Two shapes are recognised inside such a body:

* a nested variable repeat that can give characters back to what follows it
  -- the next part of the body, or the next iteration (``(a+)+``,
  ``(\\w*)*z``, ``(\\s*,\\s*)+``, ``(.*a){20}``); ``(\\d+,)+`` is fine, because
  the comma ends every iteration;
* an alternation whose branches can start with the same character, two
  branches that can both be empty, or an empty branch next to one that can
  start like what follows (``(x|x)*y``, ``(a|aa)+``, ``(a|a?)+``).

Possessive repeats and atomic groups never backtrack and are skipped.  The
check is conservative (it may refuse a pattern that is in fact safe for
every input) and incomplete (polynomial blow-ups such as ``\\d*\\d*\\d*x`` pass).
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

from .. import rxcache, usercache

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

__all__ = ["backtracking_risk", "line_local", "match_gate", "one_char_items"]


def _source_digest() -> str | None:
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    except OSError:  # pragma: no cover - not loaded from a file: nothing is remembered
        return None


#: What this module concluded about each pattern, kept across runs in the user cache: parsing
#: and analysing the ~50 pack patterns costs ~20 ms of every start-up.  The answers depend on
#: this module's code and on ``re``'s parser only, hence the version: this file's digest and
#: Python's version (a changed ecocheck or Python starts afresh).
_DIGEST = _source_digest()
FACTS = usercache.Store("regex-facts.marshal", f"{_DIGEST}|{sys.version}")


def _remembered(kind: str, pattern: str, flags: int, compute: Callable[[], Any]) -> Any:
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

_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT)
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
#: an outer repeat that may iterate more than this many times is checked
_MIN_OUTER = 2
#: a character range this small is compared with a category character by character
_ENUMERATE = 0x11000

# categories whose character sets are known to be disjoint (unordered pairs)
_CAT_NAMES = {
    "DIGIT": r"\d", "NOT_DIGIT": r"\D", "SPACE": r"\s", "NOT_SPACE": r"\S", "WORD": r"\w", "NOT_WORD": r"\W",
}
_DISJOINT = {frozenset(p) for p in (("DIGIT", "NOT_DIGIT"), ("SPACE", "NOT_SPACE"), ("WORD", "NOT_WORD"),
                                    ("DIGIT", "SPACE"), ("WORD", "SPACE"), ("DIGIT", "NOT_WORD"))}


def _cat_name(code) -> str | None:
    name = str(code).replace("CATEGORY_", "").replace("UNI_", "").replace("LOC_", "")
    return name if name in _CAT_NAMES else None


@lru_cache(maxsize=None)
def _cat_regex(name: str) -> re.Pattern[str]:
    return re.compile(_CAT_NAMES[name])


# ---------------------------------------------------------------------------
# first-character sets


@dataclass(frozen=True)
class _Chars:
    """An over-approximation of a set of characters."""

    ranges: frozenset = frozenset()  # (lo, hi) code point ranges
    cats: frozenset = frozenset()  # category names (DIGIT, SPACE, …)
    negs: frozenset = frozenset()  # negated classes: every character except those of a _Chars
    anything: bool = False

    def __or__(self, other: _Chars) -> _Chars:
        return _Chars(self.ranges | other.ranges, self.cats | other.cats, self.negs | other.negs,
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
                   or any(_cat_regex(c).match(chr(cp)) for c in self.cats) for cp in range(lo, hi + 1))

    def overlaps(self, other: _Chars) -> bool:
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
                rx = _cat_regex(cat)
                for lo, hi in b.ranges:
                    if hi - lo > _ENUMERATE or any(rx.match(chr(cp)) for cp in range(lo, hi + 1)):
                        return True
            for excluded in a.negs:
                if b.cats or b.negs or any(not excluded.covers(lo, hi) for lo, hi in b.ranges):
                    return True
        return any(frozenset((x, y)) not in _DISJOINT for x in self.cats for y in other.cats)


_NONE = _Chars()
_ANY = _Chars(anything=True)


#: every character ``\s`` matches in a str pattern (``str.isspace``; tests/test_scope_scan.py checks the list)
_WHITESPACE = ((0x09, 0x0D), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
               (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000))


def _in_chars(items) -> _Chars:
    ranges, cats = set(), set()
    negate = False
    for op, av in items:
        if op == _c.NEGATE:
            negate = True
        elif op == _c.LITERAL:
            ranges.add((av, av))
        elif op == _c.RANGE:
            ranges.add(tuple(av))
        elif op == _c.CATEGORY:
            name = _cat_name(av)
            if name is None:
                return _ANY
            cats.add(name)
        else:
            return _ANY
    chars = _Chars(frozenset(ranges), frozenset(cats))
    if negate and "NOT_SPACE" in cats:
        # [^\S…]: whitespace but for the other items -- a few characters, listed (a line's
        # whitespace [^\S\n] opens many pack patterns)
        return _Chars(frozenset((cp, cp) for lo, hi in _WHITESPACE for cp in range(lo, hi + 1)
                                if not chars.covers(cp, cp)))
    return _Chars(negs=frozenset({chars})) if negate else chars


def _first(item) -> tuple[_Chars, bool]:
    """(characters the item can start with, whether it can match the empty string)."""
    op, av = item
    if op == _c.LITERAL:
        return _Chars(frozenset({(av, av)})), False
    if op == _c.NOT_LITERAL:
        return _Chars(negs=frozenset({_Chars(frozenset({(av, av)}))})), False
    if op == _c.ANY:
        return _ANY, False
    if op == _c.IN:
        return _in_chars(av), False
    if op == _c.SUBPATTERN:
        return _first_seq(av[-1])
    if op == _ATOMIC:
        return _first_seq(av)
    if op == _c.BRANCH:
        chars, empty = _NONE, False
        for alt in av[1]:
            f, e = _first_seq(alt)
            chars, empty = chars | f, empty or e
        return chars, empty
    if op in _REPEATS or op == _POSSESSIVE:
        lo, _hi, body = av
        f, e = _first_seq(body)
        return f, e or lo == 0
    if op == _c.GROUPREF_EXISTS:
        f1, e1 = _first_seq(av[1])
        f2, e2 = _first_seq(av[2]) if av[2] is not None else (_NONE, True)
        return f1 | f2, e1 or e2
    if op == _c.GROUPREF:
        return _ANY, True
    # AT, ASSERT, ASSERT_NOT and anything unknown consume nothing (or are treated as such)
    return _NONE, True


def _first_seq(seq) -> tuple[_Chars, bool]:
    chars = _NONE
    for item in seq:
        f, empty = _first(item)
        chars = chars | f
        if not empty:
            return chars, False
    return chars, True


# ---------------------------------------------------------------------------
# ambiguity inside an iterating repeat


def _ambiguous(seq, follow: _Chars) -> str | None:
    """Why ``seq`` (part of an iterating repeat's body) can match one text in several ways."""
    items = list(seq)
    for i, item in enumerate(items):
        rest, rest_empty = _first_seq(items[i + 1:])
        after = rest | follow if rest_empty else rest
        op, av = item
        if op in _REPEATS:
            lo, hi, body = av
            inner = _first_seq(body)[0]
            # a variable repeat that can hand characters to what follows it (or to the next iteration)
            if hi != lo and inner.overlaps(after):
                return "嵌套量词"
            why = _ambiguous(body, after | inner if hi > 1 else after)
            if why:
                return why
        elif op == _c.SUBPATTERN:
            why = _ambiguous(av[-1], after)
            if why:
                return why
        elif op == _c.BRANCH:
            alts = [(_first_seq(alt), alt) for alt in av[1]]
            if sum(1 for (_f, e), _a in alts if e) > 1:
                return "分支重叠"
            for k, ((f, e), _alt) in enumerate(alts):
                if e and any(g.overlaps(after) for (g, _e2), _a in alts):
                    return "分支重叠"
                if any(f.overlaps(g) for (g, _e2), _a in alts[k + 1:]):
                    return "分支重叠"
            for _fe, alt in alts:
                why = _ambiguous(alt, after)
                if why:
                    return why
        elif op == _c.GROUPREF_EXISTS:
            for part in (av[1], av[2]):
                if part is not None:
                    why = _ambiguous(part, after)
                    if why:
                        return why
        # possessive repeats, atomic groups and lookarounds never backtrack into the rest
    return None


def _scan(seq, outer: int = 1) -> str | None:
    """``outer``: how many times the enclosing repeats can run ``seq`` (their bounds multiplied):
    ``(?:(?:a{1,2}){1,2}){1,2}`` iterates its innermost body up to 8 times, and nesting small
    bounded repeats is as exponential as one unbounded repeat."""
    for op, av in seq:
        if op in _REPEATS:
            lo, hi, body = av
            reps = min(outer * max(hi, 1), _c.MAXREPEAT)
            if reps > _MIN_OUTER:
                why = _ambiguous(body, _first_seq(body)[0])
                if why:
                    return why
            why = _scan(body, reps)
        elif op == _POSSESSIVE:
            why = _scan(av[2], outer)
        elif op == _c.SUBPATTERN:
            why = _scan(av[-1], outer)
        elif op == _ATOMIC:
            why = _scan(av, outer)
        elif op == _c.BRANCH:
            why = next((w for w in (_scan(alt, outer) for alt in av[1]) if w), None)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            why = _scan(av[1], outer)
        elif op == _c.GROUPREF_EXISTS:
            why = _scan(av[1], outer) or (_scan(av[2], outer) if av[2] is not None else None)
        else:
            why = None
        if why:
            return why
    return None


@lru_cache(maxsize=1024)
def _parsed(pattern: str, flags: int):
    """The parse tree of a pattern, shared by the checks of this module (a pack pattern is checked
    for backtracking when loaded and for line-locality and first characters when first scanned).
    Call with ``re.UNICODE`` masked out: ``re`` implies it for str patterns, compiled ones carry it."""
    with warnings.catch_warnings():  # FutureWarning "possible nested set": compile() warns once
        warnings.simplefilter("ignore")
        return _p.parse(pattern, flags)


def _tree(pattern: re.Pattern[str]):
    return _parsed(pattern.pattern, pattern.flags & ~re.UNICODE)


def backtracking_risk(pattern: str, flags: int = 0) -> str | None:
    """A short Chinese reason when ``pattern`` may backtrack catastrophically, else None.

    A pattern that does not parse returns None: ``re.compile`` reports it.
    """
    return _remembered("risk", pattern, int(flags) & ~re.UNICODE, lambda: _backtracking_risk(pattern, flags))


def _backtracking_risk(pattern: str, flags: int) -> str | None:
    try:
        tree = _parsed(pattern, flags & ~re.UNICODE)
    except Exception:  # noqa: BLE001 - re.error, RecursionError, …: compile() will say
        return None
    try:
        return _scan(tree)
    except RecursionError:
        return "嵌套过深"


# ---------------------------------------------------------------------------
# line-local patterns

_NEWLINE = ord("\n")
_LOCAL_AT = {_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY}
_LINE_AT = {_c.AT_BEGINNING, _c.AT_END}  # ^ and $: line-local only under MULTILINE


def _set_has_newline(items) -> bool:
    negate = hit = False
    for op, av in items:
        if op == _c.NEGATE:
            negate = True
        elif op == _c.LITERAL:
            hit = hit or av == _NEWLINE
        elif op == _c.RANGE:
            hit = hit or av[0] <= _NEWLINE <= av[1]
        elif op == _c.CATEGORY and _cat_name(av):
            hit = hit or bool(_cat_regex(_cat_name(av)).match("\n"))
        else:
            return True  # unknown item: assume the worst
    return hit != negate


def _local(seq, dotall: bool, multiline: bool) -> bool:
    for op, av in seq:
        if op == _c.LITERAL:
            ok = av != _NEWLINE
        elif op == _c.NOT_LITERAL:
            ok = av == _NEWLINE
        elif op == _c.ANY:
            ok = not dotall
        elif op == _c.IN:
            ok = not _set_has_newline(av)
        elif op in _REPEATS or op == _POSSESSIVE:
            ok = _local(av[2], dotall, multiline)
        elif op == _c.SUBPATTERN:
            _group, add, delete, body = av
            ok = _local(body, (dotall or bool(add & re.S)) and not delete & re.S,
                        (multiline or bool(add & re.M)) and not delete & re.M)
        elif op == _ATOMIC:
            ok = _local(av, dotall, multiline)
        elif op == _c.BRANCH:
            ok = all(_local(alt, dotall, multiline) for alt in av[1])
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            ok = _local(av[1], dotall, multiline)
        elif op == _c.GROUPREF_EXISTS:
            ok = _local(av[1], dotall, multiline) and (av[2] is None or _local(av[2], dotall, multiline))
        elif op == _c.GROUPREF:
            ok = True  # the group itself was checked
        elif op == _c.AT:
            ok = av in _LOCAL_AT or (multiline and av in _LINE_AT)
        else:
            ok = False  # anything unforeseen: not line-local
        if not ok:
            return False
    return True


@lru_cache(maxsize=4096)
def line_local(pattern: re.Pattern[str]) -> bool:
    """True when no match of ``pattern`` -- nor any of its lookarounds -- can take in a line break,
    and it has no string anchors (``\\A``, ``\\Z``, ``^``/``$`` without MULTILINE).

    For such a pattern, one scan of the paragraphs joined by ``"\\n"`` finds, in each paragraph,
    exactly the matches a scan of that paragraph alone finds: a match cannot cross the separator,
    a lookbehind or lookahead that reaches it fails or succeeds just as at the string's edge,
    and ``\\b`` sees a non-word character either way.
    """
    return _remembered("local", pattern.pattern, pattern.flags, lambda: _line_local(pattern))


def _line_local(pattern: re.Pattern[str]) -> bool:
    try:
        tree = _tree(pattern)
        flags = tree.state.flags
        return _local(tree, bool(flags & re.S), bool(flags & re.M))
    except Exception:  # noqa: BLE001 - bytes patterns, deep nesting, …: scan paragraph by paragraph
        return False


# ---------------------------------------------------------------------------
# first characters

#: a first-character class larger than this skips too little to be worth a prefilter
_MAX_FIRST_CHARS = 256
#: the parse-tree nodes ``_first`` understands; a pattern with any other (GROUPREF, …) gets no prefilter
_FIRST_KNOWN = ({_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN, _c.AT, _c.ASSERT, _c.ASSERT_NOT, _c.SUBPATTERN,
                 _c.BRANCH, _c.GROUPREF_EXISTS, *_REPEATS} | {_POSSESSIVE, _ATOMIC}) - {None}


def _nodes(seq):
    """Every node of a parse tree, depth first."""
    for op, av in seq:
        yield op, av
        if op == _c.SUBPATTERN:
            yield from _nodes(av[-1])
        elif op == _c.BRANCH:
            for alt in av[1]:
                yield from _nodes(alt)
        elif op in _REPEATS or op == _POSSESSIVE:
            yield from _nodes(av[2])
        elif op == _ATOMIC:
            yield from _nodes(av)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            yield from _nodes(av[1])
        elif op == _c.GROUPREF_EXISTS:
            yield from _nodes(av[1])
            if av[2] is not None:
                yield from _nodes(av[2])


def _opening(seq) -> tuple[int, Any]:
    """The opening node of a pattern, past the groups that wrap it."""
    while seq and seq[0][0] == _c.SUBPATTERN:
        seq = seq[0][1][-1]
    return seq[0] if seq else (None, None)


def _re_skips_itself(seq) -> bool:
    """Does ``re`` already skip ahead by this pattern's first characters?  (It does when the pattern
    opens with a literal or a class, or with an alternation whose branches all open with a literal.)"""
    op, av = _opening(seq)
    if op in (_c.LITERAL, _c.IN):
        return True
    return op == _c.BRANCH and all(alt and alt[0][0] == _c.LITERAL for alt in av[1])


#: ways a pattern can open (see ``_heads``) beyond which the analysis gives up
_MAX_HEADS = 1024


def _item_heads(item, k: int) -> set | None:
    op, av = item
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
        return {((_first(item)[0],), True)}
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return {((), True)}  # consumes nothing
    if op == _c.SUBPATTERN:
        return _heads(av[-1], k)
    if op == _ATOMIC:
        return _heads(av, k)
    if op == _c.BRANCH:
        out: set = set()
        for alt in av[1]:
            out |= _heads(alt, k)
        return out
    if op in _REPEATS or op == _POSSESSIVE:
        lo, hi, body = av
        once = {(classes, done and hi == 1) for classes, done in _heads(body, k)}  # more may follow
        return once | {((), True)} if lo == 0 else once
    return None


def _heads(seq, k: int) -> set:
    """The first ``k`` characters of the matches of ``seq``, as a set of ``(classes, complete)``: one
    tuple of character sets per way a match can open.  A tuple shorter than ``k`` is the whole match
    of ``seq`` when ``complete`` (what follows ``seq`` comes next), else all that is known."""
    heads = {((), True)}
    for item in seq:
        growing = {h for h in heads if h[1] and len(h[0]) < k}
        if not growing:
            break
        alts = _item_heads(item, k)
        if alts is None:  # not understood: nothing is known past this point
            alts = {((), False)}
        heads -= growing
        for classes, _ in growing:
            for more, done in alts:
                joined = (classes + more)[:k]
                heads.add((joined, done or len(joined) == k))
        if len(heads) > _MAX_HEADS:
            return {((), False)}
    return heads


def _class_source(chars: _Chars) -> str | None:
    """``chars`` as a ``[…]`` class, when it is a small set of listed characters."""
    if chars.anything or chars.cats or chars.negs or not chars.ranges:
        return None
    if sum(hi - lo + 1 for lo, hi in chars.ranges) > _MAX_FIRST_CHARS:
        return None
    parts = "".join(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
                    for lo, hi in sorted(chars.ranges))
    return f"[{parts}]"


def _opening_classes(pattern: re.Pattern[str]) -> tuple[Any, str | None, str | None]:
    """(parse tree, class of a match's first character, class of its second), each class None when
    unknown or large; the tree is None when the pattern is not one these prefilters handle."""
    if pattern.flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE) or not isinstance(pattern.pattern, str):
        return None, None, None
    try:
        tree = _tree(pattern)
        if tree.state.flags & (re.IGNORECASE | re.VERBOSE) or any(op not in _FIRST_KNOWN for op, _av in _nodes(tree)):
            return None, None, None
        chars, empty = _first_seq(tree)
        if empty:
            return None, None, None
        heads = _heads(tree, 2)
    except Exception:  # noqa: BLE001 - anything odd: no prefilter
        return None, None, None
    second = None
    if all(len(classes) == 2 for classes, _done in heads):
        chars2 = _NONE
        for classes, _done in heads:
            chars2 |= classes[1]
        second = _class_source(chars2)
    return tree, _class_source(chars), second


#: an opening alternation of literals with this many branches is worth a second-character gate
_MANY_BRANCHES = 32


@lru_cache(maxsize=4096)
def match_gate(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern whose matches are one character long and lie exactly where ``pattern`` has a match
    -- found by ``re`` skipping ahead in C -- when that is faster than ``pattern.finditer``; else None.

    The gate is ``[first](?=[second])(?<=(?=(?:pattern))(?s:.))``: ``re`` skips to a possible first
    character, checks the second, then steps back one character and tries ``pattern`` there.  It
    serves alternations whose branches open with classes or lookbehinds (which ``re`` tries in full
    at every position: it skips ahead by first characters only when every branch opens with a
    literal; case-insensitive patterns and patterns that can match the empty string are left
    alone), and long alternations of literals (a typo
    list), where ``re`` does skip by the first character but then tries every branch in turn at
    each common character such as 不 or 一; the second-character check spares most of those tries.
    """
    source = _remembered("gate", pattern.pattern, pattern.flags, lambda: _match_gate(pattern))
    return None if source is None else rxcache.compile(source, pattern.flags)


def _match_gate(pattern: re.Pattern[str]) -> str | None:
    tree, first, second = _opening_classes(pattern)
    if tree is None or first is None:
        return None
    if _re_skips_itself(tree):
        op, av = _opening(tree)
        if second is None or op != _c.BRANCH or len(av[1]) < _MANY_BRANCHES:
            return None
    ahead = f"(?={second})" if second else ""
    source = f"{first}{ahead}(?<=(?=(?:{pattern.pattern}))(?s:.))"
    try:
        re.compile(source, pattern.flags)
    except (re.error, RecursionError):  # e.g. global flags (?m) inside the pattern
        return None
    return source


# ---------------------------------------------------------------------------
# fixed sequences of single characters

_ONE_CHAR = {_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN}


def one_char_items(pattern: str) -> bool:
    """True when ``pattern`` (without flags), as ``re`` parses it, is a sequence of items that each
    match one character -- literals, classes, ``.`` -- and nothing else: no groups, repeats,
    alternation, anchors, lookarounds or inline flags.  Such a pattern matches a fixed number of
    characters and gives the same answer on them wherever they stand, so it can serve in a lookbehind."""
    return _remembered("one-char", pattern, 0, lambda: _one_char_items(pattern))


def _one_char_items(pattern: str) -> bool:
    try:
        tree = _parsed(pattern, 0)
    except Exception:  # noqa: BLE001 - re.error, RecursionError: not such a pattern
        return False
    return (len(tree) > 0 and not tree.state.flags & ~re.UNICODE
            and all(op in _ONE_CHAR for op, _av in tree))
