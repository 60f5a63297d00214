"""A rule that runs too long is stopped and reported as one E100; the other rules still run."""

import re

import pytest

from ecocheck import api
from ecocheck.config import Config
from ecocheck.engine.rule import Rule, RuleDoc
from ecocheck.engine.runner import Selected, run_rules
from ecocheck.loaders.text import load_text
from ecocheck.model import Severity

DOC = RuleDoc(what="测试", why="测试", bad="测试", good="测试")


class QuadraticRegex(Rule):
    code, name, summary, doc, severity = "W989", "quadratic-regex", "测试：二次回溯的正则", DOC, Severity.WARNING

    def check(self, ctx):
        for p in ctx.document.paragraphs:
            if re.search(r".*办", p.text):  # quadratic on a long paragraph without 办
                yield ctx.finding(p.index, 0, 1, "不会到这里")


class Endless(Rule):
    code, name, summary, doc, severity = "W990", "endless-loop", "测试：死循环", DOC, Severity.WARNING

    def check(self, ctx):
        while True:
            pass


@pytest.mark.slow  # waits for the time limit to pass
def test_slow_rules_are_stopped_and_reported():
    text = "某局报告\n一、基本情况\n" + "党" * 200_000 + "\n现有党员**人。\n"
    doc = load_text("long.txt", text.encode("utf-8"))
    plan = api.build_plan(Config(limits={"rule_seconds": 1}))
    outline = api.outline_document(doc, plan)
    placeholder = api.registry().get("H301")
    rules = [Selected(rule, rule.severity, {}) for rule in (QuadraticRegex(), Endless(), placeholder)]
    findings = run_rules(doc, outline, rules, config=plan.config, seconds=plan.limits.rule_seconds)
    crashes = [f for f in findings if f.code == "E100"]
    assert len(crashes) == 2
    assert all("超过 1 秒" in f.message and "limits.rule-seconds" in f.message for f in crashes)
    assert {"W989", "W990"} == {re.search(r"规则 (W\d+)", f.message).group(1) for f in crashes}
    assert [f.text for f in findings if f.code == "H301"] == ["**"]


def test_limit_is_configurable_and_validated(tmp_path):
    from typer.testing import CliRunner

    from ecocheck.cli.app import app

    (tmp_path / "ecocheck.yaml").write_text("limits:\n  rule-seconds: 0\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("报告\n现有党员**人。\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["lint", str(tmp_path / "a.txt"), "--no-cache"])
    assert res.exit_code == 2 and "rule-seconds" in res.output
    (tmp_path / "ecocheck.yaml").write_text("limits:\n  rule-seconds: 5\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["lint", str(tmp_path / "a.txt"), "--no-cache", "--select", "H301"])
    assert res.exit_code == 1, res.output
