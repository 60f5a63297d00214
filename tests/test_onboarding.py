"""What a new user trips over (issue 19): fixable marks, --statistics, --show-fixes, the GitHub job summary."""

import json

import pytest
from typer.testing import CliRunner

from ecocheck.cli.app import app

runner = CliRunner()

# W501 (选拨 → 选拔) and T403 (half-width "!" → "！") have safe fixes; H301 (**) has none.
DRAFT = "关于某局干部工作情况的报告\n一、基本情况\n今年选拨干部3名，现有党员**人!\n"


@pytest.fixture
def draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def lint(*args):
    return runner.invoke(app, ["lint", "draft.txt", "--no-cache", "--select", "W501,T403,H301", *args])


def test_fixable_findings_are_marked_and_counted(draft):
    out = lint("--no-color").stdout
    assert "W501 [*] 错别字" in out and "T403 [*] 半角标点" in out
    assert "H301 占位符" in out and "H301 [*]" not in out
    assert out.splitlines()[-1].endswith("其中 2 个（标 [*]）可用 --fix 自动修复。")
    concise = lint("-f", "concise").stdout.splitlines()
    assert [line.split(": ", 1)[1].split(" ")[:2] for line in concise[:-1]] == [
        ["W501", "[*]"], ["H301", "占位符“**”未替换"], ["T403", "[*]"]]
    assert concise[-1].startswith("检查了 1 个文件")


def test_statistics_prints_only_the_table_and_works_with_json(draft):
    for fmt in ("text", "concise"):
        lines = lint("--statistics", "-f", fmt).stdout.splitlines()
        assert lines == ["     1  H301  placeholder", "     1  T403  [*] halfwidth-punctuation",
                         "     1  W501  [*] typo"], fmt
    table = json.loads(lint("--statistics", "-f", "json").stdout)
    assert table == [{"code": "H301", "name": "placeholder", "count": 1, "fixable": 0},
                     {"code": "T403", "name": "halfwidth-punctuation", "count": 1, "fixable": 1},
                     {"code": "W501", "name": "typo", "count": 1, "fixable": 1}]


def test_show_fixes_lists_what_fix_changed(draft):
    res = lint("--fix", "--show-fixes")
    assert "已修复：" in res.stderr
    assert "    1 × T403 (halfwidth-punctuation)" in res.stderr and "    1 × W501 (typo)" in res.stderr
    assert draft.read_text(encoding="utf-8") == DRAFT.replace("选拨", "选拔").replace("!", "！")
    assert res.exit_code == 1  # the ** is left
    assert "已修复：" not in lint("--fix").stderr  # the listing only when asked


