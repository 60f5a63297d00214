"""lint_file pauses the cyclic collector for one file and always hands it back as it found it."""

from __future__ import annotations

import gc

import pytest

from ecocheck import api
from ecocheck.config import Config
from ecocheck.run.gcpause import gc_paused


def test_collector_paused_inside_and_back_after():
    seen = []

    with gc_paused():
        seen.append(gc.isenabled())
    assert seen == [False] and gc.isenabled()

    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("a rule or loader failing half-way")
    assert gc.isenabled()


def test_a_caller_that_disabled_the_collector_keeps_it_disabled(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("关于某局2024年度政治生态情况的报告\n一、基本情况\n现有党员**人。\n", encoding="utf-8")
    gc.disable()
    try:
        result = api.lint_file(str(f), Config(select=["H301"]))
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert [x.code for x in result.findings] == ["H301"]
    assert api.lint_file(str(f), Config(select=["H301"])).findings and gc.isenabled()
    assert api.lint_file(str(tmp_path / "missing.txt")).error and gc.isenabled()  # the error path too


def test_the_command_line_entry_freezes_the_heap_before_shutdown_and_still_runs_atexit(tmp_path):
    # CPython's shutdown collects over every live object; main() freezes them first, and the
    # exit code, output and atexit handlers (the user cache is saved by one) stay as they were
    import os
    import subprocess
    import sys

    report = tmp_path / "r.txt"
    report.write_text("关于某局2024年度政治生态情况的报告\n一、基本情况\n现有党员**人。\n", encoding="utf-8")
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
            "atexit.register(lambda: print('collector on at exit:', gc.isenabled()))\n"
            "from ecocheck.cli import main\n"
            f"sys.argv = ['ecocheck', 'lint', '--no-cache', {str(report)!r}]\n"
            "main()\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False)
    assert run.returncode == 1, run.stderr[-800:]  # findings: exit 1, as without the freeze
    assert "H301" in run.stdout
    assert run.stdout.rstrip().endswith("collector on at exit: True\nfrozen at exit: True")  # atexit: last in, first run
