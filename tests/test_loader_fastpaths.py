"""The .docx loader's fast paths give what the plain code gives."""

from __future__ import annotations

import random

from ecocheck.ooxml import safexml as D


def _plain_has_dtd(data: bytes) -> bool:
    return any(marker in data for marker in D._DTD_MARKERS)


def test_every_marker_bang_is_preceded_as_the_fast_path_expects():
    for marker in D._DTD_MARKERS:
        bang = marker.index(b"!")
        assert marker[max(bang - 4, 0):bang].endswith(D._DTD_BEFORE_BANG), marker


def test_has_dtd_equals_plain_scan():
    rng = random.Random(5)
    pieces = [b"<w:t>", b"!", b"<", b"\x00", b"abc", "！".encode(), b"<!--c-->", b"<![CDATA[x]]>"]
    pieces += list(D._DTD_MARKERS) + [m[:-1] for m in D._DTD_MARKERS]
    for n in range(3000):
        k = rng.randrange(0, 200 if n % 10 else 2000)
        weights = [40, 20 if n % 3 else 200, 10, 10, 40, 5, 1, 1] + [0.2] * (2 * len(D._DTD_MARKERS))
        data = b"".join(rng.choices(pieces, weights, k=k))
        assert D.has_dtd(data) == _plain_has_dtd(data), data


def test_has_dtd_markers_after_many_bangs():
    for marker in D._DTD_MARKERS:
        for bangs in (0, 1, D._DTD_BANGS_CHECKED - 1, D._DTD_BANGS_CHECKED, D._DTD_BANGS_CHECKED + 1, 500):
            assert D.has_dtd(b"x!" * bangs + marker + b"!y")
            assert not D.has_dtd(b"<!-- -->" + b"x!" * bangs + b"<!y")
