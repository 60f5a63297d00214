"""Issue 19.4: one documented way to lint with the GB/T 9704 checks (the plugin beside ecocheck, from the same
copy), for writers, CI and pre-commit; and the rule set a user lints with never depends on which README command
ran last: the tests have an environment of their own, and the example plugin's rules are opt-in anyway."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GBT = {f"F7{n:02d}" for n in range(1, 12)}


def readme_commands() -> dict[str, str]:
    """The README's commands: the two of Set-up (``"set-up"`` and ``"tests"``, and no other there) and the
    optional plugin install of the next section (``"gbt9704"``), each a one-line code block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = re.search(r"(?ms)^## Set-up\n(.*?)^## ", text).group(1)
    assert len(re.findall(r"(?ms)^```\n(.*?)\n```", setup)) == 2  # exactly two set-up commands
    optional = re.search(r"(?ms)^## The GB/T 9704 format checks \(optional\)\n(.*?)^## ", text).group(1)
    blocks = re.findall(r"(?ms)^```\n(.*?)\n```", setup + optional)
    found = {}
    for block in blocks:
        if "pytest" in block:
            found["tests"] = block
        elif "ecocheck-gbt9704" in block:
            found["gbt9704"] = block
        elif "ecocheck lint" in block:
            found["set-up"] = block
    assert set(found) == {"set-up", "gbt9704", "tests"}, blocks
    return found


def venvs(command: str) -> set[str]:
    return set(re.findall(r"(?:python3 -m venv |^|&& )(\.venv[\w-]*)/?", command)) | \
        set(re.findall(r"(\.venv[\w-]*)/bin/", command))


def test_the_tests_install_into_an_environment_of_their_own():
    commands = readme_commands()
    assert venvs(commands["set-up"]) == venvs(commands["gbt9704"]) == {".venv"}
    assert venvs(commands["tests"]) == {".venv-test"}
    assert "./plugins/*" in commands["tests"] and "ecocheck-example" not in commands["gbt9704"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands["tests"].replace('pip install ".[test]"', 'pip install -q ".[test]"') in ci


def _copy_of_the_checkout(tmp_path: Path) -> Path:
    copy = tmp_path / "ecocheck"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", ".ecocheck_cache"))
    return copy


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return env


def _rules(copy: Path, env) -> dict[str, dict]:
    out = subprocess.run([str(copy / ".venv" / "bin" / "ecocheck"), "rules", "-f", "json"], cwd=copy, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return {r["code"]: r for r in json.loads(out.stdout)}


@pytest.mark.slow  # two pip installs in a fresh virtual environment
def test_readme_set_up_then_the_gbt9704_command(tmp_path):
    from make_docx import build_docx  # tools/, on sys.path through conftest.py

    from ecocheck import api

    copy = _copy_of_the_checkout(tmp_path)
    env = _env(tmp_path)
    commands = readme_commands()
    run = subprocess.run(["bash", "-c", commands["set-up"]], cwd=copy, env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 1 and "H301" in run.stdout, run.stdout + run.stderr  # 1: findings were found
    plain = _rules(copy, env)
    assert not GBT & set(plain) and not {"W901", "W902"} & set(plain)
    run = subprocess.run(["bash", "-c", commands["gbt9704"]], cwd=copy, env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    with_gbt = _rules(copy, env)
    assert set(with_gbt) - set(plain) == GBT and {with_gbt[c]["source"] for c in GBT} == {"ecocheck-gbt9704"}
    # installed is enabled: a .docx on Letter paper (python-docx's template) gets F701 by default
    draft = build_docx(["关于某局政治生态情况的报告", "一、基本情况", "现有党员56人。"], tmp_path / "draft.docx")
    lint = subprocess.run([str(copy / ".venv" / "bin" / "ecocheck"), "lint", str(draft), "-f", "json",
                           "--isolated", "--no-cache"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert "F701" in {f["code"] for f in json.loads(lint.stdout)["files"][0]["findings"]}, lint.stdout + lint.stderr
    # the test environment (this process, README's test command) has the same rules, plus only the example
    # plugin's, and those are opt-in: it lints every document as the writer's environment does
    here = api.registry().rules
    extra = set(here) - set(with_gbt)
    assert set(with_gbt) <= set(here) and extra == {"W901", "W902"}
    assert not any(here[code].enabled_by_default for code in extra)


@pytest.mark.slow  # pre-commit builds its own environment for the hook
def test_pre_commit_with_the_gbt9704_plugin_as_documented(pre_commit_repo):
    import ecocheck
    from make_docx import build_docx

    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    snippet = re.search(r"(?s)GB/T 9704 format checks in pre-commit.*?```yaml\n(.*?)```", doc).group(1)
    assert "repo: " + ecocheck.REPOSITORY in snippet and "additional_dependencies" in snippet
    pre_commit_repo.configure(snippet)
    build_docx(["关于某局政治生态情况的报告", "一、基本情况", "现有党员56人。"], pre_commit_repo.work / "draft.docx")
    run = pre_commit_repo.run()
    # the hook's environment has the plugin of the same copy and rev: the Letter-sized draft fails on F701
    assert run.returncode == 1 and "draft.docx:1:1: F701" in run.stdout, run.stdout + run.stderr
