import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
# tools/ holds fixture builders (make_docx.py); it is not part of the package.
sys.path.insert(0, str(ROOT / "tools"))


@pytest.fixture
def write_text(tmp_path):
    def _write(text: str, name: str = "draft.txt", encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    return _write


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def pytest_report_header(config):
    import ecocheck

    return f"ecocheck under test: {os.path.dirname(ecocheck.__file__)}"
