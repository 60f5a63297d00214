"""``ecocheck config`` prints a configuration file (issue 19 item 10): TOML for a ``pyproject.toml``,
YAML for ``ecocheck.yaml``, that reads back to the same effective configuration; origins as comments."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.config.resolve import Resolver

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

runner = CliRunner()

#: every nested key, Chinese strings, keys that need quoting in YAML or TOML (globs, a dot, a space,
#: words YAML reads as booleans or numbers), a string over two lines
YAML_CONFIG = """\
select: [H, S, P, placeholder]
ignore: [T402]
per-file-ignores:
  "templates/**": [H]
  "示例*.txt": [placeholder]
  "a b/c.d.txt": [T]
  "on": [S]
  "1": [P]
severity:
  H301: error
  placeholder: info
fail-on: info
genre:
  "讲话/**": speech
  "*.md": report
genres:
  briefing: {title: [简报, "情况通报"], "yes": [是]}
sections:
  problems: [短板弱项, "存在的不足："]
  measures: [下一步打算]
rules:
  H301:
    extra-tokens: [待定, "a: b", "# 不是注释", "甲\\n乙"]
extra-rule-packs: [style/]
extra-placeholders: [某某, "'单引号'", '"双引号"']
disable-plugins: [ecocheck-example]
exclude: ["drafts/", "*.bak.txt", "null"]
limits:
  max-part-bytes: 67108864
  rule-seconds: 60
report-unused-suppressions: true
baseline: ci/ecocheck-baseline.json
"""


def effective(path: Path):
    """The effective Config for a file in ``path``'s directory (as ``ecocheck lint`` resolves it)."""
    cfg = Resolver(registry_factory=api.registry).for_path(str(path / "r.txt"))
    values = dataclasses.asdict(cfg)
    del values["origins"], values["path"]
    values["pack_dirs"] = [os.path.relpath(d, path) for d in values["pack_dirs"]]  # the same, by project
    values["baseline"] = values["baseline"] and os.path.relpath(values["baseline"], path)
    return values


def config_out(where: Path, *args: str) -> str:
    res = runner.invoke(app, ["config", str(where), *args])
    assert res.exit_code == 0, res.output
    return res.stdout


def make_project(root: Path, name: str, text: str) -> Path:
    root.mkdir(parents=True)
    (root / "style").mkdir()
    (root / name).write_text(text, encoding="utf-8")
    return root


def test_yaml_source_prints_yaml_that_reads_back_the_same(tmp_path):
    proj = make_project(tmp_path / "proj", "ecocheck.yaml", YAML_CONFIG)
    before = effective(proj)
    out = config_out(proj)
    data = yaml.safe_load(out)  # valid YAML
    assert data["per-file-ignores"]["on"] == ["S"] and data["per-file-ignores"]["1"] == ["P"]
    assert data["rules"]["H301"]["extra-tokens"][-1] == "甲\n乙"
    assert data["extra-rule-packs"] == ["style/"]  # relative to the config file, as written
    assert f"select: [H, S, P, placeholder]  # {proj / 'ecocheck.yaml'}:1" in out.splitlines()
    assert "disable-plugins: [ecocheck-example]  # " in out
    (proj / "ecocheck.yaml").write_text(out, encoding="utf-8")
    assert effective(proj) == before


