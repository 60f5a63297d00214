"""Suppression comments in .txt/.md and Word comments in .docx; C699 unused-suppression."""

import json

import pytest
from typer.testing import CliRunner

from ecocheck.cli.app import app
from ecocheck.run.suppress import parse_line, parse_selectors

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def findings(path, *extra):
    res = runner.invoke(app, ["lint", str(path), "-f", "json", "--no-cache", "--select", "H301", *extra])
    assert res.exit_code in (0, 1), res.output
    return [(f["line"], f["code"], f["text"]) for f in json.loads(res.stdout)["files"][0]["findings"]]


def write(tmp_path, text, name="r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_parse_directives():
    assert parse_line("<!-- ecocheck-disable H301, T1 placeholder -->", "md") == \
        ("disable", ["H301", "T1", "placeholder"])
    assert parse_line("  <!--ecocheck-enable-->", "txt") == ("enable", [])
    assert parse_line("<!-- ecocheck-disable-next-line H -- 模板原文 -->", "md") == ("disable-next-line", ["H"])
    assert parse_line("ecocheck-disable H301", "txt") == ("disable", ["H301"])
    assert parse_line("ecocheck-disable H301", "md") is None  # the bare form is for .txt only
    assert parse_line("正文提到 ecocheck-disable H301 这个写法", "txt") is None
    assert parse_line("<!-- ecocheck-disabled H301 -->", "md") is None
    assert parse_selectors("H301，H302 模板示例 H303") == ["H301", "H302"]


def test_disable_enable_region(tmp_path):
    p = write(tmp_path, "报告标题\n一、基本情况\n<!-- ecocheck-disable H301 -->\n现有党员**人。\n在职党员XX人。\n"
                        "<!-- ecocheck-enable H301 -->\n退休党员**人。\n")
    assert findings(p) == [(7, "H301", "**")]


def test_disable_without_codes_and_without_enable(tmp_path):
    p = write(tmp_path, "报告标题\n现有党员**人。\n<!-- ecocheck-disable -->\n在职党员XX人。\n退休党员**人。\n")
    assert findings(p) == [(2, "H301", "**")]


def test_enable_one_code_inside_disable_all(tmp_path):
    p = write(tmp_path, "报告标题\n<!-- ecocheck-disable -->\n现有党员**人。\n<!-- ecocheck-enable H301 -->\n"
                        "在职党员XX人。\n")
    assert findings(p) == [(5, "H301", "XX")]


def test_next_line_skips_blank_lines_and_only_covers_one(tmp_path):
    p = write(tmp_path, "报告标题\n<!-- ecocheck-disable-next-line placeholder -->\n\n现有党员**人。\n在职党员XX人。\n")
    assert findings(p) == [(5, "H301", "XX")]


def test_prefix_and_other_codes(tmp_path):
    p = write(tmp_path, "报告标题\n<!-- ecocheck-disable-next-line H3 -->\n现有党员**人。\n"
                        "<!-- ecocheck-disable-next-line T -->\n在职党员XX人。\n")
    assert findings(p) == [(5, "H301", "XX")]


def test_bare_txt_form(tmp_path):
    p = write(tmp_path, "报告标题\necocheck-disable H301\n现有党员**人。\necocheck-enable\n在职党员XX人。\n")
    assert findings(p) == [(5, "H301", "XX")]


def test_markdown_directives_and_code_blocks(tmp_path):
    p = write(tmp_path, "# 报告\n\n<!-- ecocheck-disable-next-line H301 -->\n现有党员XX人。\n\n```\n"
                        "<!-- ecocheck-disable H301 -->\n```\n\n在职党员XX人。\n", "r.md")
    assert findings(p) == [(10, "H301", "XX")]


def test_directive_lines_produce_no_findings_and_stay_out_of_the_outline(tmp_path):
    # the directive is the first line: it must not become the title, and "X" / "*" / "--" inside it
    # must not be flagged by any rule
    p = write(tmp_path, "<!-- ecocheck-disable-next-line H301, X -- 模板中的 ** 与 XX -->\n关于某局工作情况的报告\n"
                        "一、基本情况\n现有党员**人。\n")
    res = runner.invoke(app, ["lint", str(p), "-f", "json", "--no-cache"])
    assert all(f["line"] != 1 for f in json.loads(res.stdout)["files"][0]["findings"])
    out = json.loads(runner.invoke(app, ["outline", str(p), "-f", "json"]).stdout)
    assert out["title"] == "关于某局工作情况的报告"


def test_unused_suppressions_are_reported_when_enabled(tmp_path):
    p = write(tmp_path, "报告标题\n<!-- ecocheck-disable-next-line H301 -->\n全年完成任务。\n"
                        "<!-- ecocheck-disable-next-line H301 -->\n现有党员**人。\n"
                        "<!-- ecocheck-disable-next-line H301 Q123 -->\n在职党员XX人。\n"
                        "<!-- ecocheck-disable -->\n")
    assert findings(p) == []  # C699 is off by default
    got = findings(p, "--extend-select", "C699")
    assert got == [(2, "C699", "<!-- ecocheck-disable-next-line H301 -->"),
                   (6, "C699", "<!-- ecocheck-disable-next-line H301 Q123 -->"),
                   (8, "C699", "<!-- ecocheck-disable -->")]
    res = runner.invoke(app, ["lint", str(p), "-f", "json", "--no-cache", "--select", "H301,C699"])
    messages = [f["message"] for f in json.loads(res.stdout)["files"][0]["findings"]]
    assert "H301 没有可抑制的问题" in messages[0]
    assert "Q123 不是已知的规则" in messages[1]
    assert json.loads(res.stdout)["files"][0]["findings"][0]["severity"] == "info"


def test_report_unused_suppressions_config_key(tmp_path):
    write(tmp_path, "report-unused-suppressions: true\n", "ecocheck.yaml")
    p = write(tmp_path, "报告标题\n<!-- ecocheck-disable-next-line H301 -->\n全年完成任务。\n")
    assert findings(p) == [(2, "C699", "<!-- ecocheck-disable-next-line H301 -->")]
    assert findings(p, "--ignore", "C699") == []


def test_unused_rule_is_documented():
    res = runner.invoke(app, ["explain", "C699"])
    assert res.exit_code == 0 and res.stdout.startswith("C699 unused-suppression")


def test_docx_comment_suppresses_its_range(tmp_path):
    from make_docx import build_docx

    path = tmp_path / "c.docx"
    build_docx(["关于某局工作情况的报告", "一、基本情况",
                {"text": "现有党员**人，其中XX人。",
                 "comment": {"author": "审核", "text": "ecocheck-disable H301 模板示例", "anchor": "**人"}},
                {"text": "在职党员**人。", "comment": {"author": "审核", "text": "ecocheck-disable"}},
                {"text": "退休党员XX人。", "comment": {"author": "审核", "text": "请核实数字"}},
                {"text": "全年完成任务。", "comment": {"author": "审核", "text": "ecocheck-disable T"}}], str(path))
    got = findings(path, "--extend-select", "C699")
    assert got == [(3, "H301", "XX"), (5, "H301", "XX"), (6, "C699", "全年完成任务。")]
