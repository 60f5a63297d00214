"""Genres as data: detection with evidence (cases in tests/cases/genres.yaml), the `general` fallback,
--genre for every genre, a per-path `genre` in the config, and a genre added with YAML alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.config import Config
from ecocheck.outline.genres import load_genre_profiles
from ecocheck.loaders.text import load_text
from ecocheck.model import Severity
from ecocheck.outline import build_outline
from ecocheck.outline.genre_detect import GENERAL

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "genres.yaml").read_text(encoding="utf-8"))
runner = CliRunner()
SHIPPED = sorted(load_genre_profiles(Config()))
# the S rules that depend on the genre's required parts
SECTION_RULES = ("S101", "S102", "S103", "S105")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the result cache and relative config paths stay in tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_detection_case(case):
    outline = build_outline(load_text("case.txt", case["text"].encode("utf-8")))
    d = outline.genre_decision
    assert outline.genre == case["genre"], d
    assert set(case.get("places", [])) <= {e.place for e in d.evidence}, d.evidence
    if case["genre"] == GENERAL:
        assert d.source == "fallback" and d.confidence == "low"
    else:
        assert d.source == "detected" and d.score >= 3 and all(e.genre == case["genre"] for e in d.evidence)


def test_the_shipped_genres():
    assert set(SHIPPED) >= {"report", "self-review", "speech", "work-report", "duty-report", "briefing",
                            "research-report", "rectification-report", GENERAL}
    profiles = load_genre_profiles(Config())
    assert profiles[GENERAL].required == () and not profiles[GENERAL].title and not profiles[GENERAL].pairing
    for name, prof in profiles.items():
        assert prof.label, name
        assert name == GENERAL or dict(prof.detect).get("title"), f"{name} has no title cue"


def test_general_gets_no_required_section_finding_but_every_other_rule(tmp_path):
    text = "今年以来，局机关各项工作稳步推进，共开展培训**次。\n一、主要工作\n完成了年度目标任务。\n"
    path = write(tmp_path / "g.txt", text)
    result = api.lint_file(str(path), Config())
    assert result.genre == GENERAL
    codes = [f.code for f in result.findings]
    assert "H301" in codes  # the placeholder is still found
    assert not [f for f in result.findings if f.code in SECTION_RULES and f.severity > Severity.INFO]


@pytest.mark.parametrize("genre", SHIPPED)
def test_every_genre_id_is_accepted_by_genre_option(tmp_path, genre):
    path = write(tmp_path / "r.txt", "某局2024年度政治生态分析研判报告\n一、基本情况\n全局政治生态总体向好。\n")
    res = runner.invoke(app, ["outline", str(path), "--format", "json", "--genre", genre])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["genre"] == genre
    assert data["genre_detection"]["source"] == "option" and data["genre_detection"]["detected"] == "report"
    res = runner.invoke(app, ["lint", str(path), "-f", "json", "--no-cache", "--genre", genre])
    assert res.exit_code in (0, 1), res.output
    assert json.loads(res.stdout)["files"][0]["genre"] == genre


def test_outline_shows_genre_evidence_and_confidence(tmp_path):
    path = write(tmp_path / "s.txt", "同志们：\n今天召开全局警示教育大会，下面，我讲三点意见。\n一、提高认识\n要把纪律挺在前面。\n")
    res = runner.invoke(app, ["outline", str(path)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[1].startswith("文种：speech（讲话稿），自动识别，把握高")
    assert "  依据：称呼“同志们：”（第 1 行，+5）" in lines
    data = json.loads(runner.invoke(app, ["outline", str(path), "-f", "json"]).output)
    det = data["genre_detection"]
    assert (det["genre"], det["source"], det["confidence"]) == ("speech", "detected", "high")
    assert {"genre": "speech", "place": "opening", "text": "同志们：", "line": 1, "weight": 5} in det["evidence"]


def test_outline_explains_the_general_fallback(tmp_path):
    path = write(tmp_path / "g.txt", "今年以来，局机关各项工作稳步推进。\n一、主要工作\n完成了年度目标任务。\n")
    res = runner.invoke(app, ["outline", str(path)])
    assert "文种：general（一般文稿）：未能确定文种" in res.output and "不检查必备部分" in res.output


def test_per_path_genre_in_the_config_overrides_detection(tmp_path):
    write(tmp_path / "ecocheck.yaml", 'genre:\n  "speeches/**": speech\n  "*.md": self-review\n')
    report = "某局2024年度政治生态分析研判报告\n一、基本情况\n全局政治生态总体向好。\n"
    write(tmp_path / "speeches" / "a.txt", report)
    write(tmp_path / "b.txt", report)
    res = runner.invoke(app, ["lint", "speeches/a.txt", "b.txt", "-f", "json", "--no-cache"])
    genres = {Path(f["path"]).name: f["genre"] for f in json.loads(res.stdout)["files"]}
    assert genres == {"a.txt": "speech", "b.txt": "report"}
    codes = {Path(f["path"]).name: {x["code"] for x in f["findings"]} for f in json.loads(res.stdout)["files"]}
    assert "S101" in codes["b.txt"] and "S101" not in codes["a.txt"]
    out = runner.invoke(app, ["outline", "speeches/a.txt"]).output
    assert "文种：speech（讲话稿），由配置指定" in out and "speeches/**" in out
    assert "（自动识别的结果是 report）" in out


def test_command_line_genre_beats_the_per_path_genre(tmp_path):
    write(tmp_path / "ecocheck.yaml", 'genre:\n  "*.txt": speech\n')
    write(tmp_path / "a.txt", "某局2024年度政治生态分析研判报告\n一、基本情况\n全局政治生态总体向好。\n")
    res = runner.invoke(app, ["lint", "a.txt", "-f", "json", "--no-cache", "--genre", "report"])
    assert json.loads(res.stdout)["files"][0]["genre"] == "report"


def test_unknown_genre_in_the_per_path_config_is_a_config_error(tmp_path):
    write(tmp_path / "ecocheck.yaml", 'genre:\n  "*.txt": minutes\n')
    write(tmp_path / "a.txt", "某局工作情况\n")
    res = runner.invoke(app, ["lint", "a.txt", "--no-cache"])
    assert res.exit_code == 2 and "E200" in res.output and "minutes" in res.output


MINUTES = """genres:
  minutes:
    label: 会议纪要
    required: [measures]
    title: true
    detect:
      title: ['会议纪要']
      body: ['会议(认为|指出|要求|强调)']
