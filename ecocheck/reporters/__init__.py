"""Reporters: one module per output format, each a pure function of the results.

``render(format, result, **options) -> str``.
"""

from __future__ import annotations

import importlib

FORMATS = {
    "text": "ecocheck.reporters.text",
    "json": "ecocheck.reporters.json_",
    "concise": "ecocheck.reporters.concise",
    "sarif": "ecocheck.reporters.sarif",
    "github": "ecocheck.reporters.github",
    "gitlab": "ecocheck.reporters.gitlab",
    "junit": "ecocheck.reporters.junit",
}


def render(fmt: str, result, **options) -> str:
    try:
        module = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}") from None
    return importlib.import_module(module).render(result, **options)
