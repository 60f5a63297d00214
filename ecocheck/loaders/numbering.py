"""Word automatic numbering: numbering.xml definitions, list counters, labels.

A paragraph with ``w:numPr`` (directly or through its paragraph style) shows a
label that is not in the document text: Word computes it from the list
definition and a running counter.  This module reproduces that computation so
the loader can prepend the label ("一、", "（二）", "3.") to the paragraph text,
exactly as the reader sees it.

The module works on already-parsed lxml elements and holds no I/O.  Rendering
rules follow what Word displays (see ``format_number``); the counter model:

* counters live per abstract numbering definition, so two ``w:num`` sharing an
  ``w:abstractNum`` continue one sequence -- unless the ``w:num`` carries a
  ``w:startOverride``, which makes it an independent, restarted list;
* using a level increments it and restarts deeper levels (``w:lvlRestart``
  decides, 0 meaning never);
* ``numId`` 0 switches numbering off (e.g. to cancel a style's numbering).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "{%s}" % W_NS
_MC = "{%s}" % MC_NS

_VAL = _W + "val"
_ABSTRACT_NUM = _W + "abstractNum"
_ABSTRACT_NUM_ID = _W + "abstractNumId"
_NUM = _W + "num"
_NUM_ID = _W + "numId"
_LVL = _W + "lvl"
_ILVL = _W + "ilvl"
_START = _W + "start"
_NUM_FMT = _W + "numFmt"
_LVL_TEXT = _W + "lvlText"
_LVL_RESTART = _W + "lvlRestart"
_IS_LGL = _W + "isLgl"
_P_STYLE = _W + "pStyle"
_LVL_OVERRIDE = _W + "lvlOverride"
_START_OVERRIDE = _W + "startOverride"
_NUM_STYLE_LINK = _W + "numStyleLink"
_ALTERNATE_CONTENT = _MC + "AlternateContent"
_FALLBACK = _MC + "Fallback"

MAX_LEVELS = 9  # Word lists have levels 0..8


# ---------------------------------------------------------------------------
# Number formats


def _chinese_counting(n: int) -> str:
    # Word's "一, 二, 三..." (chineseCounting): tens are spelled with 十 up to
    # 99; from 100 on Word writes the digits one by one ("一○五").
    digits = "○一二三四五六七八九"
    if 1 <= n <= 9:
        return digits[n]
    if 10 <= n <= 99:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    if 100 <= n <= 9999:
        return "".join(digits[int(d)] for d in str(n))
    return str(n)


def _chinese_counting_thousand(n: int) -> str:
    # Word's "一, 二, 三 (简)..." (chineseCountingThousand): full positional
    # reading with 百/千 and 〇 for an inner zero ("一百〇五", "一千〇十").
    digits = "〇一二三四五六七八九"
    if n < 1 or n > 9999:
        return str(n)
    if n <= 99:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return digits[ones]
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    out: list[str] = []
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    tens, ones = divmod(rest, 10)
    if thousands:
        out.append(digits[thousands] + "千")
    if hundreds:
        out.append(digits[hundreds] + "百")
    elif thousands and rest:
        out.append("〇")
    if tens:
        if hundreds or thousands:
            out.append(digits[tens] + "十")
        else:
            out.append(("" if tens == 1 else digits[tens]) + "十")
    elif ones and hundreds:
        out.append("〇")
    if ones:
        out.append(digits[ones])
    return "".join(out)


def _chinese_legal_simplified(n: int) -> str:
    # 壹, 贰, 叁...: 10 is 壹拾, inner zeros read 零 ("壹佰零伍").
    digits = "零壹贰叁肆伍陆柒捌玖"
    units = ("", "拾", "佰", "仟")
    if n < 1 or n > 9999:
        return str(n)
    out: list[str] = []
    pending_zero = False
    s = str(n)
    for pos, ch in enumerate(s):
        d = int(ch)
        unit = units[len(s) - pos - 1]
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(digits[d] + unit)
    return "".join(out)


def _ideograph_digital(n: int) -> str:
    digits = "〇一二三四五六七八九"
    return "".join(digits[int(d)] for d in str(n)) if n >= 0 else str(n)


def _cycle(chars: str, n: int) -> str:
    # Word shows the cyclic ideograph only inside its range, decimals beyond.
    return chars[n - 1] if 1 <= n <= len(chars) else str(n)


#: letter labels grow with the value (A..Z, AA, …): beyond this a label renders as decimal,
#: so that a hostile w:start of 10^9 cannot make a 38-million-character label per paragraph
_MAX_LETTER_VALUE = 26 * 10
_MAX_ROMAN_VALUE = 3999


def _letter(n: int, upper: bool) -> str:
    # Word repeats the letter after Z: A..Z, AA, BB, ..., ZZ, AAA.
    if n < 1 or n > _MAX_LETTER_VALUE:
        return str(n)
    base = ord("A" if upper else "a")
    return chr(base + (n - 1) % 26) * ((n - 1) // 26 + 1)


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int, upper: bool) -> str:
    if n < 1 or n > _MAX_ROMAN_VALUE:
        return str(n)
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    s = "".join(out)
    return s if upper else s.lower()


def _enclosed(first: int, n: int) -> str:
    # ①..⑳ style blocks hold 1..20; Word falls back to plain digits beyond.
    return chr(first + n - 1) if 1 <= n <= 20 else str(n)


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

_FORMATTERS = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalFullWidth": lambda n: str(n).translate(_FULLWIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(_FULLWIDTH),
    "decimalZero": lambda n: f"{n:02d}" if n >= 0 else str(n),
    "decimalEnclosedCircle": lambda n: _enclosed(0x2460, n),
    "decimalEnclosedCircleChinese": lambda n: _enclosed(0x2460, n),
    "decimalEnclosedParen": lambda n: _enclosed(0x2474, n),
    "decimalEnclosedFullstop": lambda n: _enclosed(0x2488, n),
    "chineseCounting": _chinese_counting,
    "chineseCountingThousand": _chinese_counting_thousand,
    "chineseLegalSimplified": _chinese_legal_simplified,
    "ideographDigital": _ideograph_digital,
    "ideographTraditional": lambda n: _cycle("甲乙丙丁戊己庚辛壬癸", n),
    "ideographZodiac": lambda n: _cycle("子丑寅卯辰巳午未申酉戌亥", n),
    "upperLetter": lambda n: _letter(n, True),
    "lowerLetter": lambda n: _letter(n, False),
    "upperRoman": lambda n: _roman(n, True),
    "lowerRoman": lambda n: _roman(n, False),
    "none": lambda n: "",
}

SUPPORTED_FORMATS = frozenset(_FORMATTERS) | {"bullet"}


def format_number(value: int, fmt: str) -> str:
    """Render ``value`` in the ``w:numFmt`` ``fmt`` the way Word displays it.

    Unknown formats render as decimal; ``bullet`` has no number (empty).
    """
    if fmt == "bullet":
        return ""
    return _FORMATTERS.get(fmt, str)(value)


# ---------------------------------------------------------------------------
# Definitions


@dataclass(slots=True)
class Level:
    """One ``w:lvl`` of a list definition."""

    ilvl: int
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # w:lvlText; None: the level shows no label
    restart: int | None = None  # w:lvlRestart (1-based level; 0 = never; None = default)
    legal: bool = False  # w:isLgl: every %N renders as decimal
    style: str | None = None  # w:pStyle: paragraph style linked to this level


@dataclass(slots=True)
class AbstractNum:
    """A ``w:abstractNum``: the level definitions a list is drawn from."""

    id: str
    levels: dict[int, Level] = field(default_factory=dict)
    num_style_link: str | None = None  # levels live in the list style's numbering


@dataclass(slots=True)
class Num:
    """A ``w:num``: a list instance, its abstract numbering and its overrides."""

    id: str
    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


def _int(value: str | None, default: int | None = None) -> int | None:
    if value is None:
        return default
    try:
        return int(value.strip())
    except ValueError:
        return default


def _val(parent, tag: str) -> str | None:
    el = parent.find(tag)
    return None if el is None else el.get(_VAL)


def _parse_level(el) -> Level | None:
    ilvl = _int(el.get(_ILVL))
    if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
        return None
    fmt_el = el.find(_NUM_FMT)
    if fmt_el is None:
        # Word 2010+ wraps newer formats in mc:AlternateContent with a fallback.
        for ac in el.iter(_ALTERNATE_CONTENT):
            fb = ac.find(_FALLBACK)
            if fb is not None and fb.find(_NUM_FMT) is not None:
                fmt_el = fb.find(_NUM_FMT)
                break
    lgl = el.find(_IS_LGL)
    return Level(
        ilvl=ilvl,
        start=_int(_val(el, _START), 1),
        fmt=(fmt_el.get(_VAL) if fmt_el is not None else None) or "decimal",
        text=_val(el, _LVL_TEXT),
        restart=_int(_val(el, _LVL_RESTART)),
        legal=lgl is not None and (lgl.get(_VAL) or "true").lower() not in ("0", "false", "off"),
        style=_val(el, _P_STYLE),
    )


class NumberingDefinitions:
    """The list definitions of one numbering.xml part."""

    def __init__(self, abstracts: dict[str, AbstractNum] | None = None, nums: dict[str, Num] | None = None):
        self.abstracts = abstracts or {}
        self.nums = nums or {}

    @classmethod
    def from_xml(cls, root) -> "NumberingDefinitions":
        """Build from the parsed ``w:numbering`` root element (None: no lists)."""
        abstracts: dict[str, AbstractNum] = {}
        nums: dict[str, Num] = {}
        if root is None:
            return cls()
        for el in root:
            if el.tag == _ABSTRACT_NUM:
                aid = el.get(_ABSTRACT_NUM_ID)
                if aid is None:
                    continue
                a = AbstractNum(aid, num_style_link=_val(el, _NUM_STYLE_LINK))
                for lvl_el in el.iter(_LVL):
                    lvl = _parse_level(lvl_el)
                    if lvl is not None and lvl.ilvl not in a.levels:
                        a.levels[lvl.ilvl] = lvl
                abstracts[aid] = a
            elif el.tag == _NUM:
                nid = el.get(_NUM_ID)
                aid = _val(el, _ABSTRACT_NUM_ID)
                if nid is None or aid is None:
                    continue
                num = Num(nid, aid)
                for ov in el.iter(_LVL_OVERRIDE):
                    ilvl = _int(ov.get(_ILVL))
                    if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
                        continue
                    start = _int(_val(ov, _START_OVERRIDE))
                    if start is not None:
                        num.start_overrides[ilvl] = start
                    lvl_el = ov.find(_LVL)
                    if lvl_el is not None:
                        lvl = _parse_level(lvl_el)
                        if lvl is not None:
                            lvl.ilvl = ilvl
                            num.level_overrides[ilvl] = lvl
                nums[nid] = num
        return cls(abstracts, nums)


@dataclass(slots=True)
class StyleNumbering:
    """Numbering attached to paragraph styles (``w:pPr/w:numPr`` in styles.xml)."""

    num_pr: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)  # style id -> (numId, ilvl)
    based_on: dict[str, str] = field(default_factory=dict)  # style id -> parent style id
    _resolved: dict[str, tuple[str | None, int | None]] = field(default_factory=dict, repr=False, compare=False)

    def resolve(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The (numId, ilvl) a style gives, following its ``w:basedOn`` chain (once per style: every
        paragraph asks for its style's)."""
        if style_id is None:
            return None, None
        found = self._resolved.get(style_id)
        if found is None:
            found = self._resolved[style_id] = self._follow(style_id)
        return found

    def _follow(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style_id is not None and style_id not in seen:
            seen.add(style_id)
            found = self.num_pr.get(style_id)
            if found is not None:
                return found
            style_id = self.based_on.get(style_id)
        return None, None

    def chain(self, style_id: str | None) -> list[str]:
        out: list[str] = []
        while style_id is not None and style_id not in out:
            out.append(style_id)
            style_id = self.based_on.get(style_id)
        return out


@dataclass(slots=True, frozen=True)
class Label:
    """A rendered numbering label and where it comes from."""

    text: str
    num_id: str
    ilvl: int
    fmt: str
    value: int


_PLACEHOLDER = re.compile(r"%([1-9])")


class ListNumbering:
    """Renders labels paragraph by paragraph, keeping Word's list counters.

    Call :meth:`next_label` for every paragraph in document order; it
    advances the counters and returns the label Word shows (or None).
    """

    def __init__(self, definitions: NumberingDefinitions, styles: StyleNumbering | None = None):
        self.definitions = definitions
        self.styles = styles or StyleNumbering()
        self._counters: dict[tuple[str, str], list[int | None]] = {}

    # -- definition lookup -------------------------------------------------

    def _abstract(self, num: Num) -> AbstractNum | None:
        a = self.definitions.abstracts.get(num.abstract_id)
        # w:numStyleLink: the real levels sit in the abstractNum of the list
        # style's own w:num.  Follow at most a couple of hops (cycles exist in
        # the wild).
        for _ in range(3):
            if a is None or a.levels or a.num_style_link is None:
                break
            linked_num_id, _ilvl = self.styles.resolve(a.num_style_link)
            linked = self.definitions.nums.get(linked_num_id) if linked_num_id else None
            a = self.definitions.abstracts.get(linked.abstract_id) if linked else None
        return a

    def level(self, num_id: str, ilvl: int) -> Level | None:
        num = self.definitions.nums.get(num_id)
        if num is None:
            return None
        override = num.level_overrides.get(ilvl)
        if override is not None:
            return override
        a = self._abstract(num)
        return a.levels.get(ilvl) if a is not None else None

    def resolve(self, num_id: str | None, ilvl: int | None, style_id: str | None = None) -> tuple[str, int] | None:
        """Combine a paragraph's direct numPr with its style's: (numId, ilvl) or None."""
        style_num_id, style_ilvl = self.styles.resolve(style_id) if style_id else (None, None)
        if num_id is None:
            num_id = style_num_id
        if num_id is None or num_id.strip() in ("", "0"):
            return None
        num_id = num_id.strip()
        if ilvl is None:
            ilvl = style_ilvl
        if ilvl is None and style_id is not None:
            ilvl = self._level_for_style(num_id, style_id)
        if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
            ilvl = 0
        return num_id, ilvl

    def _level_for_style(self, num_id: str, style_id: str) -> int | None:
        num = self.definitions.nums.get(num_id)
        a = self._abstract(num) if num is not None else None
        if a is None:
            return None
        chain = self.styles.chain(style_id)
        for sid in chain:
            for lvl in a.levels.values():
                if lvl.style == sid:
                    return lvl.ilvl
        return None

    # -- counters ----------------------------------------------------------

    def _state(self, num: Num) -> list[int | None]:
        key = ("num", num.id) if num.start_overrides else ("abstract", num.abstract_id)
        state = self._counters.get(key)
        if state is None:
            state = self._counters[key] = [None] * MAX_LEVELS
        return state

    def _start(self, num: Num, ilvl: int) -> int:
        if ilvl in num.start_overrides:
            return num.start_overrides[ilvl]
        lvl = self.level(num.id, ilvl)
        return lvl.start if lvl is not None else 1

    def next_label(self, num_id: str | None, ilvl: int | None, style_id: str | None = None) -> Label | None:
        """Advance the list counters for one paragraph and return its label.

        ``num_id``/``ilvl`` are the paragraph's direct ``w:numPr`` values (None
        when absent), ``style_id`` its paragraph style id.
        """
        resolved = self.resolve(num_id, ilvl, style_id)
        if resolved is None:
            return None
        num_id, ilvl = resolved
        num = self.definitions.nums.get(num_id)
        lvl = self.level(num_id, ilvl) if num is not None else None
        if num is None or lvl is None:
            return None
        state = self._state(num)
        current = state[ilvl]
        value = self._start(num, ilvl) if current is None else current + 1
        state[ilvl] = value
        for deeper in range(ilvl + 1, MAX_LEVELS):
            d = self.level(num_id, deeper)
            restart = d.restart if d is not None else None
            if restart is None or restart > deeper:
                state[deeper] = None  # default: restart after any shallower level
            elif restart != 0 and ilvl < restart:
                state[deeper] = None
        text = self._render(num, lvl, state)
        return Label(text, num_id, ilvl, lvl.fmt, value) if text else None

    def _render(self, num: Num, lvl: Level, state: list[int | None]) -> str:
        if lvl.text is None:
            return ""
        if lvl.fmt == "bullet":
            return lvl.text

        def repl(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            ref = lvl if k == lvl.ilvl else self.level(num.id, k)
            value = state[k]
            if value is None:  # a shallower level not used yet shows its start value
                value = self._start(num, k)
            fmt = ref.fmt if ref is not None else "decimal"
            if lvl.legal and fmt not in ("none", "bullet"):
                fmt = "decimal"
            return format_number(value, fmt)

        return _PLACEHOLDER.sub(repl, lvl.text)


def labels_for(numbering: ListNumbering, paragraphs: Iterable[tuple[str | None, int | None, str | None]]) -> list[str]:
    """Labels for a sequence of (numId, ilvl, style id) paragraphs ("" = none).

    A convenience for tests and tools; the loader calls :meth:`ListNumbering.next_label`.
    """
    out = []
    for num_id, ilvl, style_id in paragraphs:
        label = numbering.next_label(num_id, ilvl, style_id)
        out.append(label.text if label else "")
    return out
