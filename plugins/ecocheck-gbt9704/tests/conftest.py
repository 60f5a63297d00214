import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# the fixture builder lives next to the tests (it is not part of the plugin package)
sys.path.insert(0, str(HERE))

import gbt_docx  # noqa: E402


@pytest.fixture
def make_report(tmp_path):
    """``make_report(change=None, name=...)``: build the correct report with ``change`` merged in."""
    counter = iter(range(10_000))

    def _make(change: dict | None = None, name: str | None = None, base: dict | None = None) -> str:
        path = tmp_path / (name or f"report{next(counter)}.docx")
        return str(gbt_docx.build(path, gbt_docx.variant(change, base)))

    return _make
