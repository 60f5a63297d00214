"""Loaders: a path becomes a :class:`~ecocheck.model.Document`.  No rule knowledge here."""

from __future__ import annotations

import os

from ..errors import E_EMPTY, E_UNSUPPORTED, LoadError
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Document

SUPPORTED_SUFFIXES = (".docx", ".txt", ".md", ".markdown")


def format_of(path: str) -> str | None:
    low = path.lower()
    if low.endswith(".docx"):
        return "docx"
    if low.endswith((".md", ".markdown")):
        return "md"
    if low.endswith(".txt"):
        return "txt"
    return None


def load(path: str, limits: Limits | None = None, *, data: bytes | None = None, fmt: str | None = None) -> Document:
    """Read ``path`` into a Document; raise LoadError with an E code on failure.

    With ``data`` the document is those bytes (standard input, :class:`ecocheck.inputs.Source`) and
    ``path`` only names it; ``fmt`` (``docx``/``md``/``txt``) overrides the format the name implies."""
    fmt = fmt or format_of(path)
    if fmt is None:
        ext = os.path.splitext(path)[1] or "（无扩展名）"
        hint = "请另存为 .docx 后再检查" if ext.lower() in (".doc", ".wps", ".rtf", ".odt", ".pdf") else "支持 .docx、.txt、.md"
        raise LoadError(E_UNSUPPORTED, f"不支持的文件类型 {ext}，{hint}")
    from ..inputs import check_regular, read_regular, too_large

    limits = limits or DEFAULT_LIMITS
    if fmt == "docx":
        if data is None and check_regular(path).st_size == 0:  # a FIFO or a device is E011, never opened
            raise LoadError(E_EMPTY, "文件为空，没有可检查的内容")
        if data is not None and len(data) > limits.max_total_bytes:
            raise too_large(len(data), limits.max_total_bytes)
        from .docx import load_docx

        return load_docx(path, limits, data=data)
    if data is None:
        data = read_regular(path, limits.max_text_bytes)  # E009 while reading
    elif len(data) > limits.max_text_bytes:
        raise too_large(len(data), limits.max_text_bytes)
    if not data:
        raise LoadError(E_EMPTY, "文件为空，没有可检查的内容")
    from .text import load_text

    return load_text(path, data, fmt)
