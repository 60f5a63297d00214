"""Errors that carry a stable E code and a Chinese one-line message."""

from __future__ import annotations


class EcocheckError(Exception):
    """Base class: ``code`` is a stable E code, ``message`` is user-facing Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


class LoadError(EcocheckError):
    """A file that cannot be read as a document (becomes one E finding, exit 2)."""


class ConfigError(EcocheckError):
    """A broken configuration or rule pack (exit 2)."""

    def __init__(self, code: str, message: str, path: str | None = None, line: int | None = None):
        super().__init__(code, message)
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.code} {self.message}"


# Load error codes (E family).  Keep in sync with ecocheck/rules/errors.py docs.
E_NOT_FOUND = "E001"
E_UNSUPPORTED = "E002"
E_CORRUPT = "E003"
E_ENCRYPTED = "E004"
E_LEGACY = "E005"
E_EMPTY = "E006"
E_DECODE = "E007"
E_XML = "E008"
E_TOO_LARGE = "E009"
E_UNSAFE_XML = "E010"
E_NOT_REGULAR = "E011"
E_OUTSIDE = "E012"
E_RULE_CRASH = "E100"
E_PLUGIN = "E101"
E_TIME_LIMIT = "E102"
E_CONFIG = "E200"
E_PACK = "E201"
