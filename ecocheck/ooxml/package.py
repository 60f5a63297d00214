"""The zip container of a .docx: opened safely, parts found as Word finds them, edited faithfully.

:func:`open_package` turns everything that can go wrong with an untrusted file before its XML --
no file, an empty file, a legacy or encrypted OLE container, RTF or HTML saved as .docx, a broken
zip, a zip bomb, two entries for one part -- into a :class:`~ecocheck.errors.LoadError` with an E
code and a one-line Chinese message.  Declared sizes are checked for every entry before anything is
inflated, and what is inflated is capped as well (declared sizes can lie), by the run's ``Limits``.

Part names are matched as OPC matches them: case-insensitively after percent-decoding
(:func:`part_key`).  A package with two entries for one part is refused: Word, LibreOffice,
python-docx and ecocheck could each read another copy, and a clean decoy could hide the text.

:class:`EditablePackage` holds the entries of a .docx in memory for the fixer and the annotator and
writes it back with every entry it did not change byte-for-byte identical (same order, names,
timestamps, compression).
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ecocheck.errors import (
    E_CORRUPT,
    E_EMPTY,
    E_ENCRYPTED,
    E_LEGACY,
    E_NOT_FOUND,
    E_TOO_LARGE,
    E_UNSUPPORTED,
    LoadError,
)

from .names import RELATIONSHIP
from .safexml import new_parser, parse_xml, reason

__all__ = ["Package", "EditablePackage", "open_package", "part_key", "read_capped", "serialize"]

_CHUNK = 256 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


# ---------------------------------------------------------------------------
# Opening


@contextmanager
def open_package(path: str, limits, *, data: bytes | None = None) -> Iterator["Package"]:
    """The package at ``path``, checked (see the module docstring); ``limits`` is the run's ``Limits``.
    With ``data``, the package is those bytes and ``path`` only names it.

    Zip errors met while the caller reads parts become E codes as well.
    """
    try:
        f = io.BytesIO(data) if data is not None else open(path, "rb")
    except FileNotFoundError:
        raise LoadError(E_NOT_FOUND, "找不到文件，请检查路径是否正确") from None
    except IsADirectoryError:
        raise LoadError(E_NOT_FOUND, "这是一个目录而不是文件，请指定 .docx 文件") from None
    except PermissionError:
        raise LoadError(E_NOT_FOUND, "没有读取该文件的权限，请检查文件权限后再检查") from None
    with f:
        if (len(data) if data is not None else os.fstat(f.fileno()).st_size) == 0:
            raise LoadError(E_EMPTY, "文件为空（0 字节），请确认文件已正确保存后再检查")
        _sniff(f)
        try:
            zf = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
            raise _corrupt(f"zip 结构不完整：{reason(exc)}") from None
        with zf:
            _check_declared(zf, limits)
            try:
                yield Package(zf, limits)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise _corrupt(f"zip 数据错误：{reason(exc)}") from None
            except RuntimeError as exc:  # zipfile: "File is encrypted, password required"
                if "encrypted" in str(exc).lower():
                    raise LoadError(E_ENCRYPTED, "文档已加密，请解除密码保护后再检查") from None
                raise
            except NotImplementedError as exc:  # unsupported compression method
                raise _corrupt(f"不支持的压缩方式：{reason(exc)}") from None


def part_key(name: str) -> str:
    """What two zip entry names must share to name the same part: OPC compares part names as
    case-insensitive ASCII after percent-decoding (ECMA-376 Part 2, 9.1.1.1)."""
    if "%" in name:
        name = unquote(name)
    return name.lower()


def _check_names(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse two entries for one part (word/document.xml and Word/Document.xml, a %-encoded twin
    or an exact duplicate): readers disagree on which one counts, so one could show ecocheck a decoy."""
    seen: dict[str, str] = {}
    for info in infos:
        if info.is_dir():
            continue
        key = part_key(info.filename)
        first = seen.get(key)
        if first is None:
            seen[key] = info.filename
        else:
            raise LoadError(E_CORRUPT, f"压缩包中 {first} 与 {info.filename} 是同一部件的两个副本（名称仅大小写或编码不同），"
                                       "不同软件显示的内容可能不同，拒绝读取；请用 Word/WPS 另存为 .docx 后再检查")


