"""The library entry points the CLI and tests call: lint files, build outlines.

Stages: loaders → outline → engine (rules) → findings.  Reporters and the CLI
sit on top and never reach below this module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

from .engine.config import Config
from .engine.registry import Registry, build_registry
from .engine.runner import run_rules
from .errors import LoadError
from .loaders import SUPPORTED_SUFFIXES, load
from .model import FileResult, Finding, Outline, Severity

__all__ = ["Config", "lint_file", "lint_paths", "outline_file", "registry", "collect_files", "RunResult"]


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # plugin / registry problems

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def unreadable(self) -> bool:
        return any(r.error for r in self.files)


@lru_cache(maxsize=8)
def _registry(disabled: tuple[str, ...], pack_dirs: tuple[str, ...]) -> Registry:
    return build_registry(disabled, pack_dirs)


def registry(config: Config | None = None) -> Registry:
    config = config or Config()
    return _registry(tuple(config.disable_plugins), tuple(config.pack_dirs))


def section_config(config: Config):
    from .outline.roles import default_section_config

    return default_section_config().extended(config.sections or None)


def outline_document(doc, config: Config) -> Outline:
    from .outline import build_outline

    return build_outline(doc, genre=config.genre, cfg=section_config(config))


def outline_file(path: str, config: Config | None = None) -> Outline:
    config = config or Config()
    return outline_document(load(path, _limits(config)), config)


def _limits(config: Config):
    if not config.limits:
        return None
    from .loaders.docx import Limits

    return Limits(**config.limits)


def load_error_finding(path: str, err: LoadError) -> Finding:
    return Finding(code=err.code, name="unreadable-file", severity=Severity.ERROR, message=err.message,
                   path=path, line=1, column=1, end_line=1, end_column=1)


def lint_file(path: str, config: Config | None = None, *, keep_outline: bool = False) -> FileResult:
    config = config or Config()
    try:
        doc = load(path, _limits(config))
    except LoadError as err:
        return FileResult(path=path, genre=None, findings=[load_error_finding(path, err)], error=True)
    except Exception as exc:  # noqa: BLE001 - never a traceback for one bad file
        err = LoadError("E003", f"文件无法解析（{type(exc).__name__}），请确认文件未损坏")
        return FileResult(path=path, genre=None, findings=[load_error_finding(path, err)], error=True)
    from .engine.configfile import per_file_ignores
    from .engine.suppress import mark_directives

    mark_directives(doc)  # before the outline: directive lines are not report text
    outline = outline_document(doc, config)
    reg = registry(config)
    ignore = config.ignore + per_file_ignores(config, path)
    rules = reg.select(config.select, config.extend_select, ignore)
    findings = _suppress(doc, outline, run_rules(doc, outline, rules, config), rules, reg, config, ignore)
    return FileResult(path=path, genre=outline.genre, findings=findings,
                      outline=outline if keep_outline else None)


def _suppress(doc, outline, findings, rules, reg, config: Config, ignore: list[str]) -> list[Finding]:
    """Apply suppression comments; report unused ones when C699 is enabled."""
    from .engine.suppress import UNUSED_CODE, apply_suppressions

    unused_rule = next((r for r in rules if r.code == UNUSED_CODE), None)
    if unused_rule is None and config.report_unused_suppressions:
        candidate = reg.get(UNUSED_CODE)
        ignored = {r.code for s in ignore for r in reg.matches(s)}
        if candidate is not None and UNUSED_CODE not in ignored:
            unused_rule = candidate
    severity = config.severity_for(unused_rule) if unused_rule is not None else None
    return apply_suppressions(doc, outline, findings, reg, unused_rule, severity, config)


def collect_files(paths: list[str]) -> list[str]:
    """Expand directories (recursively, sorted) into supported files; keep files as given."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    if name.lower().endswith(SUPPORTED_SUFFIXES) and not name.startswith(("~$", ".")) \
                            and not name.endswith(".ecocheck.docx"):
                        found.append(os.path.join(root, name))
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


def lint_paths(paths: list[str], config: Config | None = None) -> RunResult:
    config = config or Config()
    reg = registry(config)
    result = RunResult(problems=list(reg.problems))
    for path in collect_files(paths):
        result.files.append(lint_file(path, config))
    return result
