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


def pytest_configure(config):
    """The tests keep ecocheck's user cache (the saved outline parser) in a temporary directory,
    never in the home directory of whoever runs them."""
    import tempfile

    config._ecocheck_cache = tempfile.TemporaryDirectory(prefix="ecocheck-test-cache-")
    os.environ["XDG_CACHE_HOME"] = config._ecocheck_cache.name


def pytest_unconfigure(config):
    cache = getattr(config, "_ecocheck_cache", None)
    if cache is not None:
        from ecocheck import rxcache, yamlio
        from ecocheck.engine import regexcheck

        for store in (rxcache.STORE, yamlio.STORE, regexcheck.FACTS):
            store.save()  # now: at exit the temporary directory is gone and saving would recreate it
        cache.cleanup()


def pytest_collection_modifyitems(config, items):
    """Property tests (hypothesis: many generated examples each) are in the slow set, wherever they are."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)


def pytest_report_header(config):
    import ecocheck

    return f"ecocheck under test: {os.path.dirname(ecocheck.__file__)}"
