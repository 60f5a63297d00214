"""Command-line entry point.

``main`` answers ``--version`` before importing typer so that start-up stays
cheap; everything else goes through the typer app in :mod:`ecocheck.cli.app`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from .. import __version__

        print(f"ecocheck {__version__}")
        raise SystemExit(0)
    from .app import app

    app(args=args, prog_name="ecocheck")
