"""Command-line entry point.

``main`` answers ``--version`` before importing typer so that start-up stays
cheap; everything else goes through the typer app in :mod:`ecocheck.cli.app`.

``main`` is the process's entry point (the console script, ``python -m ecocheck``): when
the command is done it freezes the garbage collector's objects.  CPython's shutdown runs
full collections over every object still alive -- the imported modules, the rule registry,
the parsed grammar, compiled patterns -- which took ~25 ms, a sixth of linting one report
and a serial cost every ``-j`` run pays.  Frozen objects are skipped; atexit handlers,
stream flushing and module teardown run as usual.  In-process callers use the typer app
(:mod:`ecocheck.cli.app`) or :mod:`ecocheck.api`, not ``main``.

When ``ecocheck lint`` looks set to lint in parallel (several files, ``-j`` not 1, more than
one CPU), ``main`` first forks one worker (:func:`ecocheck.run.forkpool.prestart`) that loads
ecocheck's own rules, the outline parser and the .docx stack while this process imports typer,
parses the options and collects the files -- start-up that would otherwise come before any
worker starts.  The parallel run then hands that worker its share instead of forking one.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from .. import __version__

        print(f"ecocheck {__version__}")
        raise SystemExit(0)
    if args and args[0] == "lint" and _may_run_in_parallel(args[1:]):
        from ..run.forkpool import prestart

        prestart(_warm_up)
    import gc

    # typer and the app are objects that live as long as the process: importing them with the
    # collector off and then freezing them spares every later collection a scan of them
    gc.disable()
    try:
        from .app import app
    finally:
        gc.freeze()
        gc.enable()
    try:
        app(args=args, prog_name="ecocheck")
    finally:
        forkpool = sys.modules.get("ecocheck.run.forkpool")
        if forkpool is not None:
            forkpool.discard_spare()  # a prestarted worker the run did not use exits
        gc.freeze()


def _warm_up() -> None:
    from ..api import warm_up

    warm_up()


#: the options of ``ecocheck lint`` that take a value (``--config ecocheck.toml`` names no input);
#: tests/test_forkpool.py keeps this in step with the command's own definition
_LINT_VALUE_OPTIONS = frozenset({"-f", "--format", "-o", "--output", "--genre", "--select", "--ignore",
                                 "--extend-select", "--fail-on", "--config", "--policy", "--baseline", "--write-baseline",
                                 "-j", "--jobs", "--annotate-output"})


def _may_run_in_parallel(args: list[str]) -> bool:
    """Whether ``ecocheck lint args`` may lint in more than one process: not with ``-j 1`` or
    ``--help``, not for a single file, not on a one-CPU machine.  A guess made before the
    options are parsed, for :func:`ecocheck.run.forkpool.prestart`; a wrong guess costs only an
    idle worker or a head start not taken."""
    for k, arg in enumerate(args):
        if arg in ("-h", "--help"):
            return False
        if arg in ("-j", "--jobs"):
            value = args[k + 1] if k + 1 < len(args) else ""
        elif arg.startswith("--jobs="):
            value = arg[len("--jobs="):]
        elif arg.startswith("-j") and not arg.startswith("--"):
            value = arg[2:]
        else:
            continue
        if value.strip() == "1":
            return False
    import os

    named = [a for k, a in enumerate(args)
             if not a.startswith("-") and (k == 0 or args[k - 1] not in _LINT_VALUE_OPTIONS)]
    files = [a for a in named if os.path.isfile(a)]
    if len(files) == 1 and not any(os.path.isdir(a) for a in named):
        return False
    from ..run.forkpool import cpus

    return cpus() > 1