def test_github_writes_a_job_summary(draft, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    res = lint("-f", "github")
    assert res.exit_code == 1 and res.stdout.count("::warning") == 3
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## ecocheck\n")  # appended, as GitHub expects
    rows = [line for line in text.splitlines() if line.startswith("| draft.txt")]
    assert len(rows) == 3 and "| 3:3 | W501 | warning |" in rows[0]


def test_github_summary_escapes_table_cells():
    from ecocheck.reporters.github import _md_cell

    assert _md_cell("a|b\nc") == "a\\|b c"


def test_p202_speaks_without_a_score_and_outline_marks_the_weak_pair():
    # Issue 19.10: a similarity score means nothing to a writer; the outline shows which pair is weak.
    from pathlib import Path

    path = str(Path(__file__).resolve().parents[1] / "fixtures" / "structure" / "pairing_unrelated_measure.txt")
    res = runner.invoke(app, ["lint", path, "--no-cache", "--select", "P202", "-f", "json"])
    [finding] = json.loads(res.stdout)["files"][0]["findings"]
    assert "（四）窗口服务作风仍需改进" in finding["message"] and "相似度" not in finding["message"]
    assert not any(ch.isdigit() for ch in finding["message"].split("”", 1)[1])
    text = runner.invoke(app, ["outline", path]).stdout
    weak = [line for line in text.splitlines() if "弱配对" in line]
    assert len(weak) == 2 and all("（四）" in line for line in weak)
    data = json.loads(runner.invoke(app, ["outline", path, "-f", "json"]).stdout)
    nodes = [n for s in data["sections"] for n in s["children"]]
    assert [n["heading"] for n in nodes if n.get("pair_weak")] == ["窗口服务作风仍需改进", "加强机关文化建设"]


def test_docx_table_cells_are_located_as_word_shows_them(tmp_path):
    # Issue 19.8: a finding in a table cell names the table, row and column (1-based, as Word counts), in the
    # text report and in JSON; a finding in body text carries no cell.
    make_docx = pytest.importorskip("make_docx")
    path = tmp_path / "draft.docx"
    make_docx.build_docx([
        "关于某局整改落实情况的报告",
        "一、整改落实情况",
        "现有党员**人。",
        {"table": [["问题", "整改措施"], ["理论学习不够深入", "完善学习制度"], ["工作作风不够扎实", "开展**次专项检查"]]},
    ], str(path))
    data = json.loads(runner.invoke(app, ["lint", str(path), "--no-cache", "--select", "H301", "-f", "json"]).stdout)
    found = data["files"][0]["findings"]
    assert [f.get("cell") for f in found] == [None, {"table": 1, "row": 3, "column": 2}]
    text = runner.invoke(app, ["lint", str(path), "--no-cache", "--select", "H301", "--no-color"]).stdout
    assert "› 表格 1 第 3 行第 2 列" in text and text.count("表格 1") == 1


@pytest.mark.parametrize("text, message", [
    ("扎实开展“六个一“系列活动。", "引号不配对：此处应为右双引号，而不是又一个左双引号"),
    ("认真落实三会一课”制度。", "右双引号没有对应的左双引号"),
    ("认真学习《条例，推动落实。", "左书名号缺少对应的右书名号"),
    ("围绕“科学谋划“十五五”交通发展”开展调研。", "引号嵌套：内层引号应使用单引号"),
])
def test_t401_names_the_marks_instead_of_quoting_them(tmp_path, text, message):
    # Issue 19.10: “此处的““”应为后引号“””” quoted quotation marks; the marks are named instead.
    path = tmp_path / "draft.txt"
    path.write_text(text + "\n", encoding="utf-8")
    data = json.loads(runner.invoke(app, ["lint", str(path), "--no-cache", "--select", "T401", "-f", "json"]).stdout)
    [finding] = data["files"][0]["findings"]
    assert finding["message"] == message
    assert not set(finding["message"] + finding["suggestion"]) & set("“”‘’《》")


ENGLISH_FRAME = ("Usage:", "Options", "Arguments", "Show this message", "[default:", "Error:", "Try '", "<str>")


@pytest.mark.parametrize("command", [[], ["lint"], ["outline"], ["rules"], ["explain"], ["config"], ["serve"]])
def test_help_is_in_one_language_with_meaningful_metavars(command):
    # Issue 19.9: click's English frame (Usage, Options, Show this message and exit, <str>) beside Chinese help.
    res = runner.invoke(app, [*command, "-h"])
    assert res.exit_code == 0
    assert res.stdout.startswith("用法：") and "显示本帮助并退出" in res.stdout
    assert not [s for s in ENGLISH_FRAME if s in res.stdout], res.stdout


def test_lint_help_lists_the_formats():
    out = runner.invoke(app, ["lint", "-h"]).stdout
    assert "-f, --format text|concise|json|sarif|github|gitlab|junit" in out
    assert "--fail-on error|warning|info" in out and "-o, --output FILE" in out


@pytest.mark.parametrize("args, message", [
    (["lint", "--bogus"], "没有选项 --bogus"),
    (["lint", "-j", "abc", "x.txt"], "--jobs / -j 的值无效：“abc”不是整数"),
    (["explain"], "缺少参数 code"),
    (["explain", "Z999"], "没有规则 'Z999'"),
    (["rules", "-f", "xml"], "rules 只支持 text 和 json 格式"),
    (["lint", "-f", "xml", "x.txt"], "未知的输出格式 'xml'"),
    (["outline", "a.txt", "b.txt"], "多余的参数：b.txt"),
    (["nosuch"], "没有命令 nosuch"),
])
def test_usage_errors_are_one_coded_line(args, message):
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ecocheck: E202 ") and message in lines[0], res.stderr
    assert not [s for s in ENGLISH_FRAME if s in res.stderr]


def test_annotate_output_is_checked_before_any_work(tmp_path, monkeypatch):
    # Issue 19.9: with two inputs --annotate-output must be a folder; say so before linting both.
    monkeypatch.chdir(tmp_path)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("关于某局工作情况的报告\n现有党员**人。\n", encoding="utf-8")
    res = runner.invoke(app, ["lint", "a.txt", "b.txt", "--no-cache", "--annotate-output", "out.docx"])
    assert res.exit_code == 2 and res.stdout == ""  # nothing was linted or printed
    assert res.stderr.startswith("ecocheck: E202 ") and "--annotate-output" in res.stderr


def test_e202_explains_itself():
    out = runner.invoke(app, ["explain", "E202"]).stdout
    assert out.startswith("E202 usage-error") and "## 反例" in out
