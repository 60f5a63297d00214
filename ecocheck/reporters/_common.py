"""Helpers shared by the machine-readable reporters."""

from __future__ import annotations

import os

from ..display import printable
from ..run.baseline import finding_keys, fingerprint, relative_path


def file_path(path: str, base_dir: str | None = None) -> str:
    """``path`` relative to ``base_dir`` (default: the current directory), forward slashes.

    A path outside ``base_dir`` is kept as given.  The name's bytes are kept (see
    :func:`display_path` for the form that may be printed)."""
    rel = relative_path(path, base_dir or os.getcwd())
    if rel.startswith("../") or os.path.isabs(rel):
        return path.replace(os.sep, "/")
    return rel


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
