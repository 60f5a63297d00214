"""Text that reaches a terminal or a CI log: file names and document text made harmless.

A file name can hold any byte but ``/`` and NUL: a newline (the rest of the line then starts a
new one, on GitHub a ``::error ...`` workflow command), ESC (terminal escape sequences), or bytes
that are not UTF-8 (a GBK name from a Windows zip arrives as lone surrogates through Python's
``surrogateescape`` and cannot be written to a UTF-8 stream at all).  A document can hold
control characters and bidirectional overrides too.  :func:`printable` turns each of these into
a visible escape -- ``\\n``, ``\\x1b``, ``\\xb1`` (a raw byte of the name), ``\\u202e`` -- and
leaves everything else (Chinese, full-width punctuation, tabs) as it is.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    n = ord(ch)
    if 0xDC80 <= n <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def printable(s: str) -> str:
    """``s`` with control characters, bidi overrides and undecodable bytes escaped."""
    return _UNSAFE.sub(_escape, s) if _UNSAFE.search(s) else s


def name_bytes(path: str) -> bytes:
    """The bytes of a file name as the file system has them (``surrogateescape``)."""
    return path.encode("utf-8", "surrogateescape")
