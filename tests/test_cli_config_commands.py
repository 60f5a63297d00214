"""`rules`, `explain` and `outline` honour the configuration like `lint` does."""

import json
import textwrap

from typer.testing import CliRunner

from ecocheck.cli.app import app

PACK = textwrap.dedent("""\
    pack: house
    rules:
      - code: W951
        name: old-bureau-name
        extends: substitution
        summary: 使用了单位旧称
        message: "“{text}”应改为“{replacement}”"
        swap: {市环保局: 市生态环境局}
        doc: {what: 旧称, why: 机构改革后已更名, bad: 市环保局, good: 市生态环境局}
    """)


def _project(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "house.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "ecocheck.yaml").write_text(
        "extra-rule-packs: [packs]\nsections:\n  measures: [改进路径]\n", encoding="utf-8")
    return tmp_path


def test_rules_and_explain_list_config_packs(tmp_path, monkeypatch):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    out = runner.invoke(app, ["rules"]).output
    assert "W951  old-bureau-name" in out
    assert runner.invoke(app, ["explain", "W951"]).output.startswith("W951 old-bureau-name")
    # --isolated ignores the config file
    assert "W951" not in runner.invoke(app, ["rules", "--isolated"]).output
    assert runner.invoke(app, ["explain", "W951", "--isolated"]).exit_code == 2


def test_outline_uses_config_sections(tmp_path):
    _project(tmp_path)
    draft = tmp_path / "r.txt"
    draft.write_text("某局报告\n一、存在问题\n（一）学习不够\n二、改进路径\n（一）强化学习\n", encoding="utf-8")
    data = json.loads(CliRunner().invoke(app, ["outline", str(draft), "-f", "json"]).output)
    assert [s["role"] for s in data["sections"]] == ["problems", "measures"]


def test_broken_config_is_exit_2_for_rules(tmp_path, monkeypatch):
    (tmp_path / "ecocheck.yaml").write_text("selct: [H]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["rules"])
    assert res.exit_code == 2
    assert "ecocheck.yaml:1" in res.output and "selct" in res.output
