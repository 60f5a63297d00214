from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.testing import check_case, load_cases, missing_cases

CASES = load_cases(Path(__file__).parent / "rule_cases")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_case(case, tmp_path):
    check_case(case, tmp_path)


def test_every_rule_has_cases():
    assert missing_cases(CASES, plugin="ecocheck-example") == []


def test_plugin_rules_are_registered():
    reg = api.registry()
    assert reg.get("W901").source == "ecocheck-example"
    assert reg.get("W902").source.startswith("ecocheck-example")
    out = CliRunner().invoke(app, ["rules"]).output
    assert "W901  overused-qinzi" in out and "W902  outdated-honour-slogan" in out


def test_installing_the_example_changes_no_findings(tmp_path):
    """Both rules are opt-in: not run by default nor by the W family; by code, name or ALL (every rule)."""
    path = tmp_path / "s.txt"
    path.write_text("书记亲自部署、亲自推动、亲自督办。\n引导党员干部践行八荣八耻。\n", encoding="utf-8")

    def example_findings(config):
        return [f.code for f in api.lint_file(str(path), config).findings if f.code.startswith("W9")]

    assert example_findings(api.Config()) == []
    assert example_findings(api.Config(select=["W"])) == []
    assert example_findings(api.Config(extend_select=["W901", "outdated-honour-slogan"])) == ["W901", "W902"]
    assert example_findings(api.Config(select=["ALL"])) == ["W901", "W902"]


def test_explain_plugin_rule():
    out = CliRunner().invoke(app, ["explain", "W901"]).output
    assert "## 选项" in out and "max_per_document" in out


REPORT = "某局2024年度政治生态分析研判报告\n一、基本情况\n现有党员42人。\n二、存在问题\n（一）学习不够\n三、整改措施\n（一）强化学习\n"


def test_plugin_genre_is_built_on_the_shipped_report_and_used_only_when_named(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert [f.code for f in api.lint_file(str(path), api.Config(select=["S101"])).findings] == []
    found = api.lint_file(str(path), api.Config(select=["S101"], genre="unit-report")).findings
    assert [f.code for f in found] == ["S101"] and "原因" in found[0].message
