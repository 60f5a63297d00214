"""Resource limits of a run: the one home of their names and defaults.

The loaders enforce the size limits, the rule runner the time limit; the configuration's
``limits`` table overrides any of them (``Limits.of(config.limits)``).  Nothing here imports
the rest of ecocheck, so every layer may use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits applied before and while inflating a .docx, reading a text file and
    running a rule.

    Sizes are uncompressed bytes.  Declared sizes (zip directory) are checked
    for every entry before anything is inflated, because python-docx (format
    plugins) loads every part; what is actually inflated is capped as well,
    since declared sizes can lie.  The ratio check refuses entries that
    inflate suspiciously well: ordinary WordprocessingML compresses 5-80:1,
    deflate bombs approach 1000:1.  Configurable through ``limits`` in the
    configuration.
    """

    max_part_bytes: int = 64 * 1024 * 1024  # one part
    max_total_bytes: int = 256 * 1024 * 1024  # all parts together
    max_ratio: int = 400  # uncompressed/compressed, for entries larger than ratio_floor_bytes
    ratio_floor_bytes: int = 1024 * 1024
    max_entries: int = 10_000  # zip entries
    max_text_bytes: int = 64 * 1024 * 1024  # .txt/.md files (read by the text loader)
    rule_seconds: int = 60  # one rule on one document (enforced by ecocheck.engine.timelimit)
    max_memory_mib: int = 2048  # memory to lint, fix or annotate one document (ecocheck.run.memlimit)

    @classmethod
    def of(cls, values: Mapping[str, int] | None) -> Limits:
        """The defaults with a configuration's ``limits`` (snake_case keys) over them."""
        return cls(**values) if values else DEFAULT_LIMITS


DEFAULT_LIMITS = Limits()
