"""What ecocheck reads from the linted tree: regular files only, never more than a cap.

Everything a run reads because it lies in the linted tree -- the documents, the configuration
files, ``.ecocheckignore``, rule packs, the cache -- can be planted by the pull request being
checked.  A symlink to ``/dev/zero`` or ``/dev/urandom``, or a FIFO, would make a plain
``open().read()`` read forever (or block in ``open``), so:

- :func:`read_regular` opens without blocking (``O_NONBLOCK``: opening a FIFO returns at once),
  refuses anything ``fstat`` does not call a regular file, and reads at most ``cap`` bytes;
- :func:`check_regular` is the same test by ``stat`` for readers that open the file themselves
  (the .docx loader hands the path to ``zipfile``);
- :func:`outside` tells whether a path resolves (through symlinks) to somewhere outside a tree:
  links out of the linted tree are not followed unless the user asks (``--follow-symlinks``),
  so a link to ``/etc/passwd`` or a secrets file never has its excerpts printed.

A document may also come as bytes or a stream instead of a path (``ecocheck lint -`` reads standard
input): a :class:`Source`, read once and never beyond the same caps.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import BinaryIO

from .errors import E_NOT_FOUND, E_NOT_REGULAR, E_OUTSIDE, E_TOO_LARGE, LoadError

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)


def not_regular(mode: int) -> LoadError:
    if stat.S_ISDIR(mode):
        return LoadError(E_NOT_FOUND, "这是一个目录而不是文件")
    kind = "命名管道（FIFO）" if stat.S_ISFIFO(mode) else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) \
        else "套接字" if stat.S_ISSOCK(mode) else "特殊文件"
    return LoadError(E_NOT_REGULAR, f"不是普通文件（{kind}），未读取")


def _unreadable(exc: OSError) -> LoadError:
    if isinstance(exc, FileNotFoundError):
        return LoadError(E_NOT_FOUND, "找不到文件，请检查路径是否正确")
    if isinstance(exc, PermissionError):
        return LoadError(E_NOT_FOUND, "没有读取该文件的权限，请检查文件权限后再检查")
    return LoadError(E_NOT_FOUND, f"文件无法读取：{exc.strerror or exc}")


def too_large(size: int | None, cap: int) -> LoadError:
    got = f"{size // 1048576} MiB，" if size is not None and size >= 1048576 else ("超过上限，" if size is None else "")
    return LoadError(E_TOO_LARGE, f"文件过大（{got}上限 {_size(cap)}），请拆分后再检查")


def _size(n: int) -> str:
    return f"{n // 1048576} MiB" if n >= 1048576 else f"{n} 字节"


def check_regular(path: str) -> os.stat_result:
    """``os.stat(path)`` of a regular file; :class:`LoadError` for anything else."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _unreadable(exc) from None
    if not stat.S_ISREG(st.st_mode):
        raise not_regular(st.st_mode)
    return st


def _open_regular(path: str) -> tuple[int, os.stat_result]:
    check_regular(path)  # before opening: opening some devices has effects of its own
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise _unreadable(exc) from None
    if not stat.S_ISREG(st.st_mode):  # swapped since the stat
        os.close(fd)
        raise not_regular(st.st_mode)
    return fd, st


def chunks(path: str, cap: int):
    """The bytes of the regular file ``path`` in pieces, at most ``cap`` in all.

    Raises :class:`LoadError`: E001 (missing, unreadable), E011 (a FIFO, a device, a socket),
    E009 (more than ``cap`` bytes, found while reading: a file that grows is not read on)."""
    fd, st = _open_regular(path)
    try:
        if st.st_size > cap:
            raise too_large(st.st_size, cap)
        total = 0
        while True:
            try:
                chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            except OSError as exc:
                raise _unreadable(exc) from None
            if not chunk:
                return
            total += len(chunk)
            if total > cap:
                raise too_large(None, cap)
            yield chunk
    finally:
        os.close(fd)


