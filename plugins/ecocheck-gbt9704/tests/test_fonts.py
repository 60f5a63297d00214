"""Font helpers: the regex scan of has_east_asian agrees with font_slot character by character."""

import pytest

from ecocheck_gbt9704.fonts import FontSet, font_slot, has_east_asian, normalise


@pytest.mark.parametrize("hint", [None, "eastAsia", "cs"])
def test_has_east_asian_is_font_slot_per_visible_character(hint):
    points = list(range(0x30000)) + list(range(0x30000, 0x110000, 97)) + [0x10FFFF]
    for cp in points:
        ch = chr(cp)
        expected = not ch.isspace() and font_slot(ch, hint) == "eastAsia"
        assert has_east_asian(ch, hint) is expected, (hex(cp), hint)
    assert has_east_asian("abc \u3000\t", "eastAsia") is False
    assert has_east_asian("abc 甲", None) is True


def test_font_set_accepts_a_name_containing_a_normalised_entry():
    accepted = ["仿宋_GB2312", "仿宋", "FangSong", "  "]  # a blank entry accepts nothing
    fonts = FontSet(accepted)
    for name in ("仿宋_GB2312", "方正仿宋_GBK", "FANG-SONG", "宋体", "", None, "Fang Song GB2312", " "):
        expected = bool(name) and any(normalise(a) and normalise(a) in normalise(name) for a in accepted)
        assert fonts.matches(name) is expected, name
        assert fonts.matches(name) is expected, name  # the memoised answer
