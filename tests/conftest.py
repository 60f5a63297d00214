import os
import re
import shutil
import subprocess
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


def _git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


class PreCommitRepo:
    """A Git repository of reports whose ``.pre-commit-config.yaml`` is a snippet from the docs with the
    repository replaced by this checkout and ``rev`` by its HEAD; ``run()`` is ``pre-commit run --all-files``
    with its own cache and the package index settings of this environment."""

    def __init__(self, tmp_path: Path):
        self.home = tmp_path
        self.work = tmp_path / "reports"
        self.work.mkdir()
        _git("init", "-q", cwd=self.work)
        self.rev = _git("rev-parse", "HEAD", cwd=ROOT)

    def configure(self, snippet: str) -> str:
        config = re.sub(r"repo: \S+.*", f"repo: {ROOT}", snippet)
        config = re.sub(r"rev: \S+.*", f"rev: {self.rev}", config)
        (self.work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
        return config

    def run(self) -> subprocess.CompletedProcess:
        _git("add", ".", cwd=self.work)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "PRE_COMMIT_HOME": str(self.home / "cache"),
               "XDG_CACHE_HOME": str(self.home / "xdg"), "GIT_CONFIG_NOSYSTEM": "1"}
        for key in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONFIG_FILE", "PIP_NO_INDEX"):
            if key in os.environ:
                env[key] = os.environ[key]
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=self.work, env=env,
                              capture_output=True, text=True, timeout=900)


@pytest.fixture
def pre_commit_repo(tmp_path) -> PreCommitRepo:
    """For tests that run a documented pre-commit snippet against this checkout (slow: pre-commit builds
    the hook's environment)."""
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a Git checkout")
    return PreCommitRepo(tmp_path)


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
        from ecocheck.engine import regexparse

        for store in (rxcache.STORE, yamlio.STORE, regexparse.FACTS):
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
