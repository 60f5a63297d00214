"""The worked plugin example of docs/developing.md ("Writing a plugin") is accurate: its files, written out as
the page shows them and installed as a distribution (an entry point on ``sys.path``), pass their own tests
and register their rule."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def example_files() -> dict[str, str]:
    """``{path: text}`` for every fenced block of the section that opens with a ``# path`` comment."""
    doc = (ROOT / "docs" / "developing.md").read_text(encoding="utf-8")
    section = re.search(r"(?ms)^## Writing a plugin\n(.*?)^## ", doc).group(1)
    files = {}
    for body in re.findall(r"(?ms)^```\w*\n(.*?)^```", section):
        first, _, rest = body.partition("\n")
        if re.fullmatch(r"# [\w./-]+", first):
            files[first[2:]] = rest
    return files


@pytest.mark.slow  # a pytest and an ecocheck process on the example as written
def test_the_worked_plugin_example_runs(tmp_path):
    files = example_files()
    assert set(files) == {"pyproject.toml", "ecocheck_long_sentence/__init__.py", "tests/rule_cases/W950.yaml",
                          "tests/test_rules.py"}
    plugin = tmp_path / "plugin"
    for name, text in files.items():
        (plugin / name).parent.mkdir(parents=True, exist_ok=True)
        (plugin / name).write_text(text, encoding="utf-8")
    # installed as pip would: the package on sys.path, its metadata and entry points beside it
    project = tomllib.loads(files["pyproject.toml"])["project"]
    info = plugin / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n",
                                   encoding="utf-8")
    points = "".join(f"{k} = {v}\n" for k, v in project["entry-points"]["ecocheck"].items())
    (info / "entry_points.txt").write_text(f"[ecocheck]\n{points}", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(plugin), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=importlib",
                          "--rootdir", str(plugin), "-c", os.devnull, "tests"],
                         cwd=plugin, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and re.search(r"\b4 passed\b", run.stdout), run.stdout + run.stderr
    rules = subprocess.run([sys.executable, "-m", "ecocheck", "rules", "-f", "json"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
    (w950,) = [r for r in json.loads(rules.stdout) if r["code"] == "W950"]
    assert w950["source"] == "ecocheck-long-sentence" and w950["name"] == "long-sentence"
