"""Command-line entry point.

``main`` answers ``--version`` before importing typer so that start-up stays
cheap; everything else goes through the typer app in :mod:`ecocheck.cli.app`.

``main`` is the process's entry point (the console script, ``python -m ecocheck``): when
the command is done it freezes the garbage collector's objects.  CPython's shutdown runs
full collections over every object still alive -- the imported modules, the rule registry,
the parsed grammar, compiled patterns -- a serial cost every run, and every ``-j`` run,
pays (bench/RESULTS.md).  Frozen objects are skipped; atexit handlers,
stream flushing and module teardown run as usual.  In-process callers use the typer app
(:mod:`ecocheck.cli.app`) or :mod:`ecocheck.api`, not ``main``.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from .. import __version__

        print(f"ecocheck {__version__}")
        raise SystemExit(0)
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
        gc.freeze()
