"""The fork pool behind ``lint_paths(jobs=N)``: every task runs once, a dying worker loses only
its own unfinished tasks, and no worker outlives the call."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial

import pytest

from ecocheck import api
from ecocheck.run import forkpool
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
    parent, real = os.getpid(), api.lint_file

    done_here = []

    def dies_in_a_worker(path, config=None, **kw):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # the forked worker dies on its first file
        done_here.append(path)
        return real(path, config, **kw)

    monkeypatch.setattr(api, "lint_file", dies_in_a_worker)
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
    monkeypatch.chdir(tmp_path)
    for run_ in ("cold", "warm"):  # the second run reads every result from .ecocheck_cache/
        seen = []
        result = api.lint_paths([str(tree)], Config(), jobs=jobs, use_cache=True, on_file=seen.append)
        assert len(seen) == 8 and sorted(map(id, seen)) == sorted(map(id, result.files)), run_
    assert (tmp_path / ".ecocheck_cache").is_dir()


# -- a worker prestarted before the work is known (ecocheck lint forks it before typer loads) --------

def _touch(path):
    with open(path, "w") as fh:
        fh.write(str(os.getpid()))


def _pid_after_a_nap(i):
    time.sleep(0.02)  # slow enough that both processes take chunks
    return os.getpid()


def _wait_exit(pid, seconds=10.0):
    """The exit status of child ``pid``, waiting up to ``seconds``; None if it is still running."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return 0  # already reaped
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    return None


@pytest.fixture
def spare_let_go():
    yield
    forkpool.discard_spare()


def test_a_prestarted_worker_warms_up_then_takes_its_share(tmp_path, spare_let_go):
    marker = tmp_path / "warm"
    forkpool.prestart(partial(_touch, str(marker)))
    spare = forkpool._spare.pid
    got, lost = run([[i] for i in range(30)], _pid_after_a_nap, workers=2)
    assert lost == [] and sorted(got) == list(range(30))
    assert set(got.values()) == {os.getpid(), spare}  # no other worker was forked
    assert marker.read_text() == str(spare)
    assert forkpool._spare is None  # used once
    assert no_children_left()


def test_a_prestarted_worker_joins_the_forked_ones(spare_let_go):
    forkpool.prestart(partial(time.sleep, 0))
    spare = forkpool._spare.pid
    got, lost = run([[i] for i in range(40)], _pid_after_a_nap, workers=3)
    assert lost == [] and len(set(got.values())) == 3 and spare in got.values()
    assert no_children_left()


def test_an_unused_prestarted_worker_exits_when_let_go(spare_let_go):
    forkpool.prestart(partial(time.sleep, 0.05))
    spare = forkpool._spare.pid
    forkpool.discard_spare()
    assert forkpool._spare is None
    assert _wait_exit(spare) == 0


def test_work_that_cannot_be_pickled_lets_the_spare_go_and_forks_as_usual(spare_let_go):
    forkpool.prestart(partial(time.sleep, 0))
    spare = forkpool._spare.pid
    got, lost = run([[i] for i in range(20)], lambda i: (time.sleep(0.01), os.getpid())[1], workers=2)
    assert lost == [] and sorted(got) == list(range(20))
    assert spare not in got.values() and forkpool._spare is None
    assert _wait_exit(spare) == 0
    assert no_children_left()


def test_a_prestarted_worker_that_dies_warming_up_loses_nothing(spare_let_go):
    forkpool.prestart(partial(os._exit, 3))
    spare = forkpool._spare.pid
    assert _wait_exit(spare) == 3  # dead before any work is handed over
    got, lost = run([[i] for i in range(10)], _pid_after_a_nap, workers=2)
    assert lost == [] and sorted(got) == list(range(10)) and spare not in got.values()
    assert no_children_left()


def _warm_until_gone(flag, marker):
    deadline = time.monotonic() + 60
    while os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.01)
    _touch(marker)


def test_a_spare_stuck_warming_up_is_not_waited_for(tmp_path, spare_let_go):
    # e.g. a plugin that hangs on import: this process does every task and then stops the spare
    flag, marker = tmp_path / "hold", tmp_path / "warmed"
    flag.write_text("")
    forkpool.prestart(partial(_warm_until_gone, str(flag), str(marker)))
    try:
        got, lost = run([[i] for i in range(10)], _pid_after_a_nap, workers=2)
        assert lost == [] and set(got.values()) == {os.getpid()}
        assert no_children_left()
    finally:
        flag.unlink()
    time.sleep(0.2)
    assert not marker.exists()  # stopped while warming up, not waited for until it was done


def _length(data, i):
    return len(data) + i


def test_a_job_too_large_for_the_pipe_does_not_wait_for_a_warming_spare(tmp_path, spare_let_go):
    flag, marker = tmp_path / "hold", tmp_path / "warmed"
    flag.write_text("")
    forkpool.prestart(partial(_warm_until_gone, str(flag), str(marker)))
    spare = forkpool._spare.pid
    try:
        got, lost = run([[i] for i in range(6)], partial(_length, "x" * 3_000_000), workers=2)  # a 3 MB job
        assert not marker.exists()  # the call did not wait for the spare to finish warming up
        assert lost == [] and got == {i: 3_000_000 + i for i in range(6)}
        assert forkpool._spare is None  # let go: the work ran as without it
    finally:
        flag.unlink()
    assert _wait_exit(spare) == 0  # it read a cut-off job as none, and exited
    assert no_children_left()


