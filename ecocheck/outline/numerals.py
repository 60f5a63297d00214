"""Chinese and Arabic numeral helpers for labels and counts."""

from __future__ import annotations

from functools import lru_cache

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@lru_cache(maxsize=1024)  # labels repeat (一, 二, …): a document parses a handful of distinct ones
def cn_to_int(text: str) -> int | None:
    """Parse a Chinese numeral (一, 十一, 二十三, 一百零五, 二〇二三) or Arabic digits."""
    if not text:
        return None
    t = text.translate(_FULLWIDTH_DIGITS)
    if t.isascii() and t.isdigit():
        return int(t)
    if len(t) == 1 and t in CIRCLED:
        return CIRCLED.index(t) + 1
    if all(ch in CN_DIGITS for ch in t) and len(t) > 1:
        # digit-by-digit form such as 二〇二三
        return int("".join(str(CN_DIGITS[ch]) for ch in t))
    total, section, number = 0, 0, None
    for ch in t:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if unit == 10000:
                section = (section + (number or 0)) * unit
                total += section
                section = 0
            else:
                section += (number if number is not None else 1) * unit
            number = None
        else:
            return None
    return total + section + (number or 0)


def int_to_cn(n: int) -> str:
    """Format n ≥ 0 the way labels are written (十一, 二十, 一百零五, 一万零一十)."""
    digits = "零一二三四五六七八九"
    if n < 0:
        raise ValueError(n)
    if n >= 10000:  # absurd for a label, but a rule may ask (the 10,001st item of a list)
        for base, name in ((100_000_000, "亿"), (10000, "万")):
            if n >= base:
                high, rest = divmod(n, base)
                if not rest:
                    return int_to_cn(high) + name
                low = int_to_cn(rest)
                if rest < 20 and low.startswith("十"):
                    low = "一" + low
                return int_to_cn(high) + name + ("零" if rest < base // 10 else "") + low
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    out = []
    units = [(1000, "千"), (100, "百"), (10, "十")]
    rest = n
    zero = False
    started = False
    for value, name in units:
        d, rest = divmod(rest, value)
        if d:
            if zero:
                out.append("零")
                zero = False
            out.append(digits[d] + name)
            started = True
        elif started:
            zero = True
    if rest:
        if zero:
            out.append("零")
        out.append(digits[rest])
    return "".join(out)
