"""Output formats: sarif (schema-validated), github, junit, gitlab, concise; json unchanged."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecocheck.cli.app import app
from ecocheck.reporters import FORMATS
from ecocheck.reporters.github import escape_data, escape_property

runner = CliRunner()

DIRTY = "关于某局工作情况的报告\n一、基本情况\n现有党员**人，其中在职党员XX人。\n"
CLEAN = "关于某局工作情况的报告\n一、基本情况\n全年完成各项任务。\n"
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(autouse=True)
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "报告,一.txt").write_text(DIRTY, encoding="utf-8")  # a comma in the name
    (tmp_path / "docs" / "clean.txt").write_text(CLEAN, encoding="utf-8")


def run(fmt, *extra):
    res = runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache", "-f", fmt, *extra])
    assert res.exit_code == 1, res.output
    return res.stdout


def test_every_format_is_registered():
    assert set(FORMATS) >= {"text", "json", "concise", "sarif", "github", "gitlab", "junit"}


def test_json_contract_unchanged():
    data = json.loads(run("json"))
    assert set(data) == {"version", "files", "summary"}
    assert data["summary"] == {"files": 2, "error": 0, "warning": 2, "info": 0}
    f = data["files"][1]["findings"][0]
    assert set(f) == {"code", "name", "severity", "message", "line", "column", "end_line", "end_column", "text",
                      "excerpt", "section", "suggestion"}


def test_concise_is_one_line_per_finding():
    assert run("concise").splitlines() == ["docs/报告,一.txt:3:5: H301 占位符“**”未替换",
                                           "docs/报告,一.txt:3:15: H301 占位符“XX”未替换",
                                           "检查了 2 个文件：0 个错误，2 个警告，0 个提示。"]
    assert len(run("concise", "-q").splitlines()) == 2  # -q: the findings only


def test_github_annotations():
    lines = run("github").splitlines()
    assert len(lines) == 2
    rx = re.compile(r"^::(error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),"
                    r"title=([^,:]+)::(.*)$")
    m = rx.match(lines[0])
    assert m, lines[0]
    assert m.groups()[:7] == ("warning", "docs/报告%2C一.txt", "3", "5", "3", "7", "H301")
    assert m.group(8).startswith("占位符“**”未替换%0A建议：")
    assert "\n" not in m.group(8)


def test_github_escaping():
    assert escape_data("100% a\r\nb") == "100%25 a%0D%0Ab"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_junit_xml():
    root = ET.fromstring(run("junit").encode("utf-8"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"docs/clean.txt", "docs/报告,一.txt"}
    clean = suites["docs/clean.txt"].findall("testcase")
    assert len(clean) == 1 and clean[0].find("failure") is None and suites["docs/clean.txt"].get("failures") == "0"
    dirty = suites["docs/报告,一.txt"].findall("testcase")
    assert [c.find("failure").get("type") for c in dirty] == ["H301", "H301"]
    assert dirty[0].find("failure").get("message") == "占位符“**”未替换"
    assert "docs/报告,一.txt:3:5: H301" in dirty[0].find("failure").text


def test_junit_unreadable_file_is_an_error(tmp_path):
    (tmp_path / "docs" / "empty.txt").write_bytes(b"")
    res = runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache", "-f", "junit"])
    assert res.exit_code == 2
    root = ET.fromstring(res.stdout.encode("utf-8"))
    assert root.get("errors") == "1"


def test_gitlab_code_quality(tmp_path):
    issues = json.loads(run("gitlab"))
    assert len(issues) == 2
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] == "docs/报告,一.txt"
        assert issue["location"]["lines"]["begin"] == 3
    assert len({i["fingerprint"] for i in issues}) == 2
    # fingerprints ignore line numbers: shifting the text down keeps them
    (tmp_path / "docs" / "报告,一.txt").write_text("关于某局工作情况的报告\n\n\n" + DIRTY.split("\n", 1)[1],
                                                 encoding="utf-8")
    moved = json.loads(run("gitlab"))
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    assert moved[0]["location"]["lines"]["begin"] == 5


def test_sarif_shape():
    data = json.loads(run("sarif"))
    assert data["version"] == "2.1.0"
    run0 = data["runs"][0]
    assert run0["tool"]["driver"]["name"] == "ecocheck"
    assert run0["columnKind"] == "unicodeCodePoints"
    rules = run0["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["H301"] and rules[0]["shortDescription"]["text"]
    res = run0["results"][0]
    assert res["ruleId"] == "H301" and res["ruleIndex"] == 0 and res["level"] == "warning"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "docs/%E6%8A%A5%E5%91%8A,%E4%B8%80.txt"
    assert loc["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 7, "snippet": {"text": "**"}}
    assert res["partialFingerprints"]["ecocheck/v1"]


def test_sarif_validates_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(run("sarif")), schema)
    clean = runner.invoke(app, ["lint", "docs/clean.txt", "--select", "H301", "--no-cache", "-f", "sarif"])
    assert clean.exit_code == 0
    jsonschema.validate(json.loads(clean.stdout), schema)


def test_unknown_format_is_usage_error():
    res = runner.invoke(app, ["lint", "docs", "-f", "xml"])
    assert res.exit_code == 2 and "xml" in res.stderr


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ1 ，。汉字ａ１𠀀é\t“”・ｶ한"), max_size=30))
def test_display_width_counts_wide_characters_twice(s):
    import unicodedata

    from ecocheck.reporters.text import display_width

    assert display_width(s) == sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


def test_text_report_through_the_command_line_with_a_baseline_shows_only_new_findings(tmp_path):
    assert runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache",
                               "--write-baseline", "base.json"]).exit_code == 0
    (tmp_path / "docs" / "clean.txt").write_text(CLEAN + "共有XX个支部。\n", encoding="utf-8")
    res = runner.invoke(app, ["lint", "docs", "--select", "H301", "--no-cache", "--baseline", "base.json", "-j", "2"])
    assert res.exit_code == 1, res.output
    assert res.stdout.count("H301") == 1 and "clean.txt:4:" in res.stdout