def test_a_warm_up_that_raises_still_leaves_a_working_worker(spare_let_go):
    forkpool.prestart(partial(int, "not a number"))
    spare = forkpool._spare.pid
    got, lost = run([[i] for i in range(30)], _pid_after_a_nap, workers=2)
    assert lost == [] and spare in got.values()


def test_a_prestarted_worker_never_holds_the_callers_output_open(tmp_path):
    # the spare prints, then warms up until the flag goes (after the caller has exited): the
    # caller's output must end when the caller does, with nothing from the spare in it
    flag = tmp_path / "warming"
    flag.write_text("")
    script = ("import os, time\n"
              "from ecocheck.run import forkpool\n"
              "def warm():\n"
              "    print('from the spare', flush=True)\n"
              "    deadline = time.monotonic() + 60\n"
              f"    while os.path.exists({str(flag)!r}) and time.monotonic() < deadline:\n"
              "        time.sleep(0.01)\n"
              "forkpool.prestart(warm)\n"
              "print('caller done')\n")
    try:
        res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=False)
    finally:
        flag.unlink()
    assert res.returncode == 0 and res.stdout == "caller done\n" and res.stderr == ""


# -- through the command line --------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (["docs"], True),  # a directory
    ([], True),  # the current directory
    (["a.txt", "b.txt"], True),
    (["a.txt"], False),  # one file: nothing to share
    (["a.txt", "-o", "out.json", "-f", "json"], False),  # an output file that does not exist yet is no input
    (["a.txt", "--config", "b.txt"], False),  # an option's value is no input, even a file that exists
    (["--baseline", "b.txt", "a.txt"], False),
    (["docs", "-j", "1"], False),
    (["docs", "-j1"], False),
    (["docs", "--jobs", "1"], False),
    (["docs", "--jobs=1"], False),
    (["docs", "-j", "2"], True),
    (["docs", "--jobs=4"], True),
    (["docs", "--help"], False),
    (["-h"], False),
])
def test_the_command_line_guesses_when_a_lint_may_run_in_parallel(args, expected, tmp_path, monkeypatch):
    from ecocheck.cli import _may_run_in_parallel

    (tmp_path / "docs").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("报告\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert _may_run_in_parallel(args) is expected
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert _may_run_in_parallel(args) is False  # one CPU: never


def test_the_guess_knows_every_lint_option_that_takes_a_value():
    import typer

    from ecocheck.cli import _LINT_VALUE_OPTIONS
    from ecocheck.cli.app import app

    lint = typer.main.get_command(app).commands["lint"]
    taking = {opt for p in lint.params if p.param_type_name == "option" and not p.is_flag for opt in p.opts}
    assert taking == _LINT_VALUE_OPTIONS


def test_warm_up_loads_what_the_first_file_would_but_no_third_party_plugin(tmp_path):
    # a configuration may disable a plugin, and none is known while the spare warms up: no
    # third-party code may run before it is
    code = ("import sys\nfrom ecocheck import api\n"
            "from ecocheck.plugin.discovery import entry_points\n"
            "from ecocheck.plugin.manager import BUILTIN, GROUP\n"
            "api.warm_up()\n"
            "print(sorted(m for m in ('lark', 'lxml.etree', 'ecocheck.loaders.docx', 'ecocheck.rules.typography')"
            " if m in sys.modules), api._registry.cache_info().currsize)\n"
            "others = [ep.value.split(':')[0] for ep in entry_points(GROUP) if ep.name not in BUILTIN]\n"
            "print('third-party plugins:', len(others), 'imported:', [m for m in others if m in sys.modules])\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False,
                         env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert res.returncode == 0, res.stderr[-800:]
    first, second = res.stdout.splitlines()
    assert first == "['ecocheck.loaders.docx', 'ecocheck.rules.typography', 'lark', 'lxml.etree'] 1"
    assert second.endswith("imported: []")
    assert not second.startswith("third-party plugins: 0")  # the GB/T 9704 plugin is installed for the tests


def test_ecocheck_lint_hands_the_prestarted_worker_its_share_and_reports_the_same(tmp_path):
    _tree(tmp_path / "docs")
    spy = ("import atexit, sys\nfrom ecocheck.run import forkpool\n"
           "used = []\nreal = forkpool._hand_over\n"
           "def hand_over(*a):\n    spare = real(*a)\n    used.append(spare is not None)\n    return spare\n"
           "forkpool._hand_over = hand_over\n"
           "atexit.register(lambda: print('handed over:', used, file=sys.stderr))\n"
           "from ecocheck.cli import main\n"
           "sys.argv = ['ecocheck', 'lint', 'docs', '--no-cache', '--isolated', '-f', 'json', *sys.argv[1:]]\n"
           "main()\n")
    runs = {j: subprocess.run([sys.executable, "-c", spy, "-j", j], capture_output=True, text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False, timeout=120)
            for j in ("1", "2")}
    assert runs["1"].returncode == runs["2"].returncode == 1, runs["2"].stderr[-800:]
    assert runs["1"].stdout == runs["2"].stdout and '"H301"' in runs["2"].stdout
    assert "handed over: []" in runs["1"].stderr  # -j 1: nothing prestarted, nothing forked
    assert "handed over: [True]" in runs["2"].stderr
