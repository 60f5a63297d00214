"""Folders of data shipped inside ecocheck's packages (the grammar, rule packs, word lists).

``importlib.resources.files`` is the general answer, but importing it and resolving the first
package is a measurable part of every run's start-up (bench/RESULTS.md).  Installed from a
wheel or in editable mode, a package is a plain folder, and its ``__spec__`` already says
where: :func:`package_dir` returns that folder as a :class:`pathlib.Path`.  Anything else (a
zip import, a custom loader) gets ``importlib.resources``' Traversable.  Both answer
``joinpath``, ``iterdir``, ``name``, ``read_text`` and ``read_bytes``.
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any


def package_dir(package: str) -> Any:
    """The folder holding ``package``'s files: a Path when it is on disk, else a Traversable."""
    spec = importlib.import_module(package).__spec__
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if len(locations) == 1 and os.path.isdir(locations[0]):
        return Path(locations[0])
    from importlib.resources import files

    return files(package)


def data_file(package: str, name: str) -> Any:
    """``name`` inside ``package`` (see :func:`package_dir`)."""
    return package_dir(package).joinpath(name)


@lru_cache(maxsize=None)
def load_data(name: str) -> Any:
    """The YAML file ``name`` of ``ecocheck.data``, parsed (through :func:`ecocheck.yamlio.cached_safe_load`:
    kept in the user cache); one parse per process.  Treat the result as read-only."""
    from . import yamlio

    return yamlio.cached_safe_load(data_file("ecocheck.data", name).read_text(encoding="utf-8"))
