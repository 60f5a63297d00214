"""Prefilters for pack patterns: what a pattern's parse tree says about the text it can match,
so that a scan can skip the rest.

* :func:`line_local`: nothing in the pattern can match across a line break, so a document's
  paragraphs may be joined with ``"\\n"`` and scanned in one call;
* :func:`match_gate`: a lookahead on the opening characters lets ``re`` skip in C to where a match
  can start;
* :func:`one_char_items`: the pattern is a fixed sequence of single characters.

See docs/developing.md ("Performance") for how the scopes use them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .. import rxcache
from .regexparse import (ATOMIC, NONE, POSSESSIVE, REPEATS, Chars, cat_name, cat_regex, first, first_seq, parsed,
                         pattern_tree, remembered, sre)

__all__ = ["line_local", "match_gate", "one_char_items"]


_NEWLINE = ord("\n")
_LOCAL_AT = {sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY}
_LINE_AT = {sre.AT_BEGINNING, sre.AT_END}  # ^ and $: line-local only under MULTILINE


def _set_has_newline(items) -> bool:
    negate = hit = False
    for op, av in items:
        if op == sre.NEGATE:
            negate = True
        elif op == sre.LITERAL:
            hit = hit or av == _NEWLINE
        elif op == sre.RANGE:
            hit = hit or av[0] <= _NEWLINE <= av[1]
        elif op == sre.CATEGORY and cat_name(av):
            hit = hit or bool(cat_regex(cat_name(av)).match("\n"))
        else:
            return True  # unknown item: assume the worst
    return hit != negate


def _local(seq, dotall: bool, multiline: bool) -> bool:
    for op, av in seq:
        if op == sre.LITERAL:
            ok = av != _NEWLINE
        elif op == sre.NOT_LITERAL:
            ok = av == _NEWLINE
        elif op == sre.ANY:
            ok = not dotall
        elif op == sre.IN:
            ok = not _set_has_newline(av)
        elif op in REPEATS or op == POSSESSIVE:
            ok = _local(av[2], dotall, multiline)
        elif op == sre.SUBPATTERN:
            _group, add, delete, body = av
            ok = _local(body, (dotall or bool(add & re.S)) and not delete & re.S,
                        (multiline or bool(add & re.M)) and not delete & re.M)
        elif op == ATOMIC:
            ok = _local(av, dotall, multiline)
        elif op == sre.BRANCH:
            ok = all(_local(alt, dotall, multiline) for alt in av[1])
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            ok = _local(av[1], dotall, multiline)
        elif op == sre.GROUPREF_EXISTS:
            ok = _local(av[1], dotall, multiline) and (av[2] is None or _local(av[2], dotall, multiline))
        elif op == sre.GROUPREF:
            ok = True  # the group itself was checked
        elif op == sre.AT:
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
    return remembered("local", pattern.pattern, pattern.flags, lambda: _line_local(pattern))


def _line_local(pattern: re.Pattern[str]) -> bool:
    try:
        tree = pattern_tree(pattern)
        flags = tree.state.flags
        return _local(tree, bool(flags & re.S), bool(flags & re.M))
    except Exception:  # noqa: BLE001 - bytes patterns, deep nesting, …: scan paragraph by paragraph
        return False


#: a first-character class larger than this skips too little to be worth a prefilter (W501's ~600-key typo
#: list opens with ~400 characters: gated, its scan skips most positions -- bench/RESULTS.md)
_MAX_FIRST_CHARS = 512
#: the parse-tree nodes ``first`` understands; a pattern with any other (GROUPREF, …) gets no prefilter
_FIRST_KNOWN = ({sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN, sre.AT, sre.ASSERT, sre.ASSERT_NOT, sre.SUBPATTERN,
                 sre.BRANCH, sre.GROUPREF_EXISTS, *REPEATS} | {POSSESSIVE, ATOMIC}) - {None}


def _nodes(seq):
    """Every node of a parse tree, depth first."""
    for op, av in seq:
        yield op, av
        if op == sre.SUBPATTERN:
            yield from _nodes(av[-1])
        elif op == sre.BRANCH:
            for alt in av[1]:
                yield from _nodes(alt)
        elif op in REPEATS or op == POSSESSIVE:
            yield from _nodes(av[2])
        elif op == ATOMIC:
            yield from _nodes(av)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _nodes(av[1])
        elif op == sre.GROUPREF_EXISTS:
            yield from _nodes(av[1])
            if av[2] is not None:
                yield from _nodes(av[2])


def _opening(seq) -> tuple[int, Any]:
    """The opening node of a pattern, past the groups that wrap it."""
    while seq and seq[0][0] == sre.SUBPATTERN:
        seq = seq[0][1][-1]
    return seq[0] if seq else (None, None)


def _re_skips_itself(seq) -> bool:
    """Does ``re`` already skip ahead by this pattern's first characters?  (It does when the pattern
    opens with a literal or a class, or with an alternation whose branches all open with a literal.)"""
    op, av = _opening(seq)
    if op in (sre.LITERAL, sre.IN):
        return True
    return op == sre.BRANCH and all(alt and alt[0][0] == sre.LITERAL for alt in av[1])


#: ways a pattern can open (see ``_heads``) beyond which the analysis gives up
_MAX_HEADS = 1024


def _item_heads(item, k: int) -> set | None:
    op, av = item
    if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
        return {((first(item)[0],), True)}
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {((), True)}  # consumes nothing
    if op == sre.SUBPATTERN:
        return _heads(av[-1], k)
    if op == ATOMIC:
        return _heads(av, k)
    if op == sre.BRANCH:
        out: set = set()
        for alt in av[1]:
            out |= _heads(alt, k)
        return out
    if op in REPEATS or op == POSSESSIVE:
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


def _class_source(chars: Chars) -> str | None:
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
        tree = pattern_tree(pattern)
        if tree.state.flags & (re.IGNORECASE | re.VERBOSE) or any(op not in _FIRST_KNOWN for op, _av in _nodes(tree)):
            return None, None, None
        chars, empty = first_seq(tree)
        if empty:
            return None, None, None
        heads = _heads(tree, 2)
    except Exception:  # noqa: BLE001 - anything odd: no prefilter
        return None, None, None
    second = None
    if all(len(classes) == 2 for classes, _done in heads):
        chars2 = NONE
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
    source = remembered("gate", pattern.pattern, pattern.flags, lambda: _match_gate(pattern))
    return None if source is None else rxcache.compile(source, pattern.flags)


def _match_gate(pattern: re.Pattern[str]) -> str | None:
    tree, first, second = _opening_classes(pattern)
    if tree is None or first is None:
        return None
    if _re_skips_itself(tree):
        op, av = _opening(tree)
        if second is None or op != sre.BRANCH or len(av[1]) < _MANY_BRANCHES:
            return None
    ahead = f"(?={second})" if second else ""
    source = f"{first}{ahead}(?<=(?=(?:{pattern.pattern}))(?s:.))"
    try:
        re.compile(source, pattern.flags)
    except (re.error, RecursionError):  # e.g. global flags (?m) inside the pattern
        return None
    return source


_ONE_CHAR = {sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN}


def one_char_items(pattern: str) -> bool:
    """True when ``pattern`` (without flags), as ``re`` parses it, is a sequence of items that each
    match one character -- literals, classes, ``.`` -- and nothing else: no groups, repeats,
    alternation, anchors, lookarounds or inline flags.  Such a pattern matches a fixed number of
    characters and gives the same answer on them wherever they stand, so it can serve in a lookbehind."""
    return remembered("one-char", pattern, 0, lambda: _one_char_items(pattern))


def _one_char_items(pattern: str) -> bool:
    try:
        tree = parsed(pattern, 0)
    except Exception:  # noqa: BLE001 - re.error, RecursionError: not such a pattern
        return False
    return (len(tree) > 0 and not tree.state.flags & ~re.UNICODE
            and all(op in _ONE_CHAR for op, _av in tree))
