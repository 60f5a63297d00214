"""Runs over many files: -j, the cache, --output, --quiet, --statistics, exit codes."""

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ecocheck.api
from ecocheck.cli.app import app

runner = CliRunner()

DIRTY = "关于某局工作情况的报告\n一、基本情况\n现有党员**人，其中在职党员XX人。\n"
CLEAN = "关于某局工作情况的报告\n一、基本情况\n全年完成各项任务。\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def tree(tmp_path):
    for i in range(24):
        d = tmp_path / "docs" / f"part{i % 3}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"r{i:02d}.txt").write_text(DIRTY if i % 2 else CLEAN, encoding="utf-8")
    (tmp_path / "docs" / "notes.md").write_text("# 说明\n\n现有XX人。\n", encoding="utf-8")
    return tmp_path / "docs"


@pytest.fixture
def count_lints(monkeypatch):
    calls = []
    real = ecocheck.run.pipeline.lint_file

    def spy(path, *args, **kwargs):
        calls.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ecocheck.run.pipeline, "lint_file", spy)
    return calls


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_parallel_output_equals_serial(tree, fmt):
    serial = runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache", "-j", "1", "-f", fmt])
    parallel = runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache", "-j", "2", "-f", fmt])
    assert serial.exit_code == parallel.exit_code == 1
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == ""  # no progress bar when stderr is not a terminal


def test_results_follow_input_order(tree):
    args = ["docs/part2", "docs/notes.md", "docs/part0/r03.txt"]
    res = runner.invoke(app, ["lint", *args, "--select", "H301", "--no-cache", "-j", "2", "-f", "json"])
    paths = [f["path"] for f in json.loads(res.stdout)["files"]]
    assert paths[-2:] == ["docs/notes.md", "docs/part0/r03.txt"]
    assert paths[:-2] == sorted(paths[:-2]) and all(p.startswith("docs/part2/") for p in paths[:-2])


def test_cache_hits_then_misses_on_change(tree, tmp_path, count_lints):
    (tmp_path / ".git").mkdir()  # a repository: the cache lies at its root
    args = ["lint", "docs", "--select", "H301", "-j", "1", "-f", "json"]
    first = runner.invoke(app, args)
    assert len(count_lints) == 25
    assert (tmp_path / ".ecocheck_cache" / "CACHEDIR.TAG").is_file()
    assert (tmp_path / ".ecocheck_cache" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    count_lints.clear()
    second = runner.invoke(app, args)
    assert count_lints == [] and second.stdout == first.stdout and second.exit_code == first.exit_code
    # a changed file misses; the others still hit
    (tree / "part0" / "r00.txt").write_text(DIRTY, encoding="utf-8")
    third = runner.invoke(app, args)
    assert count_lints == [os.path.join("docs", "part0", "r00.txt")]
    assert third.stdout != first.stdout
    # other options are part of the key
    count_lints.clear()
    runner.invoke(app, ["lint", "docs", "--select", "H301", "--fail-on", "error", "-j", "1"])
    assert count_lints == []  # fail-on does not change findings
    runner.invoke(app, ["lint", "docs", "--select", "H301", "--extend-select", "C699", "-j", "1"])
    assert len(count_lints) == 25
    count_lints.clear()
    runner.invoke(app, args + ["--no-cache"])
    assert len(count_lints) == 25


def test_corrupt_cache_entry_is_ignored(tree, tmp_path, count_lints):
    (tmp_path / ".git").mkdir()
    args = ["lint", "docs/part0/r03.txt", "--select", "H301", "-f", "json"]
    first = runner.invoke(app, args)
    entries = [os.path.join(d, n) for d, _, names in os.walk(tmp_path / ".ecocheck_cache") for n in names
               if n.endswith(".json")]
    assert len(entries) == 1
    with open(entries[0], "w", encoding="utf-8") as fh:
        fh.write('{"key": "truncated')
    count_lints.clear()
    second = runner.invoke(app, args)
    assert count_lints == ["docs/part0/r03.txt"] and second.stdout == first.stdout


def test_cache_lives_at_the_repository_root_not_next_to_each_config(tree, tmp_path, monkeypatch):
    (tree / "part1" / "ecocheck.yaml").write_text("select: [H301]\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path.parent / f"{tmp_path.name}-user-cache"))
    runner.invoke(app, ["lint", "docs", "--select", "H301"])  # outside a repository: the user cache directory
    assert [p for p in tmp_path.rglob(".ecocheck_cache")] == []
    results = tmp_path.parent / f"{tmp_path.name}-user-cache" / "ecocheck" / "results"
    assert len(list(results.iterdir())) == 2  # one folder per project: docs/part1 (its config) and the cwd
    (tmp_path / ".git").mkdir()
    runner.invoke(app, ["lint", "docs", "--select", "H301"])
    assert [p for p in tmp_path.rglob(".ecocheck_cache")] == [tmp_path / ".ecocheck_cache"]


def test_output_file_is_written_atomically(tree, tmp_path):
    res = runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache", "-f", "json", "-o", "out/r.json",
                              "--color"])
    assert res.exit_code == 1 and res.stdout == ""
    data = json.loads((tmp_path / "out" / "r.json").read_text(encoding="utf-8"))
    assert data["summary"]["files"] == 25
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["r.json"]  # no temporary file left
    res = runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache", "-o", "out/r.txt", "--color"])
    assert "\033[" not in (tmp_path / "out" / "r.txt").read_text(encoding="utf-8")
    target = tree / "part0" / "r00.txt"
    before = target.read_bytes()
    res = runner.invoke(app, ["lint", str(target), "--no-cache", "-o", str(target)])
    assert res.exit_code == 2 and target.read_bytes() == before


