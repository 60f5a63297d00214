"""The fork pool behind ``lint_paths(jobs=N)``: every task runs once, a dying worker loses only
its own unfinished tasks, and no worker outlives the call."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ecocheck import api
from ecocheck.run import forkpool, pipeline
from ecocheck.config import Config

pytestmark = pytest.mark.skipif(not forkpool.can_fork(), reason="needs fork (Linux)")


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def run(chunks, work, workers=2):
    got: dict[int, object] = {}

    def on_result(i, value):
        assert i not in got, "a task ran twice"
        got[i] = value

    lost = forkpool.fork_map(chunks, work, workers, on_result)
    return got, lost


def test_every_task_runs_once_and_results_come_back():
    chunks = [[0, 1, 2, 3], [4, 5], [6], [7], [8], [9]]
    got, lost = run(chunks, lambda i: (i, i * i), workers=3)
    assert lost == []
    assert sorted(got) == list(range(10))
    assert all(got[i] == (i, i * i) for i in got)
    assert no_children_left()


def test_work_is_shared_between_this_process_and_the_forked_ones():
    import time

    def slow(i):
        time.sleep(0.02)
        return os.getpid()

    got, lost = run([[i] for i in range(30)], slow, workers=3)
    assert lost == [] and len(set(got.values())) == 3 and os.getpid() in got.values()


def test_large_results_cross_the_pipe_intact():
    big = "政治生态" * 50_000  # 600 KB of UTF-8 per result: many reads per frame
    got, lost = run([[0, 1], [2]], lambda i: big + str(i))
    assert lost == [] and all(got[i] == big + str(i) for i in range(3))


def test_more_chunks_than_the_queue_holds_are_coarsened_not_dropped():
    n = forkpool.MAX_CHUNKS * 3 + 5
    got, lost = run([[i] for i in range(n)], lambda i: i)
    assert lost == [] and sorted(got) == list(range(n))


@pytest.mark.parametrize("death", ["exception", "exit", "signal"])
def test_a_dying_worker_loses_only_its_unfinished_tasks(death):
    parent = os.getpid()
    chunks = [[0, 1], [2, 3, 4], [5, 6], [7], [8], [9]]

    def work(i):
        if os.getpid() == parent:
            time.sleep(0.05)  # slow here, so that the forked worker takes chunks too
        elif i >= 3:  # the forked worker dies on the first of these it meets, whichever chunk it is in
            if death == "exception":
                raise RuntimeError("boom")
            if death == "exit":
                os._exit(3)
            os.kill(os.getpid(), signal.SIGKILL)
        return i

    got, lost = run(chunks, work)
    assert lost and set(got) | set(lost) == set(range(10)) and not set(got) & set(lost)
    # what is lost is the rest of one chunk, from the index the worker died on; all else arrived
    dying = next(c for c in chunks if lost[0] in c)
    assert lost == dying[dying.index(lost[0]):] and lost[0] >= 3
    assert no_children_left()


def test_an_error_in_the_parent_stops_every_worker():
    def on_result(i, value):
        raise KeyError("reporter failed")

    with pytest.raises(KeyError):
        forkpool.fork_map([[i] for i in range(50)], lambda i: "x" * 100_000, 3, on_result)
    assert no_children_left()
    parent = os.getpid()

    def fails_here(i):
        if os.getpid() == parent:
            raise RuntimeError("a bug in this process's own work")
        return "x" * 100_000

    with pytest.raises(RuntimeError):
        forkpool.fork_map([[i] for i in range(50)], fails_here, 3, lambda i, v: None)
    assert no_children_left()


def test_one_worker_is_this_process_alone():
    got, lost = run([[0, 1], [2]], lambda i: os.getpid(), workers=1)
    assert lost == [] and set(got.values()) == {os.getpid()}


def test_nothing_to_do_forks_nothing():
    assert forkpool.fork_map([[], []], lambda i: i, 2, lambda i, v: None) == []
    assert no_children_left()


# -- through lint_paths -------------------------------------------------------------------------

def _tree(tmp_path):
    tmp_path.mkdir(exist_ok=True)
    for i in range(8):
        (tmp_path / f"r{i}.txt").write_text(f"关于XX局2023年政治生态建设情况的报告\n一、基本情况\n共有党员{i}**人。\n",
                                            encoding="utf-8")
    return tmp_path


def _findings(run_result):
    return [(os.path.basename(r.path), [f.to_dict() for f in r.findings]) for r in run_result.files]


def test_lint_paths_redoes_the_files_of_a_dead_worker_in_process(tmp_path, monkeypatch):
    tree = _tree(tmp_path)
    serial = api.lint_paths([str(tree)], Config())
    parent, real = os.getpid(), pipeline.lint_file

    done_here = []

    def dies_in_a_worker(path, plan, **kw):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # the forked worker dies on its first file
        done_here.append(path)
        return real(path, plan, **kw)

    monkeypatch.setattr(pipeline, "lint_file", dies_in_a_worker)
    parallel = api.lint_paths([str(tree)], Config(), jobs=2)
    assert _findings(parallel) == _findings(serial)
    assert sorted(done_here) == sorted(r.path for r in serial.files)  # this process linted every file, once
    assert no_children_left()


def test_lint_paths_without_fork_uses_a_process_pool(tmp_path, monkeypatch):
    tree = _tree(tmp_path)
    serial = api.lint_paths([str(tree)], Config())
    monkeypatch.setattr(forkpool, "can_fork", lambda: False)
    assert _findings(api.lint_paths([str(tree)], Config(), jobs=2)) == _findings(serial)


def test_lint_paths_reports_progress_for_every_file_once(tmp_path):
    tree = _tree(tmp_path)
    seen = []
    api.lint_paths([str(tree)], Config(), jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(k, 8) for k in range(1, 9)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_lint_paths_hands_each_result_to_on_file_once_cached_ones_too(tmp_path, monkeypatch, jobs):
    tree = _tree(tmp_path / "docs")
    (tmp_path / ".git").mkdir()  # a repository: the cache at its root
    monkeypatch.chdir(tmp_path)
    for run_ in ("cold", "warm"):  # the second run reads every result from .ecocheck_cache/
        seen = []
        result = api.lint_paths([str(tree)], Config(), jobs=jobs, use_cache=True, on_file=seen.append)
        assert len(seen) == 8 and sorted(map(id, seen)) == sorted(map(id, result.files)), run_
    assert (tmp_path / ".ecocheck_cache").is_dir()


# -- through the command line --------------------------------------------------------------------

def test_ecocheck_lint_reports_the_same_with_one_process_and_two(tmp_path):
    _tree(tmp_path / "docs")
    code = ("import sys\nfrom ecocheck.cli import main\n"
            "sys.argv = ['ecocheck', 'lint', 'docs', '--no-cache', '--isolated', '-f', 'json', *sys.argv[1:]]\n"
            "main()\n")
    runs = {j: subprocess.run([sys.executable, "-c", code, "-j", j], capture_output=True, text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False, timeout=120)
            for j in ("1", "2")}
    assert runs["1"].returncode == runs["2"].returncode == 1, runs["2"].stderr[-800:]
    assert runs["1"].stdout == runs["2"].stdout and '"H301"' in runs["2"].stdout
