"""``ecocheck lint -`` reads the document from standard input (issue 19.10), with ``--stdin-filename``
as ruff: the name decides the format, the configuration and the path printed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from make_docx import build_docx
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.inputs import Source

runner = CliRunner()

DRAFT = "关于某局工作情况的报告\n一、基本情况\n现有党员**人,其中在职党员XX人。\n"
FIXED = DRAFT.replace(",", "，")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)




def report(res):
    return json.loads(res.stdout)


def test_dash_reads_stdin_and_prints_dash_as_the_path():
    res = runner.invoke(app, ["lint", "-", "--select", "H301", "-f", "concise"], input=DRAFT.encode())
    assert res.exit_code == 1, res.output
    assert res.stdout.splitlines() == ["-:3:5: H301 占位符“**”未替换", "-:3:15: H301 占位符“XX”未替换",
                                       "检查了 1 个文件：0 个错误，2 个警告，0 个提示。"]
    data = report(runner.invoke(app, ["lint", "-", "--select", "H301", "-f", "json"], input=DRAFT.encode()))
    assert data["files"][0]["path"] == "-" and len(data["files"][0]["findings"]) == 2


def test_stdin_filename_names_the_findings_and_implies_stdin():
    for args in (["lint", "-", "--stdin-filename", "docs/草稿.txt"], ["lint", "--stdin-filename", "docs/草稿.txt"]):
        res = runner.invoke(app, [*args, "--select", "H301", "-f", "concise", "-q"], input=DRAFT.encode())
        assert res.exit_code == 1, res.output
        assert [line.split(":")[0] for line in res.stdout.splitlines()] == ["docs/草稿.txt"] * 2
    # an absolute name inside the current directory prints as every other path does
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", os.path.abspath("docs/草稿.txt"), "--select", "H301",
                              "-f", "json"], input=DRAFT.encode())
    assert report(res)["files"][0]["path"] == "docs/草稿.txt"


def test_the_name_decides_the_format(tmp_path):
    docx = build_docx(DRAFT.splitlines(), tmp_path / "r.docx")
    direct = report(runner.invoke(app, ["lint", str(docx), "--select", "H301,T403", "--no-cache", "-f", "json"]))
    piped = runner.invoke(app, ["lint", "-", "--stdin-filename", "r.docx", "--select", "H301,T403", "-f", "json"],
                          input=docx.read_bytes())
    assert piped.exit_code == 1, piped.output
    assert report(piped)["files"][0]["findings"] == direct["files"][0]["findings"]
    assert len(direct["files"][0]["findings"]) == 3
    # without a name the input is text: a .docx package is not
    res = runner.invoke(app, ["lint", "-", "-f", "concise"], input=docx.read_bytes())
    assert res.exit_code == 2 and res.stdout.startswith("-:1:1: E0")
    # Markdown: the heading markup is counted in the column
    md = "# 关于某局工作情况的报告\n\n## 一、基本情况\n\n现有党员**人。\n"
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", "a.md", "--select", "H301", "-f", "json"],
                        input=md.encode())
    assert [(f["line"], f["column"]) for f in report(res)["files"][0]["findings"]] == [(5, 5)]
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", "a.pdf", "-f", "concise"], input=b"%PDF-1.4")
    assert res.exit_code == 2 and res.stdout.startswith("a.pdf:1:1: E0") and ".pdf" in res.stdout


def test_the_configuration_of_the_name_applies(tmp_path):
    sub = tmp_path / "reports"
    sub.mkdir()
    (sub / "ecocheck.yaml").write_text('select: [H301]\nper-file-ignores:\n  "templates/**": [H301]\n'
                                       'genre:\n  "speeches/*": speech\nexclude: ["drafts/"]\n', encoding="utf-8")
    piped = lambda name, *extra: runner.invoke(app, ["lint", "-", "--stdin-filename", name, "-f", "json", *extra],
                                               input=DRAFT.encode())
    found = report(piped("reports/a.txt"))["files"][0]
    assert {f["code"] for f in found["findings"]} == {"H301"}  # select of reports/ecocheck.yaml (no T403)
    assert {f["code"] for f in report(piped("a.txt"))["files"][0]["findings"]} >= {"H301", "T403"}  # defaults
    res = piped("reports/templates/t.txt")
    assert res.exit_code == 0 and report(res)["files"][0]["findings"] == []  # per-file-ignores
    assert report(piped("reports/speeches/s.txt"))["files"][0]["genre"] == "speech"  # genre by glob
    assert report(piped("reports/a.txt"))["files"][0]["genre"] != "speech"
    # exclude: only with --force-exclude (as ruff); then nothing is linted and nothing is wrong
    assert report(piped("reports/drafts/d.txt"))["files"][0]["path"] == "reports/drafts/d.txt"
    res = piped("reports/drafts/d.txt", "--force-exclude")
    assert res.exit_code == 0, res.output
    assert report(res)["files"] == []


def test_stdin_is_bounded_by_the_limits(tmp_path):
    (tmp_path / "ecocheck.yaml").write_text("limits:\n  max-text-bytes: 1000\n", encoding="utf-8")
    res = runner.invoke(app, ["lint", "-", "-f", "concise", "-q"], input=("正文。" * 400).encode())
    assert res.exit_code == 2
    assert res.stdout.splitlines() == [res.stdout.strip()] and res.stdout.startswith("-:1:1: E009 ")
    # the same one-line error a file over the limit gets
    (tmp_path / "big.txt").write_text("正文。" * 400, encoding="utf-8")
    direct = runner.invoke(app, ["lint", "big.txt", "-f", "concise", "-q", "--no-cache"])
    assert direct.exit_code == 2 and direct.stdout.startswith("big.txt:1:1: E009 文件过大")
    assert "上限 1000 字节" in direct.stdout and "上限 1000 字节" in res.stdout


def test_stdin_beside_other_paths_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text(DRAFT, encoding="utf-8")
    for args in (["-", "a.txt"], ["a.txt", "-"], ["--stdin-filename", "x.txt", "a.txt"],
                 ["-", "--annotate"], ["-", "--stdin-filename", ""]):
        res = runner.invoke(app, ["lint", *args], input=DRAFT.encode())
        assert res.exit_code == 2, (args, res.output)
        assert res.stdout == "" and res.stderr.count("\n") == 1 and res.stderr.startswith("ecocheck: E202 "), args


def test_fix_writes_the_fixed_text_to_stdout_and_the_findings_to_stderr(tmp_path):
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", "a.txt", "--fix", "--select", "H301,T403",
                              "-f", "concise"], input=DRAFT.encode())
    assert res.exit_code == 1, res.output
    assert res.stdout == FIXED
    assert "a.txt:3:5: H301" in res.stderr and "T403" not in res.stderr and "已自动修复 1 处" in res.stderr
    assert not (tmp_path / "a.txt").exists()  # nothing written but stdout
    # nothing to fix: the input comes back unchanged (an editor replaces its buffer with stdout)
    res = runner.invoke(app, ["lint", "-", "--fix", "--select", "H301"], input=FIXED.encode())
    assert res.stdout == FIXED and res.exit_code == 1
    # a name --force-exclude leaves out: the input unchanged, no findings
    (tmp_path / "ecocheck.yaml").write_text('exclude: ["drafts/"]\n', encoding="utf-8")
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", "drafts/a.txt", "--force-exclude", "--fix"],
                        input=DRAFT.encode())
    assert res.exit_code == 0 and res.stdout == DRAFT and "H301" not in res.stderr


def test_fix_of_a_docx_on_stdin_gives_the_fixed_package(tmp_path):
    docx = build_docx(DRAFT.splitlines(), tmp_path / "r.docx")
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", "r.docx", "--fix", "--select", "T403", "-q"],
                        input=docx.read_bytes())
    assert res.exit_code == 0, res.output
    (tmp_path / "fixed.docx").write_bytes(res.stdout_bytes)
    again = runner.invoke(app, ["lint", "fixed.docx", "--select", "T403", "--no-cache", "-f", "json"])
    assert again.exit_code == 0 and report(again)["files"][0]["findings"] == []


def test_diff_of_stdin_prints_the_diff(tmp_path):
    res = runner.invoke(app, ["lint", "-", "--diff", "--select", "T403"], input=DRAFT.encode())
    assert res.exit_code == 1
    assert "-现有党员**人,其中在职党员XX人。" in res.stdout and "+现有党员**人，其中在职党员XX人。" in res.stdout


def test_annotate_stdin_needs_and_writes_annotate_output(tmp_path):
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", "a.txt", "--annotate-output", "out.docx",
                              "--select", "H301", "-q"], input=DRAFT.encode())
    assert res.exit_code == 1, res.output
    assert (tmp_path / "out.docx").read_bytes()[:2] == b"PK"
    res = runner.invoke(app, ["lint", "-", "--annotate-output", str(tmp_path), "--select", "H301", "-q"],
                        input=DRAFT.encode())
    assert (tmp_path / "stdin.ecocheck.docx").is_file(), res.output


def test_stdin_is_never_cached(tmp_path):
    (tmp_path / ".git").mkdir()  # a repository root: the result cache would be its .ecocheck_cache/
    for _ in range(2):
        res = runner.invoke(app, ["lint", "-", "--stdin-filename", "a.txt", "--select", "H301"],
                            input=DRAFT.encode())
        assert res.exit_code == 1
    assert not (tmp_path / ".ecocheck_cache").exists()
    (tmp_path / "a.txt").write_text(DRAFT, encoding="utf-8")  # the same document as a file is cached
    assert runner.invoke(app, ["lint", "a.txt", "--select", "H301"]).exit_code == 1
    assert (tmp_path / ".ecocheck_cache").is_dir()


def test_a_configured_baseline_applies_to_stdin(tmp_path):
    (tmp_path / "a.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "ecocheck.yaml").write_text("select: [H301]\nbaseline: b.json\n", encoding="utf-8")
    assert runner.invoke(app, ["lint", "a.txt", "--no-cache", "--update-baseline"]).exit_code == 0
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", "a.txt"], input=DRAFT.encode())
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", "a.txt", "--no-baseline"], input=DRAFT.encode())
    assert res.exit_code == 1, res.output


def test_a_baseline_accepts_stdin_findings_by_name(tmp_path):
    (tmp_path / "a.txt").write_text(DRAFT, encoding="utf-8")
    assert runner.invoke(app, ["lint", "a.txt", "--select", "H301", "--no-cache",
                               "--write-baseline", "b.json"]).exit_code == 0
    res = runner.invoke(app, ["lint", "-", "--stdin-filename", "a.txt", "--select", "H301", "--baseline", "b.json"],
                        input=DRAFT.encode())
    assert res.exit_code == 0, res.output


def test_library_lints_a_document_from_bytes(tmp_path):
    result = api.lint_source(Source(data=DRAFT.encode(), name="x.txt"), api.Config(select=["H301"]))
    assert [(f.path, f.line, f.column) for f in result.findings] == [("x.txt", 3, 5), ("x.txt", 3, 15)]
    assert result.exit_status() == 1
    docx = build_docx(DRAFT.splitlines(), tmp_path / "r.docx")
    result = api.lint_source(Source(data=docx.read_bytes(), name="r.docx"), api.Config(select=["H301"]))
    assert len(result.findings) == 2 and result.files[0].path == "r.docx"
    unnamed = api.lint_source(Source(data=DRAFT.encode()), api.Config(select=["H301"]))
    assert {f.path for f in unnamed.findings} == {"-"}


def test_a_real_pipe(tmp_path):
    """Standard input of a real process: the bytes read as they come, the exit status as for a file."""
    exe = Path(sys.executable).with_name("ecocheck")
    proc = subprocess.run([str(exe), "lint", "-", "--select", "H301", "--isolated", "-f", "concise", "-q"],
                          input=DRAFT.encode(), capture_output=True, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.decode().splitlines() == ["-:3:5: H301 占位符“**”未替换", "-:3:15: H301 占位符“XX”未替换"]
