"""A Plan: one configuration resolved once for linting -- rules with severities and options, per-file
ignores as codes, the unused-suppression decision, limits -- and one plan per distinct configuration."""

from __future__ import annotations

import os

from ecocheck import api
from ecocheck.config import Config
from ecocheck.limits import DEFAULT_LIMITS, Limits
from ecocheck.model import Severity
from ecocheck.run import batch

REPORT = "某局工作报告\n一、基本情况\n现有党员**人，其中XX人参加培训。\n"


def codes(selected):
    return [s.rule.code for s in selected]


def test_select_ignore_severity_and_options_are_resolved_once():
    plan = api.build_plan(Config(select=["H3"], ignore=["H302"], severity={"placeholder": Severity.INFO},
                                 rule_options={"H301": {"extra_tokens": ["待核"]}}))
    assert "H301" in codes(plan.rules) and "H302" not in codes(plan.rules)
    assert all(c.startswith("H3") for c in codes(plan.rules))
    h301 = next(s for s in plan.rules if s.rule.code == "H301")
    assert h301.severity is Severity.INFO and h301.options == {"extra_tokens": ["待核"]}


def test_a_rule_takes_a_top_level_key_it_names_itself():
    # H301 says it takes extra-placeholders (config_options in its pack): the configuration need not know
    plan = api.build_plan(Config(select=["H301"], extra_placeholders=["待核", "待定"],
                                 rule_options={"H301": {"extra_tokens": ["待定"]}}))
    assert plan.rules[0].rule.config_options == {"extra_tokens": "extra-placeholders"}
    assert plan.rules[0].options["extra_tokens"] == ["待定", "待核"]


def test_per_file_ignores_are_codes_and_turn_rules_off_for_matching_paths(tmp_path):
    config = Config(select=["H", "C699"], per_file_ignores={"drafts/*.txt": ["placeholder", "C6"]},
                    path=str(tmp_path / "ecocheck.yaml"))
    plan = api.build_plan(config)
    assert dict(plan.per_file) == {"drafts/*.txt": frozenset({"H301", "C699"} | {
        r.code for r in plan.registry.rules.values() if r.code.startswith("C6")})}
    rules, unused = plan.for_path(str(tmp_path / "drafts" / "a.txt"))
    assert "H301" not in codes(rules) and unused is None
    rules, unused = plan.for_path(str(tmp_path / "final" / "a.txt"))
    assert "H301" in codes(rules) and unused is not None and unused.rule.code == "C699"


def test_unused_suppressions_are_reported_when_asked_unless_ignored():
    assert api.build_plan(Config()).unused is None
    plan = api.build_plan(Config(report_unused_suppressions=True, select=["H"]))
    assert plan.unused is not None and plan.unused.rule.code == "C699" and "C699" not in codes(plan.rules)
    assert api.build_plan(Config(report_unused_suppressions=True, ignore=["C699"])).unused is None


def test_limits_have_one_home_and_one_set_of_defaults():
    assert api.build_plan(Config()).limits == DEFAULT_LIMITS == Limits()
    plan = api.build_plan(Config(limits={"max_entries": 5, "rule_seconds": 3}))
    assert (plan.limits.max_entries, plan.limits.rule_seconds, plan.limits.max_text_bytes) == \
        (5, 3, DEFAULT_LIMITS.max_text_bytes)


def test_a_run_builds_one_plan_per_distinct_configuration(tmp_path, monkeypatch):
    for folder, config in (("a", "select: [H301]\n"), ("b", "select: [H302]\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "ecocheck.yaml").write_text(config, encoding="utf-8")
        for i in range(3):
            (tmp_path / folder / f"r{i}.txt").write_text(REPORT, encoding="utf-8")
    built = []
    real = batch.build_plan
    monkeypatch.setattr(batch, "build_plan", lambda config: built.append(config) or real(config))
    from ecocheck.config.resolve import Resolver

    result = api.lint_paths([str(tmp_path)], resolver=Resolver())
    assert len(built) == 2 and len(result.files) == 6
    by_folder = {os.path.basename(os.path.dirname(r.path)): {f.code for f in r.findings} for r in result.files}
    assert by_folder == {"a": {"H301"}, "b": set()}


def test_the_exit_status_is_the_librarys(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    r = str(tmp_path / "r.txt")
    assert api.lint_paths([r], Config(select=["H301"])).exit_status() == 1  # warnings, fail-on warning
    assert api.lint_paths([r], Config(select=["H301"], fail_on=Severity.ERROR)).exit_status() == 0
    assert api.lint_paths([r], Config(select=["H301"])).exit_status(exit_zero=True) == 0
    assert api.lint_paths([r], Config(select=["H301"])).exit_status(failed=True) == 2
    both = api.lint_paths([r, str(tmp_path / "empty.txt")], Config(select=["H301"]))
    assert both.unreadable and both.exit_status(exit_zero=True) == 2
