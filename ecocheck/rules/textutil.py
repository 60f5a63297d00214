"""Character classes and masks shared by the typography, wording and consistency rules.

Nothing here is a rule.  Chinese has no word boundaries, so the rules reason about the
characters either side of a mark instead of ``\\b``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable
from functools import lru_cache

from .. import rxcache
from ..engine.regexgate import line_local
from ..engine.scopes import joined_text, scope_spans

CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: full-width marks that count as "Chinese text" next to a half-width mark
CJK_OPENING = "“‘（《〈【〔「『［"
CJK_CLOSING = "”’）》〉】〕」』］"
CJK_MARKS = "，。、；：？！…—" + CJK_OPENING + CJK_CLOSING
CN_DIGITS = "〇○零一二三四五六七八九十百千万亿两"


_CJK_CHAR = rxcache.compile("[" + CJK_CLASS + "\U00020000-\U0002FA1F]")
_LATIN_LETTER = rxcache.compile("[A-Za-z]")


def is_cjk(ch: str) -> bool:
    """True for one Chinese character (CJK_CLASS or the supplementary ideograph planes)."""
    if len(ch) != 1:
        return False
    return "\u4e00" <= ch <= "\u9fff" or _CJK_CHAR.match(ch) is not None


def is_cjk_context(ch: str) -> bool:
    """A Chinese character or a full-width Chinese mark."""
    return bool(ch) and (is_cjk(ch) or ch in CJK_MARKS)


def has_cjk(text: str) -> bool:
    return _CJK_CHAR.search(text) is not None


@lru_cache(maxsize=4096)  # several rules ask about the same paragraph
def chinese_prose(text: str) -> bool:
    """True when ``text`` is Chinese prose: it has Chinese characters and fewer Latin letters than those.

    English sentences quoting a Chinese word keep English punctuation and spacing.
    """
    cjk = len(_CJK_CHAR.findall(text))
    return cjk > 0 and len(_LATIN_LETTER.findall(text)) <= cjk


_URL = rxcache.compile(r"(?:https?|ftp)://[^\s\u3000，。；：！？、“”‘’（）《》【】<>\"']+|www\.[A-Za-z0-9.-]+(?:/[^\s\u3000，。；！？、“”（）《》]*)?",
                       re.I)
_EMAIL = rxcache.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_DOMAIN = rxcache.compile(r"(?<![A-Za-z0-9.])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:cn|com|net|org|gov|edu)(?:\.cn)?(?![A-Za-z0-9])", re.I)
_MD_CODE = rxcache.compile(r"(`+)(?:(?!\1).)+?\1")
_MD_LINK_TARGET = rxcache.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_MD_AUTOLINK = rxcache.compile(r"<[^<>\s]+>")
_MD_LEAD = rxcache.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d{1,3}[.)]\s+)?")


_ASCII_ALNUM = rxcache.compile(r"[A-Za-z0-9]")


@lru_cache(maxsize=4096)  # several rules ask about the same paragraph
def masked_spans(text: str, fmt: str) -> tuple[tuple[int, int], ...]:
    """Ranges of ``text`` that are not prose: URLs, e-mail, domains; Markdown code, link targets, list markers."""
    if fmt != "md" and not _ASCII_ALNUM.search(text):
        return ()  # no URL, e-mail address or domain without ASCII letters or digits
    spans = [m.span() for rx in (_URL, _EMAIL, _DOMAIN) for m in rx.finditer(text)]
    if fmt == "md":
        spans += [m.span() for rx in (_MD_CODE, _MD_LINK_TARGET, _MD_AUTOLINK) for m in rx.finditer(text)]
        lead = _MD_LEAD.match(text)
        if lead and lead.end():
            spans.append((0, lead.end()))
    return tuple(sorted(spans))


def in_spans(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in spans)


def words_of(block: str | list | None) -> list[str]:
    """Split a whitespace-separated block (or a list) into words, ignoring ``#`` comments."""
    if not block:
        return []
    if isinstance(block, list):
        return [str(w) for w in block]
    out = []
    for line in str(block).splitlines():
        line = line.split("#", 1)[0]
        out.extend(line.split())
    return out


def prose_paragraphs(ctx, among: Collection[int], accept=chinese_prose):
    """``(span, text, masks)`` for each paragraph of the text scope in ``among`` that ``accept(text)``
    lets through.

    ``among`` is the rule's prefilter, usually :func:`paragraphs_matching` of what it looks for, so
    only paragraphs that may hold a finding are tested and masked.  ``masks`` are the paragraph's
    non-prose ranges (URLs, e-mail, Markdown code, …), from :func:`masked_spans` -- the shared
    prologue of the punctuation rules, cached per paragraph text.
    """
    paras = ctx.document.paragraphs
    fmt = ctx.document.format
    out = []
    for span in scope_spans(ctx.outline, "text"):
        if span.paragraph in among:
            text = paras[span.paragraph].text
            if accept(text):
                out.append((span, text, masked_spans(text, fmt)))
    return out


def paragraphs_matching(outline, regex: re.Pattern) -> frozenset[int]:
    """Indices of the paragraphs whose text has a match of ``regex`` (cached per pattern).

    A rule that can only report where its pattern occurs skips every other paragraph with one
    set lookup.  For a line-local pattern (:func:`ecocheck.engine.regexgate.line_local`) the
    paragraphs are found by searching the joined text, resuming at the start of the paragraph
    after each hit: one C-level search per paragraph that has a match, none for the others.
    """
    key = f"matching:{regex.pattern}:{regex.flags}"
    cached = outline.cache.get(key)
    if cached is None:
        if line_local(regex):
            text, starts = joined_text(outline)
            found = set()
            m = regex.search(text)
            while m is not None:
                k = bisect_right(starts, m.start()) - 1
                found.add(k)
                if k + 1 == len(starts):
                    break
                m = regex.search(text, starts[k + 1])
        else:
            found = {p.index for p in outline.document.paragraphs if regex.search(p.text)}
        cached = outline.cache[key] = frozenset(found)
    return cached