def read_regular(path: str, cap: int) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`chunks`)."""
    return b"".join(chunks(path, cap))


def within(path: str, root: str) -> bool:
    """Whether the real path of ``path`` lies in the real directory ``root`` (both resolved)."""
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def tree_of(argument: str, is_dir: bool) -> str:
    """The tree an input named on the command line belongs to: a directory argument is its own
    tree; a file under the current directory belongs to the current directory; any other file
    to its own directory (so a file named by its full path is read, but a link there is not
    followed further out)."""
    if is_dir:
        return argument
    full = os.path.abspath(argument)
    cwd = os.getcwd()
    if full.startswith(cwd.rstrip(os.sep) + os.sep):
        return cwd
    return os.path.dirname(full)


def outside(path: str, root: str) -> LoadError | None:
    """E012 when ``path`` resolves (through a symlink) to a place outside ``root``."""
    if within(path, root):
        return None
    return LoadError(E_OUTSIDE, "符号链接指向被检查目录之外，未读取（确需检查时加 --follow-symlinks）")


def read_input(path: str, limits=None) -> bytes:
    """The bytes of a document to fix or annotate: a regular file, at most the loader's cap
    (``max_text_bytes`` for text, ``max_total_bytes`` for a .docx package)."""
    from .limits import DEFAULT_LIMITS
    from .loaders import format_of

    limits = limits or DEFAULT_LIMITS
    return read_regular(path, limits.max_total_bytes if format_of(path) == "docx" else limits.max_text_bytes)


#: the path of a document read from standard input without ``--stdin-filename`` (as ruff prints it)
STDIN_PATH = "-"


def read_stream(stream: BinaryIO, cap: int) -> bytes:
    """At most ``cap`` bytes of ``stream`` (standard input); E009 as soon as there are more (the rest
    is not read), E001 when it cannot be read."""
    parts, total = [], 0
    while True:
        try:
            chunk = stream.read(min(1 << 20, cap + 1 - total))
        except OSError as exc:
            raise _unreadable(exc) from None
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > cap:
            raise too_large(None, cap)
        parts.append(chunk)


@dataclass
class Source:
    """A document handed over as bytes or as a binary stream (standard input) instead of a file to read.

    ``name`` (``--stdin-filename``) stands for the file: it decides the format (.docx, .txt, .md), the
    configuration (the nearest config file of ``name``, per-file-ignores, genre globs) and the path
    findings print; without it the document is plain text and findings name ``-``.  The stream is read
    once, when the limits of the document's configuration are known, never beyond the loader's cap
    (``max_total_bytes`` for a .docx, ``max_text_bytes`` for text: E009 as for a file)."""

    stream: BinaryIO | None = None
    data: bytes | None = None
    name: str | None = None
    _error: LoadError | None = field(default=None, repr=False)

    @property
    def path(self) -> str:
        return self.name or STDIN_PATH

    @property
    def format(self) -> str | None:
        """``docx``, ``md``, ``txt``, or None for a name no loader reads."""
        from .loaders import format_of

        return format_of(self.name) if self.name else "txt"

    def read(self, limits=None) -> bytes:
        """The document's bytes (see the class docstring); raises :class:`LoadError`."""
        from .limits import DEFAULT_LIMITS

        limits = limits or DEFAULT_LIMITS
        cap = limits.max_total_bytes if self.format == "docx" else limits.max_text_bytes
        if self._error is not None:
            raise self._error
        if self.data is None and self.stream is not None:
            try:
                self.data = read_stream(self.stream, cap)
            except LoadError as err:
                self._error = err  # the stream is spent: the same error for every later reader
                raise
        data = self.data or b""
        if len(data) > cap:
            raise too_large(len(data), cap)
        return data

    def load(self, limits=None):
        """The :class:`~ecocheck.model.Document` (raises :class:`LoadError` as :func:`ecocheck.loaders.load`)."""
        from .loaders import load

        return load(self.path, limits, data=self.read(limits), fmt=self.format)
