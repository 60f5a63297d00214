"""YAML loading through libyaml (PyYAML's C extension) when it is available.

The pure-Python loader costs a large share of start-up (rule packs, word lists);
the C loader gives the same results, line marks included.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader


def compose(text: str) -> Any:
    return yaml.compose(text, Loader=SafeLoader)
