"""Applying edits to a .txt/.md file without disturbing anything else.

The output is the original decoded text with the edits spliced in at their
file offsets (line start + ``Paragraph.column_offset`` + offset), encoded with
the original codec, behind the original BOM.  Line endings, the encoding
(GB18030 stays GB18030, UTF-16 keeps its byte order) and every untouched
character stay as they were: the file is refused when its encoding does not
round-trip exactly.
"""

from __future__ import annotations

import codecs
import re

from ecocheck.loaders.text import detect_encoding
from ecocheck.model import Document, Finding

from .edits import Edit, splice

_NEWLINE = re.compile(r"\r\n|\r|\n")


class TextFixError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _codec(data: bytes, encoding: str) -> tuple[bytes, str]:
    """(BOM bytes, codec without BOM handling) of the file."""
    if data.startswith(codecs.BOM_UTF8):
        return codecs.BOM_UTF8, "utf-8"
    if data.startswith(codecs.BOM_UTF16_LE):
        return codecs.BOM_UTF16_LE, "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return codecs.BOM_UTF16_BE, "utf-16-be"
    return b"", encoding


def decode(data: bytes) -> tuple[bytes, str, str]:
    """(BOM, codec, text) of a text file, refusing encodings that do not round-trip."""
    try:
        encoding, _ = detect_encoding(data)
    except Exception as exc:  # LoadError: unreadable text
        raise TextFixError(getattr(exc, "message", str(exc))) from None
    bom, codec = _codec(data, encoding)
    body = data[len(bom):]
    text = body.decode(codec)
    if text.encode(codec) != body:
        raise TextFixError(f"文件编码（{encoding}）无法无损写回，未修改")
    return bom, codec, text


def line_starts(text: str) -> list[int]:
    """Offsets of the lines the loader sees (a leading U+FEFF is not part of line 1)."""
    starts = [1 if text.startswith("\ufeff") else 0]
    starts.extend(m.end() for m in _NEWLINE.finditer(text))
    return starts


def file_lines(data: bytes) -> list[str]:
    """The file's lines as the loader reads them (for diffs)."""
    _bom, _codec_name, text = decode(data)
    text = text[1:] if text.startswith("\ufeff") else text
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def apply_text_edits(data: bytes, doc: Document, edits: list[Edit]) -> tuple[bytes, list[Edit],
                                                                               list[tuple[Finding, str]]]:
    """(new bytes, applied edits, [(finding, reason)] not applied)."""
    bom, codec, text = decode(data)
    starts = line_starts(text)
    spans: list[tuple[int, int, Edit]] = []
    skipped: list[tuple[Finding, str]] = []
    for e in edits:
        p = doc.paragraphs[e.paragraph]
        if e.paragraph >= len(starts):
            skipped.extend((f, "找不到对应的行，未自动应用") for f in e.findings)
            continue
        a = starts[e.paragraph] + p.column_offset + e.start
        b = starts[e.paragraph] + p.column_offset + e.end
        if text[a:b] != p.text[e.start:e.end] or "\r" in text[a:b] or "\n" in text[a:b]:
            skipped.extend((f, "文件内容与检查时不一致，未自动应用") for f in e.findings)
            continue
        spans.append((a, b, e))
    out = splice(text, ((a, b, e.replacement) for a, b, e in spans))
    try:
        encoded = bom + out.encode(codec)
    except UnicodeEncodeError:
        raise TextFixError(f"修复后的文字无法用原编码（{codec}）保存，未修改") from None
    return encoded, [e for _a, _b, e in spans], skipped
