"""The plugin host uses pluggy as pluggy: hooks receive their arguments, and a plugin that implements
a hook no spec knows (a misspelled ``ecocheck_rule``) or names an argument its spec lacks is one
E101 line naming it, while the other plugins load and the run goes on.

The plugins here are real installed distributions (a ``*.dist-info`` with an ``entry_points.txt``
on ``sys.path``), found through the same entry-point lookup a user's run makes."""

from __future__ import annotations

import json
import textwrap

import pytest
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.outline import genres
from ecocheck.plugin import discovery, manager
from ecocheck.run import plan

runner = CliRunner()

RULE = """
from ecocheck.engine.rule import Rule, RuleDoc
from ecocheck.model import Severity


class Shouyao(Rule):
    code = "{code}"
    name = "shouyao-{name}"
    severity = Severity.INFO
    summary = "出现“首要”"
    doc = RuleDoc(what="测试", why="测试", bad="首要任务", good="主要任务")

    def check(self, ctx):
        for i, p in enumerate(ctx.document.paragraphs):
            at = p.text.find("首要")
            if at >= 0:
                yield ctx.finding(i, at, at + 2, "出现“首要”")
"""


def _forget_plugins():
    """What a new process would know: nothing about the plugins loaded so far."""
    discovery.entry_points.cache_clear()
    manager.get_host.cache_clear()
    plan._registry.cache_clear()
    plan._section_config.cache_clear()
    genres._base_layers.cache_clear()


@pytest.fixture()
def site(tmp_path, monkeypatch):
    """``install(dist, module_source)``: a distribution whose module registers under ``ecocheck``."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.chdir(tmp_path)

    def install(dist: str, source: str) -> None:
        module = dist.replace("-", "_")
        (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = root / f"{module}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(f"[ecocheck]\n{module} = {module}\n", encoding="utf-8")
        _forget_plugins()

    yield install
    monkeypatch.undo()  # sys.path without the site before the caches are rebuilt from it
    _forget_plugins()


def _good_plugin(code="W981"):
    return f"""
        from ecocheck.plugin.hookspecs import hookimpl
        {textwrap.indent(RULE.format(code=code, name=code.lower()), "        ").strip()}

        @hookimpl
        def ecocheck_rules():
            return [Shouyao]
        """


DRAFT = "关于某局政治生态情况的报告\n一、基本情况\n首要任务是抓好学习，现有党员XX人。\n"


def _lint(*args: str):
    with open("draft.txt", "w", encoding="utf-8") as fh:
        fh.write(DRAFT)
    return runner.invoke(app, ["lint", "draft.txt", "--isolated", "--no-cache", "-j", "1", *args])


def test_a_misspelled_hook_is_one_e101_line_naming_the_plugin_and_the_others_still_load(site):
    site("ecocheck-typo", """
        from ecocheck.plugin.hookspecs import hookimpl

        @hookimpl
        def ecocheck_rule():
            raise AssertionError("never called")
        """)
    site("ecocheck-good", _good_plugin())
    res = _lint("--select", "H301,W981")
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    assert res.exit_code == 1, res.output  # findings: the run went on
    assert "W981" in res.stdout and "H301" in res.stdout  # the good plugin and the built-in rules loaded
    (line,) = [ln for ln in res.output.splitlines() if "E101" in ln]
    assert line == ("ecocheck: E101 插件 ecocheck_typo：实现了未知的钩子 ecocheck_rule（应为 ecocheck_rules？），"
                    "插件未加载（可用的钩子：ecocheck_genre_profiles、ecocheck_rule_packs、ecocheck_rules、"
                    "ecocheck_section_synonyms）")
    # the same line for every command that loads the plugins, in every format
    res = runner.invoke(app, ["rules", "-f", "json"])
    assert "W981" in {r["code"] for r in json.loads(res.stdout)}
    assert line in res.stderr.splitlines()


def test_a_plugin_with_one_good_and_one_misspelled_hook_is_not_half_loaded(site):
    site("ecocheck-half", _good_plugin("W982") + """
        @hookimpl
        def ecocheck_genre_profile(profiles):
            return {}
        """)
    res = _lint("--select", "H301")
    assert "H301" in res.stdout
    assert "W982" not in {r["code"] for r in json.loads(runner.invoke(app, ["rules", "-f", "json"]).stdout)}
    assert "E101 插件 ecocheck_half：实现了未知的钩子 ecocheck_genre_profile（应为 ecocheck_genre_profiles？）" \
        in res.stdout


def test_a_hook_naming_an_argument_its_spec_lacks_is_refused_by_name(site):
    site("ecocheck-badarg", """
        from ecocheck.plugin.hookspecs import hookimpl

        @hookimpl
        def ecocheck_rules(config):
            return []
        """)
    res = _lint("--select", "H301")
    assert res.exit_code == 1 and "H301" in res.stdout and "Traceback" not in res.output
    assert "E101 插件 ecocheck_badarg：钩子 ecocheck_rules 的参数 config 不存在（可用参数：无），插件未加载" \
        in res.stdout


def test_hooks_receive_the_shipped_profiles_and_headings_to_extend_them(site):
    site("ecocheck-house", """
        from ecocheck.plugin.hookspecs import hookimpl

        SEEN = {}

        @hookimpl
        def ecocheck_genre_profiles(profiles):
            SEEN["profiles"] = profiles
            report = profiles["report"]
            profiles["report"]["required"] = ["nonsense"]  # a copy: the shipped profile stays as it is
            return {"house-report": {**report, "label": "本单位报告", "required": ["overview", "problems"]}}

        @hookimpl
        def ecocheck_section_synonyms(synonyms):
            SEEN["synonyms"] = synonyms
            # this unit titles its measures 提升路径 wherever the shipped list has 整改措施
            return {"measures": ["提升路径"]} if "整改措施" in synonyms["measures"] else {}
        """)
    import ecocheck_house

    profiles = genres.load_genre_profiles()
    assert profiles["house-report"].required == ("overview", "problems")
    assert profiles["house-report"].order == profiles["report"].order  # inherited from what it read
    assert "nonsense" not in profiles["report"].required
    path = "r.txt"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("某局报告\n一、存在问题\n（一）学习不够\n二、提升路径\n（一）强化学习\n")
    assert [n.role for n in api.outline_file(path).sections] == ["problems", "measures"]
    assert "整改措施" in ecocheck_house.SEEN["synonyms"]["measures"]
