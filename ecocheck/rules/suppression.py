"""C699 unused-suppression: a suppression comment that suppresses nothing.

The rule checks nothing itself: the suppression stage
(:mod:`ecocheck.run.suppress`) emits its findings after the other rules
ran.  Off by default; enable it with ``--extend-select C699`` or
``report-unused-suppressions: true`` in the configuration.
"""

from __future__ import annotations

from ..engine.rule import Rule, RuleDoc
from ..model import Severity


class UnusedSuppression(Rule):
    code = "C699"
    name = "unused-suppression"
    severity = Severity.INFO
    summary = "抑制注释没有抑制任何问题"
    enabled_by_default = False
    doc = RuleDoc(
        what="报告没有起作用的抑制注释：<!-- ecocheck-disable CODES -->、<!-- ecocheck-disable-next-line CODES -->、"
             ".txt 中单独一行的 ecocheck-disable CODES，以及以 ecocheck-disable 开头的 Word 批注。"
             "注释中的某个规则在其范围内没有问题可抑制，或写的不是已知规则，都会报告。",
        why="问题改正后留下的抑制注释会悄悄掩盖以后再出现的同类问题；写错的规则代码则根本不起作用。"
            "默认关闭，用 --extend-select C699 或配置 report-unused-suppressions: true 启用。",
        bad="<!-- ecocheck-disable-next-line H301 -->\n现有党员56人。",
        good="现有党员56人。",
    )

    def check(self, ctx):
        return ()


RULES = [UnusedSuppression]
