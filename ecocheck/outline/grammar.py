"""Loads the Lark grammar shipped in the package and exposes its pieces.

The grammar file (``ecocheck/grammars/outline.lark``; ``grammars/`` in the
source tree) is the single source of truth for the label patterns: the
paragraph lexer compiles the ``LABEL_*`` and ``ITEM_*`` terminals from it.

Building the LALR parser is a noticeable part of a run's start-up, so the built
parser is kept in the user's cache directory (``ecocheck/usercache.py``) under a key
made of the grammar's bytes, Lark's and Python's versions and the parser options: any
change builds afresh, and any problem with the saved file means building it as if there
were no cache.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
from functools import lru_cache
from pathlib import Path

from .. import rxcache, usercache
from ..resources import data_file

GRAMMAR_PACKAGE = "ecocheck.grammars"
GRAMMAR_FILE = "outline.lark"

#: label style ids by level (used by rules and the outline JSON)
LEVEL_TERMINALS = {1: "LABEL_L1", 2: "LABEL_L2", 3: "LABEL_L3", 4: "LABEL_L4", 5: "LABEL_L5"}
ITEM_TERMINALS = ("ITEM_SHI", "ITEM_DI", "ITEM_QI")


_PARSER_OPTIONS = dict(start=["document", "label", "item"], parser="lalr", propagate_positions=False,
                       maybe_placeholders=False)


def _build():
    from lark import Lark

    from .larklexer import ParagraphTokens

    return Lark.open_from_package(GRAMMAR_PACKAGE, GRAMMAR_FILE, ("",), lexer=ParagraphTokens, **_PARSER_OPTIONS)


def _cache_file(directory: Path) -> Path:
    import lark

    h = hashlib.sha256(data_file(GRAMMAR_PACKAGE, GRAMMAR_FILE).read_bytes())
    h.update(f"\0{lark.__version__}\0{sys.version}\0{sorted(_PARSER_OPTIONS.items())!r}".encode())
    return directory / f"outline-parser-{h.hexdigest()[:24]}.pickle"


def cached_parser(directory: Path | None):
    """The grammar's parser, from ``directory`` when a matching saved one is there, else built
    (and saved there for the next run)."""
    from lark import Lark

    if directory is None:
        return _build()
    path = _cache_file(directory)
    saved = usercache.read(path)
    if saved is not None:
        try:
            return Lark.load(io.BytesIO(saved))
        except Exception:  # noqa: BLE001, S110 - corrupt or stale: build it
            pass
    parser = _build()
    buf = io.BytesIO()
    parser.save(buf)
    usercache.write(path, buf.getvalue())
    return parser


@lru_cache(maxsize=1)
def parser():
    """The one Lark parser of the grammar: ``document`` over paragraph tokens; the ``label`` and
    ``item`` start symbols are there for their terminals (the label regexes below).  Built once per
    process; a run builds it before it lints a file within that file's memory budget
    (:func:`ecocheck.run.pipeline.lint_bounded`)."""
    return cached_parser(usercache.cache_dir())


def parse_document(tokens):
    """Parse the paragraph token stream (start symbol ``document``)."""
    return parser().parse(tokens, start="document")


@lru_cache(maxsize=1)
def _terminal_patterns() -> dict[str, str]:
    """Regex source of every label terminal, read through Lark's own grammar loader."""
    return {t.name: t.pattern.to_regexp() for t in parser().terminals}


@lru_cache(maxsize=1)
def label_regexes() -> dict[int, re.Pattern[str]]:
    """Anchored regex per heading level, compiled from the grammar's LABEL_* terminals."""
    pats = _terminal_patterns()
    return {level: rxcache.compile(pats[name]) for level, name in LEVEL_TERMINALS.items()}


@lru_cache(maxsize=1)
def item_regex() -> re.Pattern[str]:
    """One regex finding inline enumeration labels (一是, 第一，, 其一，)."""
    raw = _terminal_patterns()
    parts = []
    for name in ITEM_TERMINALS:
        pat = raw[name].replace("?P<num>", f"?P<{name.lower()}_num>")
        pat = pat.replace("?P<kind>", f"?P<{name.lower()}_kind>").replace("?P<sep>", f"?P<{name.lower()}_sep>")
        parts.append(f"(?P<{name.lower()}>{pat})")
    return rxcache.compile("|".join(parts))


#: The first two characters of every inline enumeration label (一是, 二要, 十一是, 第一，, 其一，):
#: a numeral one to ten, 第 or 其, then a numeral or 是/要.  tests/test_outline.py checks them
#: against the ITEM_* terminals.
ITEM_FIRST_CHARS = "一二三四五六七八九十第其"
ITEM_SECOND_CHARS = "一二三四五六七八九十是要"


@lru_cache(maxsize=1)
def item_start_regex() -> re.Pattern[str]:
    """Where an inline enumeration label can start (one character long matches).

    :func:`item_regex` opens every branch with a group, so ``re`` cannot skip ahead by
    itself and tries it at every character;
    this class-led pattern lets ``re`` skip in C to the few places worth trying."""
    return rxcache.compile(f"[{ITEM_FIRST_CHARS}](?=[{ITEM_SECOND_CHARS}])")
