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

import re

from .regexparse import ATOMIC, POSSESSIVE, REPEATS, Chars, first_seq, parsed, remembered, sre

__all__ = ["backtracking_risk"]


#: an outer repeat that may iterate more than this many times is checked
_MIN_OUTER = 2


def _ambiguous(seq, follow: Chars) -> str | None:
    """Why ``seq`` (part of an iterating repeat's body) can match one text in several ways."""
    items = list(seq)
    for i, item in enumerate(items):
        rest, rest_empty = first_seq(items[i + 1:])
        after = rest | follow if rest_empty else rest
        op, av = item
        if op in REPEATS:
            lo, hi, body = av
            inner = first_seq(body)[0]
            # a variable repeat that can hand characters to what follows it (or to the next iteration)
            if hi != lo and inner.overlaps(after):
                return "嵌套量词"
            why = _ambiguous(body, after | inner if hi > 1 else after)
            if why:
                return why
        elif op == sre.SUBPATTERN:
            why = _ambiguous(av[-1], after)
            if why:
                return why
        elif op == sre.BRANCH:
            alts = [(first_seq(alt), alt) for alt in av[1]]
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
        elif op == sre.GROUPREF_EXISTS:
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
        if op in REPEATS:
            lo, hi, body = av
            reps = min(outer * max(hi, 1), sre.MAXREPEAT)
            if reps > _MIN_OUTER:
                why = _ambiguous(body, first_seq(body)[0])
                if why:
                    return why
            why = _scan(body, reps)
        elif op == POSSESSIVE:
            why = _scan(av[2], outer)
        elif op == sre.SUBPATTERN:
            why = _scan(av[-1], outer)
        elif op == ATOMIC:
            why = _scan(av, outer)
        elif op == sre.BRANCH:
            why = next((w for w in (_scan(alt, outer) for alt in av[1]) if w), None)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            why = _scan(av[1], outer)
        elif op == sre.GROUPREF_EXISTS:
            why = _scan(av[1], outer) or (_scan(av[2], outer) if av[2] is not None else None)
        else:
            why = None
        if why:
            return why
    return None


def backtracking_risk(pattern: str, flags: int = 0) -> str | None:
    """A short Chinese reason when ``pattern`` may backtrack catastrophically, else None.

    A pattern that does not parse returns None: ``re.compile`` reports it.
    """
    return remembered("risk", pattern, int(flags) & ~re.UNICODE, lambda: _backtracking_risk(pattern, flags))


def _backtracking_risk(pattern: str, flags: int) -> str | None:
    try:
        tree = parsed(pattern, flags & ~re.UNICODE)
    except Exception:  # noqa: BLE001 - re.error, RecursionError, …: compile() will say
        return None
    try:
        return _scan(tree)
    except RecursionError:
        return "嵌套过深"
