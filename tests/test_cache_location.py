"""Where the result cache lives (issue 19 item 10): ``.ecocheck_cache/`` at the repository root, else the user
cache directory, one folder per project -- never in every folder a writer lints from -- and ``ecocheck clean``,
which removes only caches ecocheck made and never follows a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocheck import usercache
from ecocheck.cli.app import app
from ecocheck.run import cache as cache_mod

runner = CliRunner()

REPORT = "关于某局政治生态情况的报告\n一、基本情况\n局机关现有党员XX人。\n"


@pytest.fixture
def user_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    monkeypatch.delenv("ECOCHECK_NO_CACHE", raising=False)
    return tmp_path / "user" / "ecocheck" / "results"


def write(path: Path, text: str = REPORT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lint(cwd: Path, monkeypatch, *args: str):
    monkeypatch.chdir(cwd)
    res = runner.invoke(app, ["lint", *args])
    assert res.exit_code == 1 and "H301" in res.stdout, res.output
    return res


def caches_in(root: Path) -> list[Path]:
    return sorted(root.rglob(".ecocheck_cache"))


def test_outside_a_repository_nothing_is_left_in_the_folders(tmp_path, user_cache, monkeypatch):
    write(tmp_path / "草稿" / "a.txt")
    write(tmp_path / "别的项目" / "b.txt")
    lint(tmp_path / "草稿", monkeypatch, "a.txt")
    lint(tmp_path / "草稿", monkeypatch, "a.txt")
    assert caches_in(tmp_path / "草稿") == []
    [project] = user_cache.iterdir()
    assert len(list(project.rglob("*.json"))) == 1 and (project / "CACHEDIR.TAG").is_file()
    lint(tmp_path / "别的项目", monkeypatch, "b.txt")
    assert len(list(user_cache.iterdir())) == 2  # two projects, two folders
    # a project with a configuration is known by its config file's folder, wherever the run starts
    write(tmp_path / "proj" / "ecocheck.yaml", "select: [H301]\n")
    write(tmp_path / "proj" / "sub" / "c.txt")
    lint(tmp_path / "proj" / "sub", monkeypatch, "c.txt")
    lint(tmp_path / "proj", monkeypatch, "sub")
    assert len(list(user_cache.iterdir())) == 3
    assert caches_in(tmp_path / "proj") == []


@pytest.mark.parametrize("git", ["folder", "file"])
def test_inside_a_repository_the_cache_is_at_its_root(tmp_path, user_cache, monkeypatch, git):
    repo = tmp_path / "repo"
    if git == "folder":
        (repo / ".git").mkdir(parents=True)
    else:  # a worktree or a submodule
        write(repo / ".git", "gitdir: /elsewhere/.git/worktrees/repo\n")
    write(repo / "reports" / "2024" / "ecocheck.yaml", "select: [H301]\n")
    write(repo / "reports" / "2024" / "a.txt")
    lint(repo / "reports" / "2024", monkeypatch, "a.txt")
    lint(repo, monkeypatch, "reports")
    assert caches_in(repo) == [repo / ".ecocheck_cache"]
    assert len(list((repo / ".ecocheck_cache").rglob("*.json"))) == 2  # the path as given is in the key
    assert not user_cache.exists()


def test_under_policy_the_cache_is_at_the_linted_repository_root(tmp_path, user_cache, monkeypatch):
    repo = tmp_path / "checkout"
    (repo / ".git").mkdir(parents=True)
    write(repo / "reports" / "a.txt")
    policy = write(tmp_path / "ci" / "policy.yaml", "select: [H301]\n")
    lint(repo / "reports", monkeypatch, ".", "--policy", str(policy))
    assert caches_in(tmp_path) == [repo / ".ecocheck_cache"]
    assert os.listdir(tmp_path / "ci") == ["policy.yaml"]


def test_the_user_cache_directory_on_windows(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setattr(usercache, "WINDOWS", True)
    assert usercache.cache_dir() == Path(tmp_path / "Local" / "ecocheck")


def test_clean_removes_the_projects_cache(tmp_path, user_cache, monkeypatch):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "a.txt")
    lint(repo, monkeypatch, "a.txt")
    old = repo / "old" / ".ecocheck_cache"  # what an earlier version left next to a config file
    cache_mod.Cache(str(old)).put("0" * 64, cache_mod.FileResult(path="x.txt", genre=None, findings=[]))
    monkeypatch.chdir(repo / "old")
    res = runner.invoke(app, ["clean"])
    assert res.exit_code == 0
    assert res.stdout.splitlines() == [f"已删除 {repo / '.ecocheck_cache'}（1 个缓存条目）",
                                       f"已删除 {old}（1 个缓存条目）"]
    assert caches_in(repo) == [] and (repo / "a.txt").read_text(encoding="utf-8") == REPORT
    res = runner.invoke(app, ["clean"])
    assert res.stdout == "没有找到 ecocheck 的检查结果缓存\n"


def test_clean_all_removes_every_projects_results_but_not_the_other_user_caches(tmp_path, user_cache, monkeypatch):
    write(tmp_path / "one" / "a.txt")
    write(tmp_path / "two" / "b.txt")
    lint(tmp_path / "one", monkeypatch, "a.txt")
    lint(tmp_path / "two", monkeypatch, "b.txt")
    res = runner.invoke(app, ["clean"])  # from two/: its own project only
    assert res.stdout.count("已删除") == 1 and len(list(user_cache.iterdir())) == 1
    res = runner.invoke(app, ["clean", "--all"])
    assert res.stdout.count("已删除") == 1 and list(user_cache.iterdir()) == []
    assert (user_cache.parent / "result-cache.key").is_file()  # the key and the other caches stay


def test_clean_keeps_what_ecocheck_did_not_make_and_follows_no_link(tmp_path, user_cache, monkeypatch):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    # a folder of that name without ecocheck's tag: not touched
    write(repo / ".ecocheck_cache" / "notes.txt", "mine")
    monkeypatch.chdir(repo)
    res = runner.invoke(app, ["clean"])
    assert "未删除" in res.stdout and (repo / ".ecocheck_cache" / "notes.txt").is_file()
    # a forged tag with a document beside the entries: the entries go, the rest stays, with the tag
    (repo / ".ecocheck_cache" / "notes.txt").unlink()
    (repo / ".ecocheck_cache").rmdir()
    cache = cache_mod.Cache(str(repo / ".ecocheck_cache"))
    cache.put("a" * 64, cache_mod.FileResult(path="x.txt", genre=None, findings=[]))
    precious = write(tmp_path / "elsewhere" / ("b" * 64 + ".json"), "precious")
    (repo / ".ecocheck_cache" / "v2" / "bb").symlink_to(precious.parent)  # a link to a folder
    os.symlink(precious, repo / ".ecocheck_cache" / "v2" / "aa" / ("c" * 64 + ".json"))  # a link to a file
    write(repo / ".ecocheck_cache" / "v2" / "aa" / "report.docx", "not an entry")
    res = runner.invoke(app, ["clean"])
    assert res.exit_code == 0
    assert f"已清理 {repo / '.ecocheck_cache'}（1 个缓存条目）" in res.stdout
    assert res.stdout.count("保留") == 3
    assert precious.read_text(encoding="utf-8") == "precious"
    assert (repo / ".ecocheck_cache" / "v2" / "aa" / "report.docx").is_file()
    assert (repo / ".ecocheck_cache" / "CACHEDIR.TAG").is_file()
    assert not (repo / ".ecocheck_cache" / "v2" / "aa" / ("a" * 64 + ".json")).exists()
    # a cache folder that is a link is never entered
    linked = tmp_path / "linked"
    (linked / ".git").mkdir(parents=True)
    (linked / ".ecocheck_cache").symlink_to(repo / ".ecocheck_cache")
    monkeypatch.chdir(linked)
    res = runner.invoke(app, ["clean"])
    assert "未删除" in res.stdout and (repo / ".ecocheck_cache" / "CACHEDIR.TAG").is_file()


def test_clean_help_is_chinese():
    res = runner.invoke(app, ["clean", "-h"])
    assert res.exit_code == 0 and "删除检查结果缓存" in res.stdout and "--all" in res.stdout