# ---------------------------------------------------------------------------
# Container checks


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} 字节"


def _too_large(what: str, size: int, limit: int) -> LoadError:
    return LoadError(
        E_TOO_LARGE,
        f"{what}解压后达 {_size(size)}，超过上限 {_size(limit)}（疑似压缩炸弹）；请确认文件来源，或拆分文档后再检查",
    )


def _corrupt(what: str) -> LoadError:
    return LoadError(E_CORRUPT, f"文件已损坏（{what}），请用 Word/WPS 打开修复并另存为 .docx 后再检查")


def _sniff(f) -> None:
    """Reject files that are not zip containers, with the most helpful message."""
    head = f.read(8)
    if not head:
        raise LoadError(E_EMPTY, "文件为空（0 字节），请确认文件已正确保存后再检查")
    if head == _OLE_MAGIC:
        if _ole_is_encrypted(f):
            raise LoadError(E_ENCRYPTED, "文档已加密，请解除密码保护后再检查")
        raise LoadError(E_LEGACY, "这是旧版 .doc/.wps 文件，请在 Word/WPS 中另存为 .docx 后再检查")
    if head.startswith(b"{\\rtf"):
        raise LoadError(E_UNSUPPORTED, "这是 RTF 文件，请在 Word/WPS 中另存为 .docx 后再检查")
    if head[:4] not in _ZIP_MAGICS:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped.startswith(b"<?xml") or stripped.startswith(b"<"):
            raise LoadError(E_UNSUPPORTED, "这是 XML/网页格式的文件，不是 .docx；请在 Word/WPS 中另存为 .docx 后再检查")
        raise LoadError(E_CORRUPT, "不是有效的 .docx 文件（不是 zip 格式），请在 Word/WPS 中另存为 .docx 后再检查")
    f.seek(0)


def _ole_is_encrypted(f) -> bool:
    """An OOXML file protected by a password is an OLE container with an EncryptedPackage stream."""
    needle = "EncryptedPackage".encode("utf-16-le")
    f.seek(0)
    tail = b""
    while True:
        chunk = f.read(1024 * 1024)
        if not chunk:
            return False
        if needle in tail + chunk:
            return True
        tail = chunk[-(len(needle) - 1):]


def _check_declared(zf: zipfile.ZipFile, limits) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise LoadError(E_TOO_LARGE, f"压缩包内有 {len(infos)} 个条目，超过上限 {limits.max_entries}，请确认文件来源后再检查")
    _check_names(infos)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise LoadError(E_ENCRYPTED, "文档已加密，请解除密码保护后再检查")
        size = info.file_size
        if size > limits.max_part_bytes:
            raise _too_large(f"{info.filename} ", size, limits.max_part_bytes)
        if size > limits.ratio_floor_bytes and size > limits.max_ratio * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise LoadError(
                E_TOO_LARGE,
                f"{info.filename} 压缩比达 {ratio}:1（解压后 {_size(size)}），超过上限 {limits.max_ratio}:1（疑似压缩炸弹）；请确认文件来源后再检查",
            )
        total += size
        if total > limits.max_total_bytes:
            raise _too_large("文档各部分合计", total, limits.max_total_bytes)