"""


def test_a_new_genre_from_yaml_alone(tmp_path):
    """A genre defined only in a config file is detected, explained, and drives the section rules."""
    write(tmp_path / "ecocheck.yaml", MINUTES)
    write(tmp_path / "m.txt", "局党组2024年第5次会议纪要\n11月5日，局党组召开会议。会议认为，全局工作总体平稳。\n"
                              "一、会议议定事项\n同意印发年度工作要点。\n")
    res = runner.invoke(app, ["lint", "m.txt", "-f", "json", "--no-cache"])
    file = json.loads(res.stdout)["files"][0]
    assert file["genre"] == "minutes"
    assert [f["message"] for f in file["findings"] if f["code"] == "S101"] == [
        "会议纪要缺少“整改措施”部分：没有一级标题写作“整改措施”“整改方向”“整改提升措施”“整改要求”“对策建议”“意见建议”等"]
    out = runner.invoke(app, ["outline", "m.txt"]).output
    assert "文种：minutes（会议纪要），自动识别" in out
    assert "依据：标题“会议纪要”" in out and "依据：正文“会议认为”" in out
    assert runner.invoke(app, ["outline", "m.txt", "--genre", "minutes"]).exit_code == 0


def test_a_config_can_change_a_shipped_genres_cues(tmp_path):
    write(tmp_path / "ecocheck.yaml", "genres:\n  briefing:\n    detect:\n      title: ['情况反映']\n")
    write(tmp_path / "a.txt", "关于近期机关作风情况反映\n一、主要情况\n")
    res = runner.invoke(app, ["lint", "a.txt", "-f", "json", "--no-cache"])
    assert json.loads(res.stdout)["files"][0]["genre"] == "briefing"


@pytest.mark.parametrize("detect,fragment", [
    ("{where: ['x']}", "未知的位置 'where'"),
    ("{title: ['(']}", "正则 '(' 无效"),
    ("{title: ['(a+)+$']}", "可能极慢"),
    ("{roles: [problem]}", "未知的角色 'problem'"),
    ("[会议纪要]", "detect 应为"),
])
def test_bad_detection_cues_are_config_errors(tmp_path, detect, fragment):
    write(tmp_path / "ecocheck.yaml", f"genres:\n  minutes:\n    detect: {detect}\n")
    write(tmp_path / "a.txt", "某局工作情况\n")
    res = runner.invoke(app, ["lint", "a.txt", "--no-cache"])
    assert res.exit_code == 2, res.output
    assert "E200" in res.output and fragment in res.output and "Traceback" not in res.output