def test_quiet_and_statistics(tree):
    quiet = runner.invoke(app, ["lint", "docs/part0", "--select", "H301", "--no-cache", "-q", "--no-color"])
    assert quiet.exit_code == 1
    assert "检查了" not in quiet.stdout and "H301 占位符" in quiet.stdout
    clean = runner.invoke(app, ["lint", "docs/part0/r00.txt", "--select", "H301", "--no-cache", "-q"])
    assert clean.exit_code == 0 and clean.stdout == ""
    stats = runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache", "--statistics", "-f", "concise"])
    assert stats.stdout.splitlines()[-1] == "    25  H301  placeholder"
    stats = runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache", "--statistics"])
    assert "    25  H301  placeholder" in stats.stdout.splitlines()


def test_exit_codes(tree, tmp_path):
    dirty, clean = "docs/part0/r03.txt", "docs/part0/r00.txt"
    base = ["lint", "--select", "H301", "--no-cache"]
    assert runner.invoke(app, [*base, clean]).exit_code == 0
    assert runner.invoke(app, [*base, dirty]).exit_code == 1
    assert runner.invoke(app, [*base, dirty, "--fail-on", "error"]).exit_code == 0
    assert runner.invoke(app, [*base, dirty, "--exit-zero"]).exit_code == 0
    (tmp_path / "ecocheck.yaml").write_text("severity: {H301: info}\n", encoding="utf-8")
    assert runner.invoke(app, [*base, dirty]).exit_code == 0
    assert runner.invoke(app, [*base, dirty, "--fail-on", "info"]).exit_code == 1
    assert runner.invoke(app, [*base, "missing.txt", "--exit-zero"]).exit_code == 2
    assert runner.invoke(app, [*base, dirty, "-j", "0"]).exit_code == 2


def test_library_lint_paths_with_jobs(tree):
    from ecocheck.config import Config

    cfg = Config(select=["H301"])
    serial = ecocheck.api.lint_paths([str(tree)], cfg)
    parallel = ecocheck.api.lint_paths([str(tree)], cfg, jobs=2)
    assert [(r.path, [f.to_dict() for f in r.findings]) for r in serial.files] == \
        [(r.path, [f.to_dict() for f in r.findings]) for r in parallel.files]


def test_progress_bar_only_for_a_terminal(monkeypatch):
    from ecocheck.cli import app as cli

    class Tty:
        def isatty(self):
            return True

        def write(self, s):
            return len(s)

        def flush(self):
            pass

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(cli.sys, "stderr", Tty())
    assert cli._show_progress("text", quiet=False)
    assert not cli._show_progress("json", quiet=False)
    assert not cli._show_progress("text", quiet=True)
    monkeypatch.setenv("CI", "true")
    assert not cli._show_progress("text", quiet=False)
    bar = cli._ProgressBar(True)
    bar(1, 5)
    assert bar._progress is None  # few files: no bar
    for done in range(1, 31):
        bar(done, 30)
    assert bar._progress is not None
    bar.close()
    assert bar._progress is None


def test_parallel_chunks_cover_every_file_once_largest_first(tmp_path):
    files = []
    for i, size in enumerate([5, 500, 50, 0, 5000, 70, 7, 700, 1, 10] * 4):
        f = tmp_path / f"f{i:02d}.txt"
        f.write_text("字" * size, encoding="utf-8")
        files.append(str(f))
    files.append(str(tmp_path / "missing.txt"))  # a vanished file sorts as empty, it is not dropped
    todo = list(range(len(files)))
    chunks = ecocheck.run.batch._chunks(todo, files, workers=2)
    flat = [i for c in chunks for i in c]
    assert sorted(flat) == todo
    sizes = [len(Path(files[i]).read_bytes()) if Path(files[i]).exists() else 0 for i in flat]
    assert sizes == sorted(sizes, reverse=True)
    assert [len(c) for c in chunks] == sorted((len(c) for c in chunks), reverse=True)
    assert len(chunks[-1]) == 1 and len(chunks[0]) > 1
