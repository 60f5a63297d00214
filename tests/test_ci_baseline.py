"""Baselines: findings matched by identity (path, code, text, section, occurrence), not by line."""

import json

import pytest
from typer.testing import CliRunner

from ecocheck.cli.app import app

runner = CliRunner()

BASE = ("关于某局工作情况的报告\n一、基本情况\n现有党员**人，其中在职党员XX人。\n二、存在问题\n"
        "（一）学习不深入，XX次学习流于形式。\n")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def lint(*args):
    return runner.invoke(app, ["lint", *args, "--select", "H301", "--no-cache"])


def found(res):
    return [(f["line"], f["text"], f["section"]) for f in json.loads(res.stdout)["files"][0]["findings"]]


def test_write_then_only_new_findings(tmp_path):
    doc = tmp_path / "docs" / "r.txt"
    doc.parent.mkdir()
    doc.write_text(BASE, encoding="utf-8")
    res = lint("docs", "--write-baseline", "ci/baseline.json")
    assert res.exit_code == 0, res.output
    assert "3 个问题" in res.stderr and res.stdout == ""
    data = json.loads((tmp_path / "ci" / "baseline.json").read_text(encoding="utf-8"))
    assert data["ecocheck-baseline"] == 1
    assert [e["path"] for e in data["findings"]] == ["../docs/r.txt"] * 3  # relative to the baseline's dir
    assert {e["code"] for e in data["findings"]} == {"H301"}

    res = lint("docs", "--baseline", "ci/baseline.json")
    assert res.exit_code == 0, res.output
    assert res.stdout.strip().endswith("未发现问题。")

    # a paragraph inserted above shifts every line: nothing old comes back; a new placeholder is reported
    doc.write_text("关于某局工作情况的报告\n前言段落新增内容。\n新增一段，联系人XX。\n" + BASE.split("\n", 1)[1],
                   encoding="utf-8")
    res = lint("docs", "--baseline", "ci/baseline.json", "-f", "json")
    assert res.exit_code == 1
    assert found(res) == [(3, "XX", "")]


def test_same_text_in_the_same_section_counts_occurrences(tmp_path):
    doc = tmp_path / "r.txt"
    doc.write_text(BASE, encoding="utf-8")
    assert lint("r.txt", "--write-baseline", "b.json").exit_code == 0
    doc.write_text(BASE.replace("其中在职党员XX人。", "其中在职党员XX人，退休党员XX人。"), encoding="utf-8")
    res = lint("r.txt", "--baseline", "b.json", "-f", "json")
    assert found(res) == [(3, "XX", "一、基本情况")]  # the second XX of that section is new


def test_moving_a_finding_to_another_section_makes_it_new(tmp_path):
    doc = tmp_path / "r.txt"
    doc.write_text(BASE, encoding="utf-8")
    lint("r.txt", "--write-baseline", "b.json")
    fixed = BASE.replace("现有党员**人", "现有党员56人")
    doc.write_text(fixed + "三、整改措施\n（一）确保**落实。\n", encoding="utf-8")
    res = lint("r.txt", "--baseline", "b.json", "-f", "json")
    assert [(t, s.split(" › ")[0]) for _, t, s in found(res)] == [("**", "三、整改措施")]


def test_baseline_errors(tmp_path):
    (tmp_path / "r.txt").write_text(BASE, encoding="utf-8")
    res = lint("r.txt", "--baseline", "missing.json")
    assert res.exit_code == 2 and "missing.json" in res.stderr and "E200" in res.stderr
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    res = lint("r.txt", "--baseline", "bad.json")
    assert res.exit_code == 2 and "bad.json:1:" in res.stderr
    (tmp_path / "other.json").write_text('{"findings": []}', encoding="utf-8")
    assert lint("r.txt", "--baseline", "other.json").exit_code == 2
    res = lint("r.txt", "--baseline", "a.json", "--write-baseline", "b.json")
    assert res.exit_code == 2
    assert "Traceback" not in res.output
