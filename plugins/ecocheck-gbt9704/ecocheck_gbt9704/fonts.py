"""Font names, Chinese type sizes (字号) and which font slot a character uses."""

from __future__ import annotations

from typing import Iterable

from ecocheck import rxcache

#: Chinese type sizes in points (GB/T 9704 and Word use these names)
SIZE_NAMES = (
    (42.0, "初号"), (36.0, "小初"), (26.0, "1号"), (24.0, "小1号"), (22.0, "2号"), (18.0, "小2号"),
    (16.0, "3号"), (15.0, "小3号"), (14.0, "4号"), (12.0, "小4号"), (10.5, "5号"), (9.0, "小5号"),
    (7.5, "6号"), (6.5, "小6号"), (5.5, "7号"), (5.0, "8号"),
)

_NORMALISE = rxcache.compile(r"[\s_\-－—·.]+")


def normalise(name: str) -> str:
    """Lower-case, without spaces, underscores, hyphens and dots: 'FangSong_GB2312' -> 'fangsonggb2312'."""
    return _NORMALISE.sub("", name).lower()


def font_matches(name: str | None, accepted: Iterable[str]) -> bool:
    """Whether ``name`` belongs to the family named by any of ``accepted``.

    An accepted entry matches a font whose normalised name contains it, so
    '仿宋' accepts 仿宋_GB2312, 方正仿宋_GBK and FangSong needs 'FangSong'.
    """
    return FontSet(accepted).matches(name)


class FontSet:
    """:func:`font_matches` against one list of accepted names, normalised once and memoised by font name."""

    def __init__(self, accepted: Iterable[str]):
        self._needles = [n for n in map(normalise, accepted) if n]
        self._known: dict[str, bool] = {}

    def matches(self, name: str | None) -> bool:
        if not name:
            return False
        known = self._known.get(name)
        if known is None:
            n = normalise(name)
            known = self._known[name] = any(needle in n for needle in self._needles)
        return known


def size_label(pt: float) -> str:
    """'3号' for 16 pt; '12.5磅' when the size has no Chinese name."""
    for value, label in SIZE_NAMES:
        if abs(value - pt) < 0.01:
            return label
    return f"{pt:g}磅"


def pt_label(pt: float) -> str:
    return f"{round(pt, 2):g}磅"


def expected_size(pt: float) -> str:
    """'3号（16磅）' for the expected size in messages."""
    label = size_label(pt)
    return label if label.endswith("磅") else f"{label}（{pt:g}磅）"


def font_label(name: str | None) -> str:
    return name if name else "未指定字体"


# ---------------------------------------------------------------------------
# Character → font slot (how Word picks w:ascii / w:hAnsi / w:eastAsia)

_EAST_ASIAN_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x2FF0, 0x2FFF), (0x3000, 0x303F), (0x3040, 0x30FF),
    (0x3100, 0x31BF), (0x31C0, 0x31EF), (0x31F0, 0x31FF), (0x3200, 0x32FF), (0x3300, 0x33FF),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2FA1F),
)


def font_slot(ch: str, hint: str | None) -> str:
    """'ascii', 'hAnsi' or 'eastAsia' for one character (ECMA-376 §17.3.2.26, simplified).

    Basic Latin always uses w:ascii; CJK ideographs, kana, hangul, CJK
    punctuation and full-width forms always use w:eastAsia; anything else
    (curly quotes, dashes, Latin-1 letters…) uses w:eastAsia when the run's
    ``w:hint`` is eastAsia and w:hAnsi otherwise.
    """
    cp = ord(ch)
    if cp < 0x80:
        return "ascii"
    for lo, hi in _EAST_ASIAN_RANGES:
        if lo <= cp <= hi:
            return "eastAsia"
    return "eastAsia" if hint == "eastAsia" else "hAnsi"


def _visible_class(ranges) -> str:
    """A regex character class of ``ranges`` less whitespace (there, only U+3000 IDEOGRAPHIC SPACE)."""
    parts = []
    for lo, hi in ranges:
        pieces = ((lo, 0x2FFF), (0x3001, hi)) if lo <= 0x3000 <= hi else ((lo, hi),)
        parts.extend(f"{chr(a)}-{chr(b)}" for a, b in pieces if a <= b)
    return "[" + "".join(parts) + "]"


#: a visible character that ``font_slot`` gives to w:eastAsia whatever the hint / with w:hint="eastAsia"
_EAST_ASIAN_VISIBLE = rxcache.compile(_visible_class(_EAST_ASIAN_RANGES))
_NON_ASCII_VISIBLE = rxcache.compile(r"[^\x00-\x7f\s]")


def has_east_asian(text: str, hint: str | None) -> bool:
    """Whether some visible character of ``text`` is drawn with the East Asian font.

    The same as ``any(not ch.isspace() and font_slot(ch, hint) == "eastAsia" for ch in text)``, scanned in C.
    """
    pattern = _NON_ASCII_VISIBLE if hint == "eastAsia" else _EAST_ASIAN_VISIBLE
    return pattern.search(text) is not None