def read_capped(stream, name: str, cap: int, what: str | None = None) -> bytes:
    """Read ``stream`` in chunks, refusing to inflate more than ``cap`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            raise _too_large(what or f"{name} ", size, cap)
        chunks.append(chunk)


# ---------------------------------------------------------------------------
# Parts


class Package:
    """Size-capped access to the parts of an open zip by part name (:func:`part_key`), each parsed once."""

    def __init__(self, zf: zipfile.ZipFile, limits=None):
        self.zf = zf
        self.limits = limits  # None: parts are read uncapped (a package already checked by the loader)
        self.read_total = 0
        self.parser = new_parser()
        self.roots: dict[str, Any] = {}  # part name -> parsed root, parsed once
        self._names = {part_key(info.filename): info for info in zf.infolist() if not info.is_dir()}

    def has(self, name: str) -> bool:
        return part_key(name) in self._names

    def name(self, part: str) -> str | None:
        """The stored name of ``part``."""
        info = self._names.get(part_key(part))
        return info.filename if info is not None else None

    def names(self) -> list[str]:
        return [info.filename for info in self._names.values()]

    def read(self, name: str) -> bytes | None:
        info = self._names.get(part_key(name))
        if info is None:
            return None
        limits = self.limits
        if limits is None:
            return self.zf.read(info)
        remaining = limits.max_total_bytes - self.read_total
        with self.zf.open(info) as stream:
            if remaining < limits.max_part_bytes:
                data = read_capped(stream, info.filename, remaining, "文档各部分合计")
            else:
                data = read_capped(stream, info.filename, limits.max_part_bytes)
        self.read_total += len(data)
        return data

    def parse(self, name: str, data: bytes | None = None):
        """The parsed root of part ``name`` (of ``data`` when given: its bytes already read), None when
        there is no such part."""
        root = self.roots.get(name)
        if root is None:
            if data is None:
                data = self.read(name)
                if data is None:
                    return None
            root = self.roots[name] = parse_xml(data, name, self.parser)
        return root

    @staticmethod
    def rels_name(source: str) -> str:
        """The relationships part of part ``source`` ("" for the package's own)."""
        folder, base = posixpath.split(source)
        return posixpath.join(folder, "_rels", base + ".rels")

    def relationships(self, source: str) -> list[tuple[str, str]]:
        """(type, target part name) of the internal relationships of ``source``, in document order."""
        root = self.parse(self.rels_name(source))
        if root is None:
            return []
        folder = posixpath.dirname(source)
        out = []
        for rel in root.iter(RELATIONSHIP):
            if (rel.get("TargetMode") or "").lower() == "external":
                continue
            target = rel.get("Target") or ""
            if not target:
                continue
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join(folder, target))
            out.append((rel.get("Type") or "", part))
        return out


class EditablePackage(Package):
    """The entries of a .docx held in memory, editable by part name, written back faithfully."""

    def __init__(self, data: bytes):
        zf = zipfile.ZipFile(io.BytesIO(data))
        self.infos = zf.infolist()
        _check_names(self.infos)
        super().__init__(zf)
        self.changed: dict[str, bytes] = {}
        self.added: list[str] = []

    def name(self, part: str) -> str | None:
        if part in self.changed:
            return part
        return super().name(part)

    def read(self, part: str) -> bytes | None:
        name = self.name(part)
        if name is None:
            return None
        if name in self.changed:
            return self.changed[name]
        return self._member(name)

    def _member(self, name: str) -> bytes:
        """A part's stored bytes; a damaged entry (the loader never read it) is a LoadError."""
        try:
            return self.zf.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise LoadError(E_CORRUPT, f"文件中的 {name} 已损坏（{reason(exc)}），无法写出修改后的文档；"
                                       "请用 Word/WPS 打开修复并另存为 .docx 后再试") from None

    def write(self, part: str, data: bytes) -> None:
        name = self.name(part)
        if name is None:
            name = part
            self.added.append(part)
        self.changed[name] = data

    def write_xml(self, part: str, root) -> None:
        self.write(part, serialize(root))

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zout:
            zout.comment = self.zf.comment
            for info in self.infos:
                data = self.changed.get(info.filename)
                if data is None:
                    data = self._member(info.filename)
                zout.writestr(_clone_info(info), data)
            for name in self.added:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(info, self.changed[name])
        return out.getvalue()


def _clone_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = info.compress_type
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    new.comment = info.comment
    return new


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
