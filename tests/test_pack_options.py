"""The generic pack mechanisms issue 4 relies on: list-form swaps, ``enabled: false``, deletions,
and the user options every pack rule honours (disable_entries, extra_tokens, extra_patterns,
extra_swap, extra_exceptions)."""

from __future__ import annotations

import textwrap

import pytest

from ecocheck import api
from ecocheck.config import Config
from ecocheck.engine.packs import load_pack
from ecocheck.errors import ConfigError

PACK = textwrap.dedent("""\
    pack: demo
    rules:
      - code: W991
        name: demo-swap
        extends: substitution
        summary: 演示
        message: “{text}”应为“{replacement}”
        swap:
          - {from: 落实, to: 做到, if_followed_by: '“两个维护'}
          - {from: 落实, to: 坚定, if_followed_by: '“四个自信'}
          - {from: 布署, to: 部署}
          - {from: "、", to: "", if_preceded_by: "”", if_followed_by: "“"}
        doc: {what: 演示, why: 演示, bad: 落实“两个维护”, good: 做到“两个维护”}
      - code: W992
        name: demo-words
        extends: existence
        enabled: false
        summary: 演示
        message: 发现“{text}”
        tokens: [甲乙, 丙丁]
        patterns: ['戊+己']
        doc: {what: 演示, why: 演示, bad: 甲乙, good: 无}
    """)


@pytest.fixture
def pack_dir(tmp_path):
    d = tmp_path / "packs"
    d.mkdir()
    (d / "demo.yaml").write_text(PACK, encoding="utf-8")
    return str(d)


def run(tmp_path, pack_dir, text, select, options=None):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    cfg = Config(select=select, pack_dirs=[pack_dir], rule_options=options or {})
    return [f for f in api.lint_file(str(path), cfg).findings if f.code.startswith("W99")]


def test_list_swap_allows_one_wrong_form_with_several_contexts(tmp_path, pack_dir):
    found = run(tmp_path, pack_dir, "落实“两个维护”，落实“四个自信”，落实任务。", ["W991"])
    assert [(f.text, f.fix.replacement) for f in found] == [("落实", "做到"), ("落实", "坚定")]


def test_empty_replacement_is_a_deletion(tmp_path, pack_dir):
    found = run(tmp_path, pack_dir, "“两个确立”、“两个维护”", ["W991"])
    assert [(f.text, f.fix.replacement, f.fix.title) for f in found] == [("、", "", "删除“、”")]


def test_enabled_false_keeps_a_rule_out_of_the_default_selection(tmp_path, pack_dir):
    reg = api.registry(Config(pack_dirs=[pack_dir]))
    default = {r.code for r in reg.select(None, [], [])}
    assert "W991" in default and "W992" not in default
    assert "W992" in {r.code for r in reg.select(None, ["W992"], [])}


def test_disable_entries_switches_off_tokens_patterns_and_swaps(tmp_path, pack_dir):
    text = "甲乙丙丁戊戊己，认真布署，落实“两个维护”。"
    assert len(run(tmp_path, pack_dir, text, ["W992"])) == 3
    off = {"W992": {"disable_entries": ["甲乙", "戊+己"]}}
    assert [f.text for f in run(tmp_path, pack_dir, text, ["W992"], off)] == ["丙丁"]
    off = {"demo-swap": {"disable_entries": ["布署"]}}  # by rule name works too
    assert [f.text for f in run(tmp_path, pack_dir, text, ["W991"], off)] == ["落实"]


def test_extra_tokens_patterns_swap_and_exceptions(tmp_path, pack_dir):
    text = "庚辛、壬癸癸、钜款、布署方案"
    opts = {"W992": {"extra_tokens": ["庚辛"], "extra_patterns": ["壬癸+"]}}
    assert [f.text for f in run(tmp_path, pack_dir, text, ["W992"], opts)] == ["庚辛", "壬癸癸"]
    opts = {"W991": {"extra_swap": {"钜款": "巨款"}, "extra_exceptions": ["布署方案"]}}
    found = run(tmp_path, pack_dir, text, ["W991"], opts)
    assert [(f.text, f.fix.replacement) for f in found] == [("钜款", "巨款")]


def test_extra_swap_with_guards(tmp_path, pack_dir):
    opts = {"W991": {"extra_swap": {"的好": {"to": "得好", "if_preceded_by": "落实"}}}}
    found = run(tmp_path, pack_dir, "落实的好，我的好友", ["W991"], opts)
    assert [(f.text, f.start) for f in found] == [("的好", 2)]


def test_bad_user_regex_is_reported_not_swallowed(tmp_path, pack_dir):
    path = tmp_path / "doc.txt"
    path.write_text("甲乙", encoding="utf-8")
    cfg = Config(select=["W992"], pack_dirs=[pack_dir], rule_options={"W992": {"extra_patterns": ["("]}})
    findings = api.lint_file(str(path), cfg).findings
    assert [f.code for f in findings] == ["E100"]
    assert "extra_patterns" in findings[0].message


def test_malformed_swap_list_names_the_line(tmp_path):
    bad = PACK.replace("- {from: 布署, to: 部署}", "- {to: 部署}")
    with pytest.raises(ConfigError) as err:
        load_pack(str(tmp_path / "bad.yaml"), bad)
    assert "from" in str(err.value)


def test_enabled_must_be_boolean(tmp_path):
    bad = PACK.replace("enabled: false", "enabled: maybe")
    with pytest.raises(ConfigError):
        load_pack(str(tmp_path / "bad.yaml"), bad)


def test_opt_in_rule_needs_its_own_code_or_name(tmp_path, pack_dir):
    reg = api.registry(Config(pack_dirs=[pack_dir]))
    assert "W992" not in {r.code for r in reg.select(["W"], [], [])}
    assert "W992" in {r.code for r in reg.select(["ALL"], [], [])}  # ALL means every rule (issue 19.6)
    assert "W992" in {r.code for r in reg.select(None, ["ALL"], [])}
    assert "W992" in {r.code for r in reg.select(["W992"], [], [])}
    assert "W992" in {r.code for r in reg.select(["W"], ["demo-words"], [])}
