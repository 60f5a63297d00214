"""Genre profiles, the outline's pairing in the CLI, ``explain`` for every S/P rule."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pluggy
import pytest
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.outline import genres
from ecocheck.config import Config
from ecocheck.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

SP_CODES = ["S101", "S102", "S103", "S105", "S106", "S110", "S111", "S112", "S113", "S114", "S120", "S121",
            "S130", "P201", "P202", "P203"]


# -- explain / registry -------------------------------------------------------------------
@pytest.mark.parametrize("code", SP_CODES)
def test_explain_prints_the_chinese_doc(code):
    rule = api.registry().get(code)
    assert rule is not None and rule.source == "built-in"
    res = runner.invoke(app, ["explain", code])
    assert res.exit_code == 0, res.output
    out = res.output
    assert out.startswith(f"{code} {rule.name}")
    for heading in ("## 检查什么", "## 为什么", "## 反例", "## 正例"):
        assert heading in out
    for option in rule.options:
        assert f"- {option}：" in out


def test_explain_by_name():
    res = runner.invoke(app, ["explain", "unanswered-problem"])
    assert res.exit_code == 0
    assert res.output.startswith("P202 unanswered-problem")


# -- outline JSON shows the pairing --------------------------------------------------------
def test_outline_json_shows_pairing():
    res = runner.invoke(app, ["outline", str(ROOT / "fixtures" / "report_4problems_3measures.txt"), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    pairs = data["pairing"]
    assert [(p["problem_line"], p["measure_line"]) for p in pairs] == [(10, 16), (11, 17), (12, 18), (13, None)]
    assert pairs[3]["problem"] == "（四）校园食堂和教辅资料征订领域廉洁风险防范不够严密"
    assert all(0.0 <= p["score"] <= 1.0 for p in pairs)
    problems = next(s for s in data["sections"] if s["role"] == "problems")["children"]
    assert problems[0]["pair"] == "（一）深化理论武装，推动学习成果融入教育教学"
    assert "pair" not in problems[3]


def test_outline_text_shows_pairing():
    res = runner.invoke(app, ["outline", str(ROOT / "fixtures" / "report_inline.txt")])
    assert res.exit_code == 0
    # an inline item (I1) of the problems section, with the measure paired to it
    assert re.search(r"^ +\d+  I1 +一是在理论学习上还有差距  ⇄ 一是强化理论学习，推动学用结合$", res.output, re.M), res.output


def test_outline_genre_option_switches_pairing_off():
    res = runner.invoke(app, ["outline", str(ROOT / "fixtures" / "report_clean.txt"), "--format", "json",
                              "--genre", "speech"])
    assert res.exit_code == 0
    assert "pairing" not in json.loads(res.output)


# -- unknown genre ------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["lint", "outline"])
def test_unknown_genre_is_a_usage_error(command):
    res = runner.invoke(app, [command, str(ROOT / "fixtures" / "report_clean.txt"), "--genre", "minutes"])
    assert res.exit_code == 2
    assert "E200" in res.output and "minutes" in res.output
    assert "report" in res.output  # the known genres are listed


def test_check_genre():
    genres.check_genre(Config(), "self-review")
    genres.check_genre(Config(genres={"minutes": {"required": []}}), "minutes")
    with pytest.raises(ConfigError):
        genres.check_genre(Config(), "minutes")


# -- profiles: shipped, plugins, user config -----------------------------------------------
def test_shipped_profiles():
    p = genres.load_genre_profiles(Config())
    assert p["report"].required == ("overview", "problems", "measures")
    assert p["report"].pairing and p["report"].title
    assert p["self-review"].required == ("problems", "measures")
    assert p["self-review"].expected == ("causes",)
    assert p["speech"].required == () and not p["speech"].pairing


def test_config_changes_a_profile_key_by_key():
    p = genres.load_genre_profiles(Config(genres={"report": {"required": ["problems", "measures"]}}))
    assert p["report"].required == ("problems", "measures")
    assert p["report"].pairing  # untouched keys keep the shipped value
    assert p["report"].sources == ("built-in", "config")


def test_bad_profile_is_a_config_error():
    with pytest.raises(ConfigError, match="pairing"):
        genres.load_genre_profiles(Config(genres={"report": {"pairing": "yes"}}))
    with pytest.raises(ConfigError, match="requird"):
        genres.load_genre_profiles(Config(genres={"report": {"requird": ["problems"]}}))


def test_user_genre_drives_the_rules(tmp_path):
    path = tmp_path / "summary.txt"
    path.write_text("某局2024年工作总结\n一、主要工作\n全年完成各项任务。\n二、下一步打算\n继续抓好各项工作。\n",
                    encoding="utf-8")
    cfg = Config(select=["S", "P"], genre="work-summary",
                 genres={"work-summary": {"label": "工作总结", "required": ["overview", "problems", "measures"]}})
    found = api.lint_file(str(path), cfg).findings
    assert [(f.code, "存在问题" in f.message) for f in found] == [("S101", True)]
    assert found[0].message.startswith("工作总结缺少")


def test_relaxed_report_profile_silences_missing_section():
    fixture = str(ROOT / "fixtures" / "structure" / "report_missing_overview.txt")
    assert [f.code for f in api.lint_file(fixture, Config(select=["S101"])).findings] == ["S101"]
    relaxed = Config(select=["S101"], genres={"report": {"required": ["problems", "measures"]}})
    assert api.lint_file(fixture, relaxed).findings == []


class _GenrePlugin:
    hookimpl = pluggy.HookimplMarker("ecocheck")

    @hookimpl
    def ecocheck_genre_profiles(self):
        return {"inspection-report": {"label": "巡察报告", "required": ["problems"], "pairing": True},
                "speech": {"title": True}}


def test_plugin_hook_adds_and_changes_profiles():
    from ecocheck.plugin.manager import get_host

    host = get_host(())
    plugin = _GenrePlugin()
    host.pm.register(plugin, name="test-genre-plugin")
    genres._base_layers.cache_clear()
    try:
        p = genres.load_genre_profiles(Config())
        assert p["inspection-report"].required == ("problems",) and p["inspection-report"].pairing
        assert p["speech"].title and not p["speech"].pairing
        # the user's config still wins over the plugin
        p = genres.load_genre_profiles(Config(genres={"speech": {"title": False}}))
        assert not p["speech"].title
    finally:
        host.pm.unregister(plugin)
        genres._base_layers.cache_clear()
    assert "inspection-report" not in genres.load_genre_profiles(Config())
