"""The library's face: what the CLI, the fixer, plugins' tests and scripts call.

The work is done below: :mod:`ecocheck.config` resolves a configuration, :mod:`ecocheck.run.plan`
turns it into a :class:`Plan`, :mod:`ecocheck.run.pipeline` takes one file through
load → outline → rules → suppress, :mod:`ecocheck.run.batch` runs many.  Functions here take a
:class:`Config` (a plan is built for the call) or a :class:`Plan` built once by the caller.
"""

from __future__ import annotations

from .config import Config
from .model import FileResult, Outline
from .run import pipeline
from .inputs import Source
from .run.batch import RunResult, collect_files, default_jobs, lint_paths, lint_source
from .run.plan import Plan, build_plan, registry, section_config

__all__ = ["Config", "Plan", "RunResult", "Source", "build_plan", "collect_files", "default_jobs", "lint_document",
           "lint_file", "lint_paths", "lint_source", "outline_document", "outline_file", "registry", "section_config"]


def _plan(config: Config | Plan | None) -> Plan:
    return config if isinstance(config, Plan) else build_plan(config)


def lint_file(path: str, config: Config | Plan | None = None, *, keep_outline: bool = False) -> FileResult:
    """Lint one file; an unreadable file gives one E0xx finding (``error`` set), never an exception."""
    return pipeline.lint_file(path, _plan(config), keep_outline=keep_outline)


def lint_document(doc, config: Config | Plan | None = None, *, path: str | None = None,
                  keep_outline: bool = False) -> FileResult:
    """Lint an already loaded Document; ``path`` names the file in findings and for
    ``per-file-ignores`` when it differs from ``doc.path``."""
    return pipeline.lint_document(doc, _plan(config), path=path, keep_outline=keep_outline)


def outline_document(doc, config: Config | Plan | None = None, *, pairing: bool = False,
                     path: str | None = None) -> Outline:
    """The outline of a loaded Document; ``pairing`` pairs problems with measures up front; the genre
    is the one the command line or the config sets for ``path`` (default ``doc.path``), else detected."""
    return pipeline.outline_document(doc, _plan(config), pairing=pairing, path=path)


def outline_file(path: str, config: Config | Plan | None = None) -> Outline:
    """The outline of a file as ``ecocheck outline`` shows it, pairing included."""
    from .loaders import load

    plan = _plan(config)
    return pipeline.outline_document(load(path, plan.limits), plan, pairing=True)
