"""Runs the selected rules over one document and collects findings."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from typing import Any, NamedTuple

from ..errors import E_RULE_CRASH
from ..limits import DEFAULT_LIMITS
from ..model import Document, Finding, Outline, Severity
from .rule import Rule, RuleContext
from .timelimit import RuleClock, RuleTimeout


class Selected(NamedTuple):
    """A rule switched on by a configuration, with the severity and options it runs with."""

    rule: Rule
    severity: Severity
    options: dict[str, Any]


def applicable(rule: Rule, doc: Document, outline: Outline) -> bool:
    if rule.formats is not None and doc.format not in rule.formats:
        return False
    if rule.genres is not None and outline.genre not in rule.genres:
        return False
    return True


def run_rules(doc: Document, outline: Outline, rules: Iterable[Selected], *, config: Any = None,
              seconds: float = DEFAULT_LIMITS.rule_seconds) -> list[Finding]:
    """Every applicable rule over the document, each limited to ``seconds``; a crashing rule
    becomes one E100 finding.  ``config`` is what the rules see as ``ctx.config``."""
    findings: list[Finding] = []
    with RuleClock(seconds) as clock:
        for rule, severity, options in rules:
            if not applicable(rule, doc, outline):
                continue
            ctx = RuleContext(doc, outline, rule, options=options, severity=severity, config=config)
            try:
                with clock.limit():
                    produced = list(rule.check(ctx) or ())
                findings.extend(produced)  # all or nothing: a rule that crashes half-way reports only E100
            except RuleTimeout:
                findings.append(_crash(doc, rule, f"在本文件上运行超过 {seconds} 秒，已中止"
                                                  "（可能是正则回溯过多；可在配置 limits.rule-seconds 中调整上限）"))
            except MemoryError:
                raise  # over the document's memory budget: the whole file is one E009 (run/memlimit.py)
            except Exception as exc:  # noqa: BLE001 - a rule may raise anything; the run goes on
                tb = traceback.extract_tb(exc.__traceback__)
                where = f"{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else "?"
                lines = str(exc).strip().splitlines()
                detail = lines[0][:200] if lines else ""
                findings.append(_crash(doc, rule, f"运行出错：{type(exc).__name__}: {detail}（{where}）"))
    return dedupe(findings)


def _crash(doc: Document, rule: Rule, what: str) -> Finding:
    """The one E100 finding that stands for a rule that failed on this document."""
    return Finding(code=E_RULE_CRASH, name="rule-crashed", severity=Severity.ERROR,
                   message=f"规则 {rule.code}（{rule.name}，来自 {rule.source}）{what}，其余规则照常检查",
                   path=doc.path, line=1, column=1, end_line=1, end_column=1, source=rule.source)


def dedupe(findings: list[Finding]) -> list[Finding]:
    seen = set()
    out = []
    for f in sorted(findings, key=Finding.sort_key):
        key = (f.code, f.line, f.column, f.end_line, f.end_column, f.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
