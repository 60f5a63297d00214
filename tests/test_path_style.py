"""One path style in every output format (issue 19.10): relative to the current directory when the file
lies inside it, else absolute; forward slashes; the same whatever spelling named the input."""

import json
import os
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from ecocheck.cli.app import app
from ecocheck.reporters import FORMATS
from ecocheck.reporters._common import file_path

runner = CliRunner()

DIRTY = "关于某局工作情况的报告\n一、基本情况\n现有党员**人，其中在职党员XX人。\n"
NAME = "docs/sub/报告.txt"


@pytest.fixture(autouse=True)
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / NAME).write_text(DIRTY, encoding="utf-8")
    return tmp_path


def lint(target, fmt, *extra):
    res = runner.invoke(app, ["lint", target, "--select", "H301", "--no-cache", "-f", fmt, *extra])
    assert res.exit_code == 1, res.output
    return res.stdout


def locations(fmt, out):
    """The file names a report gives, read the way its consumers read them."""
    if fmt in ("text", "concise"):
        return {line.split(":", 1)[0] for line in out.splitlines() if ": H301" in line}
    if fmt == "json":
        return {f["path"] for f in json.loads(out)["files"]}
    if fmt == "gitlab":
        return {i["location"]["path"] for i in json.loads(out)}
    if fmt == "github":
        return {unquote(line.split("file=", 1)[1].split(",", 1)[0]) for line in out.splitlines()}
    if fmt == "junit":
        root = ET.fromstring(out.encode("utf-8"))
        return {c.get("file") for c in root.iter("testcase")} | {s.get("name") for s in root.iter("testsuite")}
    if fmt == "sarif":
        return {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                for r in json.loads(out)["runs"][0]["results"]}
    raise AssertionError(fmt)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_spelling_of_the_same_tree_prints_the_same_report(tree, fmt):
    given = [lint(spelling, fmt) for spelling in ("docs", "./docs", "docs/", str(tree / "docs"),
                                                   os.path.join("docs", "..", "docs"))]
    assert all(out == given[0] for out in given[1:])
    assert locations(fmt, given[0]) == {NAME}
    # a file named directly: the same name again
    assert locations(fmt, lint("./" + NAME, fmt)) == {NAME}


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"sarif"}))
def test_a_file_outside_the_current_directory_is_printed_absolute(tree, monkeypatch, fmt):
    (tree / "elsewhere").mkdir()
    monkeypatch.chdir(tree / "elsewhere")
    expected = (tree / NAME).as_posix()
    assert locations(fmt, lint("../docs", fmt)) == {expected}
    assert locations(fmt, lint(str(tree / "docs"), fmt)) == {expected}


def test_sarif_uris_are_relative_to_srcroot_inside_and_absolute_file_uris_outside(tree, monkeypatch):
    inside = json.loads(lint("./docs", "sarif"))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert inside["artifactLocation"] == {"uri": "docs/sub/%E6%8A%A5%E5%91%8A.txt", "uriBaseId": "%SRCROOT%"}
    (tree / "elsewhere").mkdir()
    monkeypatch.chdir(tree / "elsewhere")
    out = json.loads(lint("../docs", "sarif"))["runs"][0]["results"][0]
    artifact = out["locations"][0]["physicalLocation"]["artifactLocation"]
    # SARIF 3.4.4: an absolute URI has no uriBaseId
    assert set(artifact) == {"uri"}
    assert artifact["uri"] == (tree / NAME).as_uri()


def test_github_names_files_relative_to_the_workspace(tree, monkeypatch):
    """GitHub places an annotation by a path relative to the repository root, wherever the step runs."""
    monkeypatch.chdir(tree / "docs")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tree))
    assert locations("github", lint("sub", "github")) == {NAME}
    assert locations("text", lint("sub", "text")) == {"sub/报告.txt"}  # the others: the current directory


def test_a_baseline_written_with_one_spelling_matches_another(tree):
    res = runner.invoke(app, ["lint", "./docs", "--select", "H301", "--no-cache", "--write-baseline", "b.json"])
    assert res.exit_code == 0, res.output
    for spelling in ("docs", str(tree / "docs"), "./" + NAME):
        res = runner.invoke(app, ["lint", spelling, "--select", "H301", "--no-cache", "--baseline", "b.json"])
        assert res.exit_code == 0, (spelling, res.output)
        assert "2 个问题未显示" in res.stderr


def test_file_path_helper():
    cwd = os.getcwd()
    assert file_path("docs/a.txt") == file_path("./docs/a.txt") == file_path(os.path.join(cwd, "docs", "a.txt")) \
        == "docs/a.txt"
    assert file_path("-") == "-"  # standard input without --stdin-filename, as ruff prints it
    outside = os.path.dirname(cwd)
    assert file_path(os.path.join(outside, "x.txt")) == os.path.join(outside, "x.txt").replace(os.sep, "/")
    assert file_path("../x.txt") == os.path.join(outside, "x.txt").replace(os.sep, "/")
    assert file_path("a.txt", base_dir=os.path.join(cwd, "docs")) == os.path.join(cwd, "a.txt").replace(os.sep, "/")
