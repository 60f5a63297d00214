"""Releases and the documented pre-commit route (issue 19.2): one version, one URL convention, and the
pre-commit snippet of docs/ci.md run as written against a local copy of this repository."""

import re
import sys
from pathlib import Path

import pytest

import ecocheck

ROOT = Path(__file__).resolve().parents[1]


def test_one_version_everywhere():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'(?m)^version = "([^"]+)"', pyproject).group(1) == ecocheck.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"(?m)^## {re.escape(ecocheck.__version__)}$", changelog)


def test_one_repository_url_convention():
    # Every place that names where ecocheck comes from names the same repository (a pip URL adds .git).
    texts = {p: p.read_text(encoding="utf-8") for p in
             [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / ".pre-commit-hooks.yaml", *(ROOT / "docs").glob("*.md")]}
    seen = set()
    for path, text in texts.items():
        for url in re.findall(r"https?://[^\s\"'`)#@]+/ecocheck(?:\.git)?\b", text):
            seen.add(url.removesuffix(".git"))
    assert seen == {ecocheck.REPOSITORY}
    from ecocheck.reporters.sarif import INFO_URI

    assert INFO_URI == ecocheck.REPOSITORY


def test_release_tool_checks_version_and_changelog():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import release
    finally:
        sys.path.pop(0)
    assert release.version() == ecocheck.__version__
    assert not [p for p in release.problems("0.0.0-never") if "__init__" not in p and "CHANGELOG" not in p
                and "uncommitted" not in p]
    assert any("CHANGELOG" in p for p in release.problems("0.0.0-never"))


@pytest.mark.slow  # pre-commit builds its own environment for the hook (about a minute)
def test_pre_commit_snippet_runs_against_a_local_copy(pre_commit_repo):
    # The snippet of docs/ci.md, with the repository replaced by this checkout and rev by a pinned commit.
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    snippet = re.search(r"## pre-commit\n+```yaml\n(.*?)```", doc, re.S).group(1)
    assert "repo: " + ecocheck.REPOSITORY in snippet
    config = pre_commit_repo.configure(snippet)
    work = pre_commit_repo.work
    (work / "draft.txt").write_text("关于某局工作情况的报告\n一、基本情况\n现有党员**人。\n", encoding="utf-8")
    (work / "clean.md").write_text("# 关于某局工作情况的报告\n\n全年完成各项任务。\n", encoding="utf-8")
    run = pre_commit_repo.run()
    # args: [--fail-on, error] -- a placeholder is a warning, so the hook passes
    assert run.returncode == 0 and re.search(r"ecocheck\.+Passed", run.stdout), run.stdout + run.stderr
    pre_commit_repo.configure(config.replace("args: [--fail-on, error]", "args: [--fail-on, warning]"))
    run = pre_commit_repo.run()
    assert run.returncode == 1 and "draft.txt:3:5: H301" in run.stdout, run.stdout + run.stderr
