"""Policy mode (issue 21 item 2): the pull request being checked cannot switch the gate off.

Each way a tree could lower the gate -- an added ``.ecocheckignore``, a nested ``ecocheck.yaml`` or
``pyproject.toml`` (``ignore: [ALL]``, ``exclude``, ``select: [E]``, ``fail-on: error``), a first-line
``ecocheck-disable`` or a Word comment suppression -- is tried against ``--policy FILE``: the findings
still come, the exit code still fails, and what the tree tried is listed (stderr for files, C698
findings for suppression comments).  Zero files linted is exit 2 unless ``--allow-empty``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocheck.cli.app import app

runner = CliRunner()
GOOD = "关于某局政治生态情况的报告\n一、基本情况\n局机关现有党员XX人。\n"  # H301 at 3:8
POLICY = "select: [H]\nfail-on: warning\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def tree(tmp_path: Path) -> Path:
    ci = tmp_path / "ci"
    ci.mkdir()
    (ci / "policy.yaml").write_text(POLICY, encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "reports" / "sub").mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / "reports" / "a.txt").write_text(GOOD, encoding="utf-8")
    (repo / "reports" / "sub" / "b.txt").write_text(GOOD, encoding="utf-8")
    return repo


ATTACKS = {
    "ignore-file-star": (".ecocheckignore", "*\n"),
    "ignore-file-in-subdir": ("reports/sub/.ecocheckignore", "*.txt\n"),
    "nested-ignore-all": ("reports/ecocheck.yaml", "ignore: [ALL]\n"),
    "nested-exclude": ("reports/.ecocheck.yaml", "exclude: ['*.txt', 'sub/']\n"),
    "nested-select-e": ("reports/sub/ecocheck.yaml", "select: [E]\n"),
    "nested-fail-on-error": ("ecocheck.yaml", "fail-on: error\n"),
    "pyproject": ("pyproject.toml", "[tool.ecocheck]\nignore = ['H']\nexclude = ['reports/']\n"),
    "per-file-ignores": ("ecocheck.yaml", "per-file-ignores:\n  '**': [H301]\n"),
}


def h301(report: dict) -> list[str]:
    return sorted(Path(f["path"]).name for f in report["files"] for x in f["findings"] if x["code"] == "H301")


@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_the_tree_cannot_lower_the_policy(attack, fmt, tmp_path):
    repo = tree(tmp_path)
    where, text = ATTACKS[attack]
    (repo / where).write_text(text, encoding="utf-8")
    import os

    os.chdir(repo)
    # without policy mode the attack works (that is what it is for)
    res = runner.invoke(app, ["lint", "reports", "--no-cache", "-f", "json", "--allow-empty"])
    assert h301(json.loads(res.stdout)) != ["a.txt", "b.txt"] or res.exit_code == 0
    res = runner.invoke(app, ["lint", "reports", "--no-cache", "-f", fmt, "--policy", str(tmp_path / "ci/policy.yaml")])
    assert res.exit_code == 1, res.output
    if fmt == "json":
        assert h301(json.loads(res.stdout)) == ["a.txt", "b.txt"]
    elif fmt == "github":
        assert res.stdout.count("title=H301") == 2
    else:
        assert sum(r["ruleId"] == "H301" for r in json.loads(res.stdout)["runs"][0]["results"]) == 2
    listed = [line for line in res.stderr.splitlines() if "策略模式" in line]
    assert any(Path(where).name in line for line in listed), res.stderr


@pytest.mark.parametrize("directive", [
    "ecocheck-disable\n",
    "<!-- ecocheck-disable -->\n",
    "<!-- ecocheck-disable H301 -- 已核实 -->\n",
])
def test_suppression_comments_do_not_apply_and_are_listed(directive, tmp_path):
    repo = tree(tmp_path)
    (repo / "reports" / "a.txt").write_text(directive + GOOD, encoding="utf-8")
    res = runner.invoke(app, ["lint", str(repo / "reports"), "--no-cache", "-f", "json",
                              "--policy", str(tmp_path / "ci/policy.yaml")])
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    assert h301(report) == ["a.txt", "b.txt"]
    listed = [x for f in report["files"] for x in f["findings"] if x["code"] == "C698"]
    assert len(listed) == 1 and listed[0]["line"] == 1, listed
    assert "1 个问题照常报告" in listed[0]["message"]
    # the same document without the policy: suppressed, nothing listed
    res = runner.invoke(app, ["lint", str(repo / "reports" / "a.txt"), "--no-cache", "-f", "json",
                              "--config", str(tmp_path / "ci/policy.yaml")])
    assert h301(json.loads(res.stdout)) == []


def test_a_word_comment_suppression_does_not_apply(tmp_path):
    from make_docx import build_docx

    repo = tree(tmp_path)
    build_docx(["关于某局的报告", "一、基本情况",
                {"text": "现有党员XX人。", "comment": {"text": "ecocheck-disable H301", "anchor": "XX"}}],
               repo / "reports" / "c.docx")
    res = runner.invoke(app, ["lint", str(repo / "reports" / "c.docx"), "--no-cache", "-f", "json",
                              "--policy", str(tmp_path / "ci/policy.yaml")])
    report = json.loads(res.stdout)
    assert "c.docx" in h301(report)
    assert any(x["code"] == "C698" for f in report["files"] for x in f["findings"])


def test_ignore_files_are_not_honoured_when_the_config_is_pinned(tmp_path):
    repo = tree(tmp_path)
    (repo / ".ecocheckignore").write_text("*\n", encoding="utf-8")
    for pin in (["--isolated"], ["--config", str(tmp_path / "ci/policy.yaml")]):
        res = runner.invoke(app, ["lint", str(repo / "reports"), "--no-cache", "-f", "json", *pin])
        assert h301(json.loads(res.stdout)) == ["a.txt", "b.txt"], pin
    res = runner.invoke(app, ["lint", str(repo / "reports"), "--no-cache", "-f", "json", "--allow-empty"])
    assert h301(json.loads(res.stdout)) == []  # not pinned: the ignore file applies


def test_zero_files_is_an_error_unless_allowed(tmp_path):
    (tmp_path / "empty").mkdir()
    res = runner.invoke(app, ["lint", "empty", "--no-cache"])
    assert res.exit_code == 2 and "E202" in res.output and "--allow-empty" in res.output
    res = runner.invoke(app, ["lint", "empty", "--no-cache", "--allow-empty"])
    assert res.exit_code == 0, res.output
    repo = tree(tmp_path)
    (repo / "reports" / "ecocheck.yaml").write_text("exclude: ['*']\n", encoding="utf-8")
    res = runner.invoke(app, ["lint", str(repo / "reports"), "--no-cache"])
    assert res.exit_code == 2  # excluded down to nothing: not a pass


def test_zero_files_under_policy_is_an_error_even_when_the_tree_brought_ignore_files(tmp_path):
    """The tree's .ecocheckignore is listed as not applied, and a run the policy excludes down to
    nothing still fails (the list's loop once overwrote the stdin input's variable, and the
    zero-files check let the run pass)."""
    (tmp_path / "policy.yaml").write_text("select: [H]\nexclude: ['*.txt']\n", encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / ".ecocheckignore").write_text("*\n", encoding="utf-8")
    (reports / "a.txt").write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["lint", str(reports), "--no-cache", "--policy", str(tmp_path / "policy.yaml")])
    assert res.exit_code == 2 and "E202" in res.output and "--allow-empty" in res.output, res.output
    assert ".ecocheckignore" in res.output  # listed as not applied


def test_policy_needs_a_file_and_stands_alone(tmp_path):
    res = runner.invoke(app, ["lint", ".", "--policy", "missing.yaml"])
    assert res.exit_code == 2 and "E200" in res.output
    (tmp_path / "p.yaml").write_text(POLICY, encoding="utf-8")
    res = runner.invoke(app, ["lint", ".", "--policy", "p.yaml", "--isolated"])
    assert res.exit_code == 2 and "--policy" in res.output
