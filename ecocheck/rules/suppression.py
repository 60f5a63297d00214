"""C699 unused-suppression: a suppression comment that suppresses nothing;
C698 suppression-not-applied: a suppression comment that policy mode did not apply.

Neither rule checks anything itself: the suppression stage
(:mod:`ecocheck.run.suppress`) emits their findings after the other rules
ran.  C699 is off by default; enable it with ``--extend-select C699`` or
``report-unused-suppressions: true`` in the configuration.  C698 only ever
reports under ``--policy``.
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


class IgnoredSuppression(Rule):
    code = "C698"
    name = "suppression-not-applied"
    severity = Severity.INFO
    summary = "策略模式下抑制注释不生效"
    doc = RuleDoc(
        what="策略模式（ecocheck lint --policy FILE，CI 用）下，文档中的抑制注释（<!-- ecocheck-disable … -->、"
             ".txt 中单独一行的 ecocheck-disable、以 ecocheck-disable 开头的 Word 批注）不起作用，"
             "每一条在这里列出，并写明它本会隐藏几个问题。",
        why="在 CI 中，检查规则应由 CI 的定义决定，而不是由被检查的提交决定：一条首行的 ecocheck-disable "
            "就能让整份文档“通过”。列出来，审阅者才看得到这次提交想隐藏什么。",
        bad="<!-- ecocheck-disable H301 -->\n现有党员XX人。",
        good="现有党员56人。",
    )

    def check(self, ctx):
        return ()


RULES = [IgnoredSuppression, UnusedSuppression]
