"""``baseline`` in the configuration (issue 19 item 10): ``ecocheck lint`` uses it unless ``--baseline FILE``
or ``--no-baseline`` is given, ``--update-baseline`` writes it, a missing one is one E200 line, and under
``--policy`` only the policy file's baseline counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.config.resolve import Resolver
from ecocheck.errors import ConfigError

runner = CliRunner()

REPORT = "关于某局政治生态情况的报告\n一、基本情况\n局机关现有党员XX人。\n"  # one H301
NEW = "关于某局政治生态情况的报告\n一、基本情况\n局机关现有党员XX人，其中**人参加培训。\n"  # one more


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lint(*args: str):
    res = runner.invoke(app, ["lint", *args, "--no-cache", "-f", "json"])
    assert "Traceback" not in res.output, res.output
    found = [x["text"] for f in json.loads(res.stdout)["files"] for x in f["findings"]] if res.stdout else None
    return res, found


def test_the_configured_baseline_is_used_overridden_and_switched_off(tmp_path):
    write(tmp_path / "ecocheck.yaml", "select: [H301]\nbaseline: ci/ecocheck-baseline.json\n")
    write(tmp_path / "reports" / "a.txt", REPORT)
    res = runner.invoke(app, ["lint", "reports", "--no-cache", "--update-baseline"])  # the first run makes it
    assert res.exit_code == 0, res.output
    assert f"已将 1 个问题写入基线 {tmp_path / 'ci' / 'ecocheck-baseline.json'}" in res.stderr
    res, found = lint("reports")
    assert res.exit_code == 0 and found == []
    assert "中已有的 1 个问题未显示" in res.stderr
    write(tmp_path / "reports" / "a.txt", NEW)
    res, found = lint("reports")
    assert res.exit_code == 1 and found == ["**"]  # only the new one
    res, found = lint("reports", "--no-baseline")
    assert res.exit_code == 1 and found == ["XX", "**"]
    runner.invoke(app, ["lint", "reports", "--no-cache", "--write-baseline", "other.json"])
    write(tmp_path / "reports" / "a.txt", NEW + "第三处XX。\n")
    res, found = lint("reports", "--baseline", "other.json")  # the command line wins
    assert found == ["XX"]
    res = runner.invoke(app, ["lint", "reports", "--baseline", "other.json", "--no-baseline"])
    assert res.exit_code == 2 and "E202" in res.stderr


def test_a_missing_configured_baseline_is_one_error_line(tmp_path):
    cfg = write(tmp_path / "ecocheck.yaml", "select: [H301]\n\nbaseline: base.json\n")
    write(tmp_path / "a.txt", REPORT)
    res = runner.invoke(app, ["lint", "a.txt", "--no-cache"])
    assert res.exit_code == 2 and res.stdout == ""
    [line] = res.stderr.splitlines()
    assert line.startswith(f"ecocheck: {cfg}:3: E200 配置的基线文件不存在") and "--update-baseline" in line
    res, found = lint("a.txt", "--no-baseline")
    assert res.exit_code == 1 and found == ["XX"]
    # the library checks it before linting anything
    resolver = Resolver(registry_factory=api.registry)
    with pytest.raises(ConfigError):
        api.lint_paths(["a.txt"], resolver=resolver, configured_baseline=True, on_file=pytest.fail)


def test_a_missing_configured_baseline_stops_fix_before_it_writes(tmp_path):
    write(tmp_path / "ecocheck.yaml", "baseline: base.json\n")
    draft = write(tmp_path / "a.txt", "关于某局的报告\n一、基本情况\n局机关现有党员10人,其中女党员3人。\n")
    before = draft.read_bytes()
    res = runner.invoke(app, ["lint", "a.txt", "--no-cache", "--fix"])
    assert res.exit_code == 2 and "E200 配置的基线文件不存在" in res.stderr
    assert draft.read_bytes() == before  # the half-width comma is still there: nothing was written
    res = runner.invoke(app, ["lint", "a.txt", "--no-cache", "--fix", "--no-baseline"])
    assert draft.read_bytes() != before


def test_update_baseline_needs_a_configured_one(tmp_path):
    write(tmp_path / "a.txt", REPORT)
    res = runner.invoke(app, ["lint", "a.txt", "--no-cache", "--update-baseline"])
    assert res.exit_code == 2 and "E200" in res.stderr and "baseline" in res.stderr
    assert not list(tmp_path.glob("*.json"))


def test_each_configuration_has_its_own_baseline(tmp_path):
    write(tmp_path / "one" / "ecocheck.yaml", "select: [H301]\nbaseline: b.json\n")
    write(tmp_path / "two" / "ecocheck.yaml", "select: [H301]\nbaseline: b.json\n")
    write(tmp_path / "one" / "a.txt", REPORT)
    write(tmp_path / "two" / "a.txt", REPORT)
    write(tmp_path / "three" / "ecocheck.yaml", "select: [H301]\n")  # no baseline
    write(tmp_path / "three" / "a.txt", REPORT)
    res = runner.invoke(app, ["lint", "one", "two", "three", "--no-cache", "--update-baseline"])
    assert res.exit_code == 0, res.output
    assert "1 个文件的配置没有 baseline" in res.stderr
    for d in ("one", "two"):
        [entry] = json.loads((tmp_path / d / "b.json").read_text(encoding="utf-8"))["findings"]
        assert entry["path"] == "a.txt"
    write(tmp_path / "two" / "a.txt", NEW)
    res = runner.invoke(app, ["lint", "one", "two", "three", "--no-cache", "-f", "json"])
    found = {Path(f["path"]).parent.name: [x["text"] for x in f["findings"]] for f in json.loads(res.stdout)["files"]}
    assert found == {"one": [], "two": ["**"], "three": ["XX"]}


def test_under_policy_only_the_policy_files_baseline_counts(tmp_path):
    repo = tmp_path / "repo"
    write(repo / "reports" / "a.txt", REPORT)
    # the tree tries to accept its findings with a baseline of its own
    write(repo / "ecocheck.yaml", "select: [H301]\nbaseline: accept.json\n")
    runner.invoke(app, ["lint", str(repo / "reports"), "--no-cache", "--update-baseline"])
    assert (repo / "accept.json").is_file()
    policy = write(tmp_path / "ci" / "policy.yaml", "select: [H301]\n")
    res, found = lint(str(repo / "reports"), "--policy", str(policy))
    assert res.exit_code == 1 and found == ["XX"]
    write(policy, "select: [H301]\nbaseline: policy-baseline.json\n")
    res, _ = lint(str(repo / "reports"), "--policy", str(policy))
    assert res.exit_code == 2 and f"{policy}:2: E200" in res.stderr
    res = runner.invoke(app, ["lint", str(repo / "reports"), "--no-cache", "--policy", str(policy),
                              "--update-baseline"])
    assert res.exit_code == 0 and (tmp_path / "ci" / "policy-baseline.json").is_file()
    write(repo / "reports" / "a.txt", NEW)
    res, found = lint(str(repo / "reports"), "--policy", str(policy))
    assert res.exit_code == 1 and found == ["**"]


def test_writing_a_baseline_never_overwrites_another_file(tmp_path):
    write(tmp_path / "a.txt", REPORT)
    res = runner.invoke(app, ["lint", "a.txt", "--no-cache", "--write-baseline", "a.txt"])
    assert res.exit_code == 2 and "E200" in res.stderr and "不会覆盖" in res.stderr
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == REPORT
    (tmp_path / "dir.json").mkdir()
    res = runner.invoke(app, ["lint", "a.txt", "--no-cache", "--write-baseline", "dir.json"])
    assert res.exit_code == 2 and "E200" in res.stderr
    for _ in range(2):  # a baseline is replaced
        res = runner.invoke(app, ["lint", "a.txt", "--no-cache", "--write-baseline", "b.json"])
        assert res.exit_code == 0, res.output


def test_baseline_key_is_checked_and_shown(tmp_path):
    write(tmp_path / "ecocheck.yaml", "baseline: 7\n")
    res = runner.invoke(app, ["config"])
    assert res.exit_code == 2 and "ecocheck.yaml:1: E200 baseline 必须是非空字符串" in res.stderr
    write(tmp_path / "ecocheck.yaml", "baseline: ci/b.json\n")
    res = runner.invoke(app, ["config"])
    assert f"baseline: ci/b.json  # {tmp_path / 'ecocheck.yaml'}:1" in res.stdout.splitlines()


def test_a_baseline_matches_wherever_it_is_kept(tmp_path):
    """In a gate the baseline comes from the target branch into a folder outside the checkout (as the
    policy file does): its paths are relative to the repository's root, so it still matches there."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "reports" / "a.txt", REPORT)
    write(repo / "ecocheck.yaml", "select: [H301]\nbaseline: ci/ecocheck-baseline.json\n")
    res = runner.invoke(app, ["lint", str(repo / "reports"), "--no-cache", "--update-baseline"])
    assert res.exit_code == 0, res.output
    saved = (repo / "ci" / "ecocheck-baseline.json").read_text(encoding="utf-8")
    assert [e["path"] for e in json.loads(saved)["findings"]] == ["reports/a.txt"]
    write(tmp_path / "runner-temp" / "baseline.json", saved)  # git show origin/main:… > "$RUNNER_TEMP/…"
    write(tmp_path / "runner-temp" / "policy.yaml", "select: [H301]\nbaseline: baseline.json\n")
    write(repo / "reports" / "a.txt", NEW)
    res, found = lint(str(repo / "reports"), "--policy", str(tmp_path / "runner-temp" / "policy.yaml"))
    assert res.exit_code == 1 and found == ["**"]
    res, found = lint(str(repo / "reports"), "--baseline", str(tmp_path / "runner-temp" / "baseline.json"))
    assert found == ["**"]
    # a baseline of the older form (paths relative to its own folder) still matches
    older = json.loads(saved)
    older["findings"][0]["path"] = "../reports/a.txt"
    write(repo / "ci" / "ecocheck-baseline.json", json.dumps(older, ensure_ascii=False))
    res, found = lint(str(repo / "reports"))
    assert found == ["**"]