def test_pyproject_source_prints_a_tool_table_that_reads_back_the_same(tmp_path):
    proj = make_project(tmp_path / "yaml", "ecocheck.yaml", YAML_CONFIG)
    toml_text = config_out(proj, "--format", "toml")
    assert "[tool.ecocheck]" in toml_text.splitlines()
    pyproject = make_project(tmp_path / "toml", "pyproject.toml",
                             '[project]\nname = "x"\n\n' + toml_text)
    assert effective(pyproject) == effective(proj)  # YAML -> TOML keeps every value
    out = config_out(pyproject)  # a pyproject.toml prints TOML without being asked
    data = tomllib.loads(out)["tool"]["ecocheck"]
    assert data["per-file-ignores"]["a b/c.d.txt"] == ["T"]
    assert data["genre"] == {"讲话/**": "speech", "*.md": "report"}
    assert data["limits"] == {"max-part-bytes": 67108864, "rule-seconds": 60}
    assert f"{pyproject / 'pyproject.toml'}:" in out  # origins: the lines of the pyproject.toml
    before = effective(pyproject)
    (pyproject / "pyproject.toml").write_text(out, encoding="utf-8")
    assert effective(pyproject) == before
    # and back to YAML
    out = config_out(pyproject, "-f", "yaml")
    (pyproject / "pyproject.toml").unlink()
    (pyproject / "ecocheck.yaml").write_text(out, encoding="utf-8")
    assert effective(pyproject) == before


def test_a_toml_file_named_with_config_is_printed_without_the_tool_table(tmp_path):
    proj = make_project(tmp_path / "p", "team.toml", 'select = ["H301"]\n\n[severity]\nH301 = "error"\n')
    out = config_out(proj, "--config", str(proj / "team.toml"))
    data = tomllib.loads(out)
    assert data["select"] == ["H301"] and data["severity"] == {"H301": "error"} and "tool" not in data


def test_defaults_and_the_command_line_are_marked(tmp_path):
    proj = make_project(tmp_path / "p", "ecocheck.yaml", "fail-on: error\n")
    out = config_out(proj, "--ignore", "H301")
    lines = out.splitlines()
    assert lines[0] == f"# ecocheck 的有效配置；配置文件：{proj / 'ecocheck.yaml'}"
    assert "# select：未设置（默认启用的规则）  # 默认" in lines
    assert "# genre：未设置（自动识别文种）  # 默认" in lines
    assert "ignore: [H301]  # 命令行" in lines
    assert f"fail-on: error  # {proj / 'ecocheck.yaml'}:1" in lines
    data = yaml.safe_load(out)
    assert "select" not in data and data["fail-on"] == "error"
    res = runner.invoke(app, ["config", str(proj), "--isolated", "-f", "toml"])
    assert tomllib.loads(res.stdout)["tool"]["ecocheck"]["fail-on"] == "warning"
    assert res.stdout.splitlines()[0] == "# ecocheck 的有效配置；配置文件：无（使用默认值）"


def test_json_stays_and_a_bad_format_is_a_usage_error(tmp_path):
    proj = make_project(tmp_path / "p", "ecocheck.yaml", "genre: {\"讲话/**\": speech}\n")
    data = json.loads(config_out(proj, "-f", "json"))
    assert data["settings"]["genre"] == {"value": {"讲话/**": "speech"}, "origin": f"{proj / 'ecocheck.yaml'}:1"}
    assert data["settings"]["select"] == {"value": None, "origin": "默认"}
    res = runner.invoke(app, ["config", str(proj), "-f", "xml"])
    assert res.exit_code == 2 and "E202" in res.stderr and res.stdout == ""


def test_a_value_toml_cannot_hold_is_one_error_line(tmp_path):
    proj = make_project(tmp_path / "p", "ecocheck.yaml", "genres:\n  briefing: {title: null}\n")
    res = runner.invoke(app, ["config", str(proj), "-f", "toml"])
    assert res.exit_code == 2 and "E202" in res.stderr and "genres.briefing.title" in res.stderr
    assert "Traceback" not in res.output
    assert yaml.safe_load(config_out(proj))["genres"] == {"briefing": {"title": None}}


@pytest.mark.parametrize("fmt", ["yaml", "toml"])
def test_no_configuration_at_all_round_trips(tmp_path, fmt):
    (tmp_path / "empty").mkdir()
    out = config_out(tmp_path / "empty", "-f", fmt)
    name = "ecocheck.yaml" if fmt == "yaml" else "pyproject.toml"
    proj = make_project(tmp_path / "p", name, out)
    assert effective(proj) == effective(tmp_path / "empty")
