"""Helpers shared by the reporters: the one way a path is printed, fingerprints, rule metadata."""

from __future__ import annotations

import os

from ..display import printable
from ..run.baseline import finding_keys, fingerprint

#: the name of a document read from standard input without ``--stdin-filename`` (as ruff prints it)
STDIN_PATH = "-"


def file_path(path: str, base_dir: str | None = None) -> str:
    """How every format names a file (the one convention, as ruff's): relative to ``base_dir``
    (default: the current directory) when the file lies inside it, else absolute; forward slashes
    on every system.  ``docs``, ``./docs`` and the absolute path of the same folder give the same
    names.  The name's bytes are kept (see :func:`display_path` for the form that may be printed);
    symlinks are not resolved.  :data:`STDIN_PATH` stays ``-``."""
    if path == STDIN_PATH:
        return path
    full = os.path.abspath(path)
    root = os.path.abspath(base_dir or os.getcwd())
    if full == root or full.startswith(root.rstrip(os.sep) + os.sep):
        full = os.path.relpath(full, root)
    return full.replace(os.sep, "/")


def display_path(path: str, base_dir: str | None = None) -> str:
    """:func:`file_path` with control characters and undecodable bytes escaped (display.printable)."""
    return printable(file_path(path, base_dir))


def fingerprints(findings, base_dir: str | None = None) -> list[str]:
    """Stable identities (no line numbers) for the findings of one file, in order."""
    return [fingerprint(k) for k in finding_keys(findings, base_dir or os.getcwd())]


def rule_meta(rules, code: str):
    """The Rule for ``code`` from a ``{code: Rule}`` mapping, or None."""
    if not rules:
        return None
    return rules.get(code)
