"""CLI tests, in-process with typer's CliRunner."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocheck.cli.app import app

runner = CliRunner()

REPORT = """关于某县水利局政治生态情况的报告
一、基本情况
局机关现有党员**人，其中在职党员XX人。
二、存在问题
（一）理论学习不够深入
三、整改措施
（一）强化理论武装
"""


def test_lint_text_output_and_exit_code(write_text):
    path = write_text(REPORT)
    res = runner.invoke(app, ["lint", path, "--select", "H301", "--no-color"])
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[0] == f"{path}:3:8: H301 占位符“**”未替换 [warning]"
    assert "    | 局机关现有党员**人，其中在职党员XX人。" in lines
    assert "    @ 一、基本情况" in lines
    assert any(line.startswith(f"{path}:3:18: H301 占位符“XX”未替换") for line in lines)
    assert lines[-1] == "检查了 1 个文件：0 个错误，2 个警告，0 个提示。"
    assert "\033[" not in res.output


def test_colour_forced(write_text):
    path = write_text(REPORT)
    res = runner.invoke(app, ["lint", path, "--select", "H301", "--color"])
    assert "\033[" in res.output


def test_clean_file_exit_zero(write_text):
    path = write_text("关于县水利局工作情况的报告\n一、基本情况\n全年完成各项任务。\n")
    res = runner.invoke(app, ["lint", path, "--select", "H"])
    assert res.exit_code == 0, res.output
    assert res.output.strip().endswith("未发现问题。")


def test_fail_on_and_exit_zero(write_text):
    path = write_text(REPORT)
    assert runner.invoke(app, ["lint", path, "--select", "H301", "--fail-on", "error"]).exit_code == 0
    assert runner.invoke(app, ["lint", path, "--select", "H301", "--exit-zero"]).exit_code == 0
    res = runner.invoke(app, ["lint", path, "--fail-on", "bogus"])
    assert res.exit_code == 2


def test_unknown_selector_is_usage_error(write_text):
    res = runner.invoke(app, ["lint", write_text(REPORT), "--select", "Q999"])
    assert res.exit_code == 2
    assert "Q999" in res.output


def test_bad_inputs_do_not_stop_the_run(tmp_path, write_text):
    good = write_text(REPORT)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    before = {p: p.read_bytes() for p in (empty, binary, legacy)}
    res = runner.invoke(app, ["lint", str(empty), str(binary), str(legacy), good, "-f", "json"])
    assert res.exit_code == 2
    data = json.loads(res.output)
    codes = {f["path"]: [x["code"] for x in f["findings"]] for f in data["files"]}
    assert codes[str(empty)] == ["E006"]
    assert codes[str(binary)] == ["E007"]
    assert codes[str(legacy)] == ["E002"]
    assert "H301" in codes[good]
    assert "Traceback" not in res.output
    assert {p: p.read_bytes() for p in before} == before


def test_directory_recursion(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "two.md").write_text("# 报告\n\n## 一、基本情况\n\n现有党员XX人。\n", encoding="utf-8")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    res = runner.invoke(app, ["lint", str(tmp_path), "-f", "json", "--select", "H301"])
    paths = [f["path"] for f in json.loads(res.output)["files"]]
    assert paths == [str(tmp_path / "a" / "one.txt"), str(tmp_path / "two.md")]


def test_rules_lists_every_rule():
    res = runner.invoke(app, ["rules"])
    assert res.exit_code == 0
    assert "H301  placeholder" in res.output
    assert "pack:placeholders" in res.output
    data = json.loads(runner.invoke(app, ["rules", "-f", "json"]).output)
    codes = [r["code"] for r in data]
    assert codes == sorted(codes, key=lambda c: ("ESPHTWCF".index(c[0]), c))
    assert all(r["summary"] and r["severity"] in ("error", "warning", "info") for r in data)


def test_every_rule_explains_itself():
    data = json.loads(runner.invoke(app, ["rules", "-f", "json"]).output)
    for rule in data:
        res = runner.invoke(app, ["explain", rule["code"]])
        assert res.exit_code == 0, rule
        for heading in ("## 检查什么", "## 为什么", "## 反例", "## 正例"):
            assert heading in res.output, (rule["code"], heading)


def test_explain_cites_what_a_user_can_open():
    # Issue 19.3: references name the standard, the regulation or a page shipped in docs/, never the
    # project's internal notes (../shared), and every docs/ page cited exists with the section named.
    root = Path(__file__).resolve().parents[1]
    data = json.loads(runner.invoke(app, ["rules", "-f", "json"]).output)
    cited = 0
    for rule in data:
        out = runner.invoke(app, ["explain", rule["code"]]).output
        assert "../shared" not in out and "domain.md" not in out, rule["code"]
        for page, section in re.findall(r"(docs/[\w/.-]+\.md)(?:「([^」]+)」)?", out):
            cited += 1
            text = (root / page).read_text(encoding="utf-8")
            assert not section or f"## {section}" in text, (rule["code"], page, section)
    assert cited  # the structure and pairing rules point to docs/references.md


def test_explain_by_name_and_unknown():
    assert runner.invoke(app, ["explain", "placeholder"]).output.startswith("H301 placeholder")
    res = runner.invoke(app, ["explain", "Z999"])
    assert res.exit_code == 2
    assert "Z999" in res.output and "Traceback" not in res.output


def test_version():
    from ecocheck import __version__

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == f"ecocheck {__version__}"


def test_outline_text_and_json(write_text):
    path = write_text("同志们：\n下面，我讲两点意见。\n一、提高认识\n一是要学。二是要做。\n二、狠抓落实\n")
    res = runner.invoke(app, ["outline", path])
    assert res.exit_code == 0
    assert "文种：speech（讲话稿）" in res.output
    data = json.loads(runner.invoke(app, ["outline", path, "--format", "json"]).output)
    assert data["genre"] == "speech" and data["title"] is None
    first = data["sections"][0]
    assert {k: first[k] for k in ("label", "heading", "level", "kind", "line")} == \
        {"label": "一、", "heading": "提高认识", "level": 1, "kind": "heading", "line": 3}
    assert [c["label"] for c in first["children"]] == ["一是", "二是"]
    assert first["children"][0]["kind"] == "item"


@pytest.mark.parametrize("genre", ["report", "speech", "self-review"])
def test_genre_override(write_text, genre):
    path = write_text(REPORT)
    data = json.loads(runner.invoke(app, ["outline", path, "--format", "json", "--genre", genre]).output)
    assert data["genre"] == genre


def test_command_annotations_are_objects_not_strings():
    # typer reads every command's annotations on each start; string annotations (from
    # ``from __future__ import annotations``) would make it eval them all, ~4 ms a run
    import inspect

    from ecocheck.cli import app as app_module

    commands = [info.callback for info in app_module.app.registered_commands]
    assert commands
    for command in commands:
        for name, annotation in inspect.get_annotations(command).items():
            assert not isinstance(annotation, str), (command.__name__, name)
