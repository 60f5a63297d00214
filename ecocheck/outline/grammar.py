"""Loads the Lark grammar shipped in the package and exposes its pieces.

The grammar file (``ecocheck/grammars/outline.lark``; ``grammars/`` in the
source tree) is the single source of truth for the label patterns: the
paragraph lexer compiles the ``LABEL_*`` and ``ITEM_*`` terminals from it.
"""

from __future__ import annotations

import re
from functools import lru_cache

GRAMMAR_PACKAGE = "ecocheck.grammars"
GRAMMAR_FILE = "outline.lark"

#: label style ids by level (used by rules and the outline JSON)
LEVEL_TERMINALS = {1: "LABEL_L1", 2: "LABEL_L2", 3: "LABEL_L3", 4: "LABEL_L4", 5: "LABEL_L5"}
ITEM_TERMINALS = ("ITEM_SHI", "ITEM_DI", "ITEM_QI")


@lru_cache(maxsize=1)
def _parser():
    """The one Lark parser of the grammar: ``document`` over paragraph tokens; the ``label`` and
    ``item`` start symbols are there for their terminals (the label regexes below)."""
    from lark import Lark
    from lark.lexer import Lexer

    class _ParagraphTokens(Lexer):
        """Custom lexer (interface 0): the input is already a list of paragraph tokens."""

        __future_interface__ = 0

        def __init__(self, lexer_conf):
            pass

        def lex(self, data):  # type: ignore[override]
            return iter(data)

    return Lark.open_from_package(GRAMMAR_PACKAGE, GRAMMAR_FILE, ("",), start=["document", "label", "item"],
                                  parser="lalr", lexer=_ParagraphTokens, propagate_positions=False,
                                  maybe_placeholders=False)


def parse_document(tokens):
    """Parse the paragraph token stream (start symbol ``document``)."""
    return _parser().parse(tokens, start="document")


@lru_cache(maxsize=1)
def _terminal_patterns() -> dict[str, str]:
    """Regex source of every label terminal, read through Lark's own grammar loader."""
    return {t.name: t.pattern.to_regexp() for t in _parser().terminals}


@lru_cache(maxsize=1)
def label_regexes() -> dict[int, "re.Pattern[str]"]:
    """Anchored regex per heading level, compiled from the grammar's LABEL_* terminals."""
    pats = _terminal_patterns()
    return {level: re.compile(pats[name]) for level, name in LEVEL_TERMINALS.items()}


@lru_cache(maxsize=1)
def item_regex() -> "re.Pattern[str]":
    """One regex finding inline enumeration labels (一是, 第一，, 其一，)."""
    raw = _terminal_patterns()
    parts = []
    for name in ITEM_TERMINALS:
        pat = raw[name].replace("?P<num>", f"?P<{name.lower()}_num>")
        pat = pat.replace("?P<kind>", f"?P<{name.lower()}_kind>").replace("?P<sep>", f"?P<{name.lower()}_sep>")
        parts.append(f"(?P<{name.lower()}>{pat})")
    return re.compile("|".join(parts))
