"""Configuration files: discovery (nearest wins), keys, errors with file:line, CLI precedence, excludes."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocheck.cli.app import app

runner = CliRunner()

# H301 placeholders on line 3 (** and XX); "待核" is not a built-in placeholder
REPORT = "关于某局工作情况的报告\n一、基本情况\n现有党员**人，其中在职党员XX人，联系人待核。\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the cache and relative paths stay inside tmp_path


def lint_json(*args) -> tuple[int, dict]:
    res = runner.invoke(app, ["lint", *args, "-f", "json", "--no-cache"])
    assert "Traceback" not in res.output, res.output
    return res.exit_code, json.loads(res.stdout) if res.stdout.strip().startswith("{") else {}


def codes_by_file(data: dict) -> dict[str, list[str]]:
    return {Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in data["files"]}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_config_wins(tmp_path):
    write(tmp_path / "ecocheck.yaml", "select: [H301]\nseverity:\n  H301: error\n")
    write(tmp_path / "top.txt", REPORT)
    write(tmp_path / "a" / "b" / ".ecocheck.yaml", "select: [H]\nignore: [H]\n")
    write(tmp_path / "a" / "b" / "c" / "deep.txt", REPORT)
    write(tmp_path / "a" / "mid.txt", REPORT)
    code, data = lint_json(str(tmp_path))
    by_name = {Path(f["path"]).name: f["findings"] for f in data["files"]}
    assert [f["severity"] for f in by_name["top.txt"]] == ["error", "error"]
    assert [f["severity"] for f in by_name["mid.txt"]] == ["error", "error"]  # inherits from the root
    assert by_name["deep.txt"] == []  # the nearer .ecocheck.yaml replaces the root one
    assert code == 1


def test_pyproject_tool_table_and_plain_pyproject_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.ecocheck]\nselect = ["H301"]\nignore = ["H301"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.ecocheck]: keep walking
    write(tmp_path / "sub" / "r.txt", REPORT)
    code, data = lint_json(str(tmp_path / "sub"))
    assert codes_by_file(data) == {"r.txt": []} and code == 0


def test_yaml_beats_pyproject_in_the_same_directory(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.ecocheck]\nignore = ["H301"]\n')
    write(tmp_path / "ecocheck.yaml", "select: [H301]\n")
    write(tmp_path / "r.txt", REPORT)
    _, data = lint_json("r.txt")
    assert codes_by_file(data)["r.txt"] == ["H301", "H301"]


def test_explicit_config_applies_to_every_file(tmp_path):
    write(tmp_path / "a" / "ecocheck.yaml", "select: [H301]\nignore: [H301]\n")
    write(tmp_path / "a" / "r.txt", REPORT)
    cfg = write(tmp_path / "ci.yaml", "select: [H301]\n")
    _, data = lint_json("a", "--config", str(cfg))
    assert codes_by_file(data)["r.txt"] == ["H301", "H301"]
    _, data = lint_json("a", "--isolated")
    assert codes_by_file(data)["r.txt"].count("H301") == 2


@pytest.mark.parametrize("name, text, line, key", [
    ("ecocheck.yaml", "select: [H]\nfail-on: error\nselct: [H]\n", 3, "selct"),
    ("ecocheck.yaml", "severity:\n  H301: loud\n", 2, "H301"),
    ("ecocheck.yaml", "select: [H]\nignore:\n  - H301\n  - Q123\n", 4, "Q123"),
    ("ecocheck.yaml", "sections:\n  problemz: [存在的不足]\n", 2, "problemz"),
    ("ecocheck.yaml", "limits:\n  max-part-bytes: -1\n", 2, "max-part-bytes"),
    ("ecocheck.yaml", "report-unused-suppressions: yes please\n", 1, "report-unused-suppressions"),
    ("ecocheck.yaml", "rules:\n  no-such-rule: {x: 1}\n", 2, "no-such-rule"),
    ("ecocheck.yaml", "select: [H\n", 2, "YAML"),
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.ecocheck]\nselect = ["H"]\nextend_select = ["T"]\n', 6,
     "extend_select"),
    ("pyproject.toml", "[tool.ecocheck]\nselect = [\n", 3, "TOML"),
])
def test_broken_config_is_exit_2_with_file_line_and_key(tmp_path, name, text, line, key):
    cfg = write(tmp_path / name, text)
    write(tmp_path / "r.txt", REPORT)
    res = runner.invoke(app, ["lint", "r.txt", "--no-cache"])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    msg = res.stderr.strip()
    assert len(msg.splitlines()) == 1, msg
    assert msg.startswith(f"ecocheck: {cfg}:{line}: E200 "), msg
    assert key in msg


def test_unknown_key_suggests_the_right_one(tmp_path):
    write(tmp_path / "ecocheck.yaml", "extend-selct: [C699]\n")
    write(tmp_path / "r.txt", REPORT)
    res = runner.invoke(app, ["lint", "r.txt"])
    assert res.exit_code == 2 and "extend-select" in res.stderr


def test_missing_config_file_and_bad_pack_dir(tmp_path):
    write(tmp_path / "r.txt", REPORT)
    res = runner.invoke(app, ["lint", "r.txt", "--config", "nope.yaml"])
    assert res.exit_code == 2 and "nope.yaml" in res.stderr and "E200" in res.stderr
    write(tmp_path / "ecocheck.yaml", "extra-rule-packs: [packs]\n")
    res = runner.invoke(app, ["lint", "r.txt"])
    assert res.exit_code == 2 and "packs" in res.stderr and ":1:" in res.stderr


def test_cli_overrides_config(tmp_path):
    write(tmp_path / "ecocheck.yaml", "select: [H301]\nignore: [H301]\nfail-on: error\n")
    write(tmp_path / "r.txt", REPORT)
    code, data = lint_json("r.txt")
    assert codes_by_file(data)["r.txt"] == [] and code == 0
    # --select replaces the file's select *and* ignore (as in ruff)
    code, data = lint_json("r.txt", "--select", "H301")
    assert codes_by_file(data)["r.txt"] == ["H301", "H301"]
    assert code == 0  # fail-on: error from the file, findings are warnings
    code, _ = lint_json("r.txt", "--select", "H301", "--fail-on", "warning")
    assert code == 1


def test_extend_select_and_ignore_add_to_the_file(tmp_path):
    write(tmp_path / "ecocheck.yaml", "select: [E]\n")
    write(tmp_path / "r.txt", REPORT)
    _, data = lint_json("r.txt", "--extend-select", "placeholder")
    assert codes_by_file(data)["r.txt"] == ["H301", "H301"]
    _, data = lint_json("r.txt", "--extend-select", "H301", "--ignore", "placeholder")
    assert codes_by_file(data)["r.txt"] == []


def test_extra_placeholders_reach_h301(tmp_path):
    write(tmp_path / "ecocheck.yaml", "select: [H301]\nextra-placeholders: [待核]\n")
    write(tmp_path / "r.txt", REPORT)
    _, data = lint_json("r.txt")
    texts = [f["text"] for f in data["files"][0]["findings"]]
    assert texts == ["**", "XX", "待核"]


def test_rule_options_and_severity_by_name(tmp_path):
    write(tmp_path / "ecocheck.yaml", "select: [H301]\nseverity: {placeholder: info}\n"
                                      "rules:\n  placeholder:\n    extra-tokens: [待核]\n")
    write(tmp_path / "r.txt", REPORT)
    code, data = lint_json("r.txt")
    findings = data["files"][0]["findings"]
    assert [f["text"] for f in findings] == ["**", "XX", "待核"]
    assert {f["severity"] for f in findings} == {"info"}
    assert code == 0


def test_per_file_ignores(tmp_path):
    write(tmp_path / "ecocheck.yaml", "select: [H301]\nper-file-ignores:\n  'templates/*.txt': [H]\n"
                                      "  '示例.txt': [placeholder]\n")
    write(tmp_path / "templates" / "t.txt", REPORT)
    write(tmp_path / "deep" / "示例.txt", REPORT)
    write(tmp_path / "real.txt", REPORT)
    _, data = lint_json(".")
    assert codes_by_file(data) == {"t.txt": [], "示例.txt": [], "real.txt": ["H301", "H301"]}


def test_exclude_ecocheckignore_and_force_exclude(tmp_path):
    write(tmp_path / "ecocheck.yaml", "select: [H301]\nexclude: [drafts/, '*.bak.txt']\n")
    write(tmp_path / "drafts" / "d.txt", REPORT)
    write(tmp_path / "old.bak.txt", REPORT)
    write(tmp_path / "docs" / ".ecocheckignore", "*.md\n!keep.md\n")
    write(tmp_path / "docs" / "x.md", REPORT)
    write(tmp_path / "docs" / "keep.md", REPORT)
    write(tmp_path / "r.txt", REPORT)
    _, data = lint_json(".")
    assert sorted(codes_by_file(data)) == ["keep.md", "r.txt"]
    # files named on the command line are linted anyway, unless --force-exclude (pre-commit)
    _, data = lint_json("drafts/d.txt", "docs/x.md", "r.txt")
    assert sorted(codes_by_file(data)) == ["d.txt", "r.txt", "x.md"]
    _, data = lint_json("drafts/d.txt", "docs/x.md", "r.txt", "--force-exclude")
    assert sorted(codes_by_file(data)) == ["r.txt"]


def test_repository_documents_are_not_reports(tmp_path):
    # a report repository's README quotes the placeholders it warns about and has no 基本情况:
    # walking a directory skips it (and CHANGELOG, LICENSE…); named, it is linted like any file
    for name in ("README.md", "readme.zh-CN.md", "CHANGELOG.md", "LICENSE.txt", "CONTRIBUTING.md"):
        write(tmp_path / name, REPORT)
    write(tmp_path / "reports" / "README.txt", REPORT)
    write(tmp_path / "reports" / "2024年度报告.txt", REPORT)
    write(tmp_path / "reports" / "readme_draft.txt", REPORT)  # not README.<ext>: a report like any
    _, data = lint_json(".")
    assert sorted(codes_by_file(data)) == ["2024年度报告.txt", "readme_draft.txt"]
    _, data = lint_json("README.md", "reports")
    assert sorted(codes_by_file(data)) == ["2024年度报告.txt", "README.md", "readme_draft.txt"]
    _, data = lint_json("README.md", "reports/2024年度报告.txt", "--force-exclude")  # pre-commit
    assert sorted(codes_by_file(data)) == ["2024年度报告.txt"]
    # an .ecocheckignore can take one back
    write(tmp_path / "reports" / ".ecocheckignore", "!README.txt\n")
    _, data = lint_json(".")
    assert sorted(codes_by_file(data)) == ["2024年度报告.txt", "README.txt", "readme_draft.txt"]


def test_sections_and_genres_reach_the_config(tmp_path):
    from ecocheck.config.resolve import Resolver

    write(tmp_path / "ecocheck.yaml", "sections:\n  problems: [短板弱项]\ngenres:\n  briefing: {title: [简报]}\n"
                                      "genre: report\nlimits: {max-part-bytes: 1000000}\n")
    cfg = Resolver().for_path(str(tmp_path / "r.txt"))
    assert cfg.sections == {"problems": ["短板弱项"]}
    assert cfg.genres == {"briefing": {"title": ["简报"]}}
    assert cfg.genre == "report" and cfg.limits == {"max_part_bytes": 1000000}


def test_config_command_shows_values_and_origins(tmp_path):
    cfg = write(tmp_path / "proj" / "ecocheck.yaml", "select: [H]\n\nfail-on: error\n")
    (tmp_path / "proj" / "sub").mkdir()
    res = runner.invoke(app, ["config", "proj/sub", "--ignore", "H301"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == f"# ecocheck 的有效配置；配置文件：{cfg}"
    assert f'select: [H]  # {cfg}:1' in lines
    assert f'fail-on: error  # {cfg}:3' in lines
    assert 'ignore: [H301]  # 命令行' in lines
    assert "# genre：未设置（自动识别文种）  # 默认" in lines
    data = json.loads(runner.invoke(app, ["config", "proj", "-f", "json", "--select", "T"]).stdout)
    assert data["path"] == str(cfg)
    assert data["settings"]["select"] == {"value": ["T"], "origin": "命令行"}
    assert data["settings"]["fail-on"] == {"value": "error", "origin": f"{cfg}:3"}
    res = runner.invoke(app, ["config", "--isolated"])
    assert res.stdout.splitlines()[0] == "# ecocheck 的有效配置；配置文件：无（使用默认值）"


def test_config_command_reports_errors(tmp_path):
    write(tmp_path / "ecocheck.yaml", "bogus: 1\n")
    res = runner.invoke(app, ["config"])
    assert res.exit_code == 2 and "ecocheck.yaml:1: E200" in res.stderr and "bogus" in res.stderr
