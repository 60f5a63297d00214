"""Plain-text and Markdown loaders.

Encoding is detected from the bytes: a BOM (UTF-8, UTF-16 LE/BE) wins; then
strict UTF-8; then strict GB18030 (a superset of GBK/GB2312).  Text that only
decodes as GB18030 must still look like text (few control characters), else the
file is treated as binary.  Nothing is ever decoded with ``errors="replace"``.
"""

from __future__ import annotations

import codecs
import re

from ..errors import E_DECODE, E_EMPTY, LoadError
from ..model import Document, Paragraph

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")


def detect_encoding(data: bytes) -> tuple[str, str]:
    """Return ``(encoding, text)`` or raise LoadError(E007)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return enc, data.decode(enc)
            except UnicodeDecodeError as exc:
                raise LoadError(E_DECODE, f"文件声明为 {enc.upper()} 但第 {exc.start} 字节处无法解码，请另存为 UTF-8 后再检查") from None
    if b"\x00" in data[:8192]:
        raise LoadError(E_DECODE, "文件含有二进制内容，不是文本文件，请确认文件类型")
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sample = text[:20000]
        if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
            raise LoadError(E_DECODE, "文件含有大量控制字符，不是文本文件，请确认文件类型")
        return enc, text
    raise LoadError(E_DECODE, "无法识别文件编码（不是 UTF-8、UTF-16 或 GB18030/GBK），请另存为 UTF-8 后再检查")


def split_lines(text: str) -> list[str]:
    """Split on \\r\\n, \\r or \\n only (not on U+2028 and friends like str.splitlines)."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def load_text(path: str, data: bytes, fmt: str = "txt") -> Document:
    if not data.strip():
        raise LoadError(E_EMPTY, "文件为空，没有可检查的内容")
    encoding, text = detect_encoding(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    paragraphs: list[Paragraph] = []
    in_fence = False
    for i, line in enumerate(split_lines(text)):
        para = Paragraph(index=i, line=i + 1, text=line)
        if fmt == "md":
            stripped = line.lstrip()
            if stripped.startswith(("```", "~~~")):
                in_fence = not in_fence
                para.props["md_code"] = True
            elif in_fence:
                para.props["md_code"] = True
            else:
                m = _ATX.match(line)
                if m:
                    content_end = len(line)
                    close = _ATX_CLOSE.search(line, m.end())
                    if close:
                        content_end = close.start()
                    para.md_heading = len(m.group(1))
                    para.column_offset = m.end()
                    para.text = line[m.end():content_end]
        paragraphs.append(para)
    return Document(path=path, format=fmt, paragraphs=paragraphs, encoding=encoding,
                    meta={"bom": data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)),
                          "newline": _newline(text)})


def _newline(text: str) -> str:
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    if i < 0 and "\r" in text:
        return "\r"
    return "\n"
