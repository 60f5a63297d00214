from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app


def test_plugin_rules_are_registered():
    reg = api.registry()
    assert reg.get("W901").source == "ecocheck-example"
    assert reg.get("W902").source.startswith("ecocheck-example")
    out = CliRunner().invoke(app, ["rules"]).output
    assert "W901  overused-qinzi" in out and "W902  outdated-honour-slogan" in out


def test_overused_qinzi(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("同志们：\n书记亲自部署、亲自推动、亲自督办。\n", encoding="utf-8")
    res = api.lint_file(str(path), api.Config(select=["W901"]))
    assert [(f.code, f.line, f.column, f.text) for f in res.findings] == [("W901", 2, 13, "亲自")]


def test_xinhua_pack_with_fix(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("报告\n引导党员干部践行八荣八耻。\n", encoding="utf-8")
    (f,) = api.lint_file(str(path), api.Config(select=["W902"])).findings
    assert f.text == "践行八荣八耻" and f.fix.replacement == "践行社会主义荣辱观"


def test_explain_plugin_rule():
    out = CliRunner().invoke(app, ["explain", "W901"]).output
    assert "## 选项" in out and "max_per_document" in out


def test_plugin_section_synonym(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("某局报告\n一、存在问题\n（一）学习不够\n二、改进提升路径\n（一）强化学习\n", encoding="utf-8")
    outline = api.outline_file(str(path))
    assert [n.role for n in outline.sections] == ["problems", "measures"]
