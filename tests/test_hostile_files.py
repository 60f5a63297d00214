"""Hostile files and names in the linted tree (issue 21, items 1, 3, 6 and 11).

A pull request controls what is in the tree ecocheck lints: symlinks to devices or to files
outside it, FIFOs, names with newlines, ESC or bytes that are not UTF-8, a planted baseline.
Every special file here is made by the test (nothing binary is checked in).  Runs that could
hang go through a subprocess with a generous timeout, which only turns a hang into a failure.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecocheck.cli.app import app
from make_docx import build_docx

runner = CliRunner()
GOOD = "关于某局政治生态情况的报告\n一、基本情况\n局机关现有党员XX人。\n"  # H301 at 3:8
SECRET = "关于机密的报告\n一、基本情况\n口令是XX，不得外传。\n"
HANG_GUARD = 300  # seconds; only to fail instead of hanging forever

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs as on POSIX")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def run(args: list[str], cwd: Path, **env) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", **env}
    return subprocess.run([sys.executable, "-m", "ecocheck", *args], cwd=cwd, capture_output=True, env=full_env,
                          timeout=HANG_GUARD)


def codes_by_file(stdout: bytes | str) -> dict[str, list[str]]:
    report = json.loads(stdout)
    return {Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in report["files"]}


def tree_with_special_files(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "good.txt").write_text(GOOD, encoding="utf-8")
    (reports / "zero.txt").symlink_to("/dev/zero")
    (reports / "random.md").symlink_to("/dev/urandom")
    (reports / "zero.docx").symlink_to("/dev/zero")
    os.mkfifo(reports / "fifo.txt")
    return reports


# ---------------------------------------------------------------------------
# item 1: only regular files are inputs; reads are bounded


@pytest.mark.parametrize("extra", [[], ["--no-cache"], ["--fix"], ["--fix", "--no-cache"], ["-j", "2"]],
                         ids=["cache", "no-cache", "fix", "fix-no-cache", "parallel"])
def test_devices_and_fifos_are_e011_and_never_hang(extra, tmp_path):
    tree_with_special_files(tmp_path)
    res = run(["lint", "reports", "--isolated", "--follow-symlinks", "-f", "json", *extra], tmp_path)
    assert res.returncode == 2, res.stderr.decode()
    assert b"Traceback" not in res.stderr
    codes = codes_by_file(res.stdout)
    assert codes["zero.txt"] == codes["random.md"] == codes["zero.docx"] == codes["fifo.txt"] == ["E011"]
    assert "H301" in codes["good.txt"]


def test_dev_zero_is_not_called_empty(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    res = run(["lint", "zero.txt", "--isolated", "--no-cache", "--follow-symlinks"], tmp_path)
    out = res.stdout.decode()
    assert res.returncode == 2 and "E011" in out and "E006" not in out and "为空" not in out, out


def test_a_pack_directory_of_devices_does_not_hang(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "ecocheck.yaml").write_text("extra-rule-packs: [/dev]\n", encoding="utf-8")
    res = run(["lint", "good.txt", "-f", "json"], tmp_path)
    assert res.returncode == 1, res.stderr.decode()
    assert "H301" in codes_by_file(res.stdout)["good.txt"]
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(packs / "fifo.yml")
    (tmp_path / "ecocheck.yaml").write_text("extra-rule-packs: [packs]\n", encoding="utf-8")
    res = run(["lint", "good.txt"], tmp_path)
    err = res.stderr.decode()
    assert res.returncode == 2 and "E201" in err and "Traceback" not in err, err


def test_config_and_ignore_files_are_read_bounded(tmp_path):
    from ecocheck.config import read as configfile
    from ecocheck.errors import ConfigError

    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "pinned.yaml")
    res = runner.invoke(app, ["lint", "good.txt", "--config", "pinned.yaml", "--no-cache"])
    assert res.exit_code == 2 and "E200" in res.output and "E011" not in res.output, res.output
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (configfile.MAX_CONFIG_BYTES + 10) + b"\n")
    with pytest.raises(ConfigError) as info:
        configfile.read_config_file(str(big))
    assert info.value.code == "E200" and "过大" in info.value.message


# ---------------------------------------------------------------------------
# item 3: symlinks out of the linted tree are not followed


def test_links_out_of_the_tree_are_not_read(tmp_path):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "token.txt").write_text(SECRET, encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "good.txt").write_text(GOOD, encoding="utf-8")
    (reports / "inside.txt").symlink_to("good.txt")
    (reports / "leak.txt").symlink_to(secrets / "token.txt")
    (reports / "passwd.txt").symlink_to("/etc/passwd")
    res = runner.invoke(app, ["lint", "reports", "--isolated", "--no-cache", "-j", "1", "-f", "json"])
    assert res.exit_code == 2, res.output
    assert "口令" not in res.stdout and "root:" not in res.stdout
    codes = codes_by_file(res.stdout)
    assert codes["leak.txt"] == codes["passwd.txt"] == ["E012"]
    assert "H301" in codes["inside.txt"] and "H301" in codes["good.txt"]
    # a link named on the command line is not followed out of the current directory either
    os.chdir(reports)
    res = runner.invoke(app, ["lint", "leak.txt", "--isolated", "--no-cache", "-f", "json"])
    assert res.exit_code == 2 and codes_by_file(res.stdout)["leak.txt"] == ["E012"]
    os.chdir(tmp_path)
    # opting in reads it
    res = runner.invoke(app, ["lint", "reports", "--isolated", "--no-cache", "--follow-symlinks", "-f", "json"])
    assert "H301" in codes_by_file(res.stdout)["leak.txt"]


def test_annotate_never_copies_a_target_out_of_the_tree(tmp_path):
    outside = tmp_path / "outside.docx"
    build_docx(SECRET.splitlines(), outside)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "link.docx").symlink_to(outside)
    build_docx(GOOD.splitlines(), reports / "good.docx")
    res = runner.invoke(app, ["lint", "reports", "--isolated", "--no-cache", "--annotate"])
    assert res.exit_code == 2
    assert sorted(p.name for p in reports.iterdir()) == ["good.docx", "good.ecocheck.docx", "link.docx"]
    assert not list(tmp_path.glob("*.ecocheck.docx"))


def test_fix_does_not_follow_a_link_out_of_the_tree(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("关于报告\n一、基本情况\n我们要认真学习,深刻领会.\n", encoding="utf-8")
    before = outside.read_bytes()
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "link.txt").symlink_to(outside)
    res = runner.invoke(app, ["lint", "reports", "--isolated", "--no-cache", "--fix"])
    assert res.exit_code == 2 and "E012" in res.output
    assert outside.read_bytes() == before


# ---------------------------------------------------------------------------
# item 11, the smaller ones


def test_output_guard_sees_through_a_linked_directory(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "alias").symlink_to("reports")
    res = runner.invoke(app, ["lint", "reports/a.txt", "--isolated", "--no-cache", "-o", "alias/a.txt"])
    assert res.exit_code == 2 and "--output" in res.output
    assert (reports / "a.txt").read_text(encoding="utf-8") == GOOD


FIXABLE = "关于报告\n一、基本情况\n我们要认真学习,深刻领会.\n"


def test_fix_refuses_a_read_only_file(tmp_path):
    target = tmp_path / "ro.txt"
    target.write_text(FIXABLE, encoding="utf-8")
    target.chmod(0o444)
    res = runner.invoke(app, ["lint", "ro.txt", "--isolated", "--no-cache", "--fix"])
    assert "只读" in res.output
    assert target.read_text(encoding="utf-8") == FIXABLE
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_fix_writes_through_a_symlink(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text(FIXABLE, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    runner.invoke(app, ["lint", "link.txt", "--isolated", "--no-cache", "--fix"])
    assert (tmp_path / "link.txt").is_symlink()
    assert real.read_text(encoding="utf-8") != FIXABLE  # fixed through the link
    assert "，" in real.read_text(encoding="utf-8")


def test_fix_makes_no_temporary_copies(tmp_path, monkeypatch):
    """A killed --fix cannot leave copies behind when it never makes any."""
    import tempfile

    from ecocheck.fix import fix_file

    made = []
    for name in ("mkdtemp", "mkstemp", "NamedTemporaryFile", "TemporaryDirectory"):
        original = getattr(tempfile, name)

        def spy(*a, _original=original, _name=name, **kw):
            made.append(_name)
            return _original(*a, **kw)

        monkeypatch.setattr(tempfile, name, spy)
    build_docx(FIXABLE.splitlines() + ["整改措施要落实,落细."], tmp_path / "draft.docx")
    outcome = fix_file(str(tmp_path / "draft.docx"))
    assert outcome.error is None and outcome.changed and outcome.passes >= 1
    assert made == []


def test_an_unreadable_directory_is_reported(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    (docs / "locked").mkdir(parents=True)
    (docs / "locked" / "hidden.txt").write_text(GOOD, encoding="utf-8")
    (docs / "good.txt").write_text(GOOD, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):  # root can read a chmod 000 directory: refuse it here instead
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    res = runner.invoke(app, ["lint", "docs", "--isolated", "--no-cache", "-j", "1", "-f", "json"])
    assert res.exit_code == 2, res.output
    codes = codes_by_file(res.stdout)
    assert codes["locked"] == ["E001"] and "H301" in codes["good.txt"]


@pytest.mark.parametrize("content", [
    "[" * 100_000 + "]" * 100_000,
    '{"ecocheck-baseline": 1e400, "findings": []}',
    '{"ecocheck-baseline": 1, "findings": [{"path": "a.txt", "code": "H301", "text": "XX", "section": "",'
    ' "occurrence": 1e400}]}',
    '{"ecocheck-baseline": 1, "findings": [{"path": "a.txt", "code": "H301", "text": "XX", "section": "",'
    ' "occurrence": ' + "9" * 5000 + "}]}",
    '{"ecocheck-baseline": 1, "findings": [{"path": ["a"], "code": "H301", "text": "XX", "section": "",'
    ' "occurrence": 0}]}',
    '{"ecocheck-baseline": NaN, "findings": []}',
], ids=["deep", "1e400", "1e400-occurrence", "huge-int", "wrong-type", "nan"])
def test_hostile_baseline_is_one_e200(content, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "base.json").write_text(content, encoding="utf-8")
    res = runner.invoke(app, ["lint", "a.txt", "--isolated", "--no-cache", "--baseline", "base.json"])
    assert res.exit_code == 2, res.output
    assert isinstance(res.exception, SystemExit), res.exception
    assert "E200" in res.output


def test_names_and_text_never_reach_the_terminal_raw(tmp_path):
    name = os.fsdecode(b"r\xb1\xa8\n::error file=x::pwned\x1b[2J.txt")
    Path(tmp_path, name).write_text(GOOD.replace("XX", "XX\x1b[31m"), encoding="utf-8")
    for fmt in ("text", "concise", "github"):
        res = run(["lint", ".", "--isolated", "--no-cache", "-f", fmt], tmp_path)
        out = res.stdout.decode("utf-8")  # strict: every byte printed is UTF-8
        assert res.returncode == 1, res.stderr.decode()
        assert "\x1b" not in out and "\x07" not in out
        lines = out.splitlines()
        if fmt == "github":
            assert all(line.startswith(("::warning ", "::error ", "::notice ")) for line in lines), out
            assert all("::error file=x" not in line for line in lines)
        else:
            assert not any(line.lstrip().startswith("::") for line in lines), out
        assert "\\xb1\\xa8\\n" in out  # the name, escaped


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github", "gitlab", "junit"])
def test_a_gbk_file_name_is_reported_in_every_format(fmt, tmp_path):
    gbk = os.fsdecode("报告".encode("gbk") + b".txt")
    (tmp_path / ".git").mkdir()  # the cache at the repository's root
    Path(tmp_path, gbk).write_text(GOOD, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    for extra in ([], ["--no-cache"], ["-o", f"out.{fmt}"]):
        res = run(["lint", ".", "--isolated", "-f", fmt, *extra], tmp_path)
        err = res.stderr.decode("utf-8", "replace")
        assert res.returncode == 1 and "Traceback" not in err, err
        out = (tmp_path / f"out.{fmt}").read_bytes() if extra[:1] == ["-o"] else res.stdout
        text = out.decode("utf-8").replace("\\\\", "\\")  # JSON doubles the backslash
        assert "\\xb1\\xa8\\xb8\\xe6.txt" in text or "%B1%A8%B8%E6.txt" in text, text
        assert "good.txt" in text


def test_a_gbk_file_name_in_the_baseline_and_cache(tmp_path):
    gbk = os.fsdecode("报告".encode("gbk") + b".txt")
    (tmp_path / ".git").mkdir()  # the cache at the repository's root
    Path(tmp_path, gbk).write_text(GOOD, encoding="utf-8")
    res = run(["lint", ".", "--isolated", "--write-baseline", "base.json"], tmp_path)
    assert res.returncode == 0, res.stderr.decode()
    json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))
    for _ in range(2):  # the second run reads the cache entry the first wrote
        res = run(["lint", ".", "--isolated", "--baseline", "base.json", "-f", "json"], tmp_path)
        assert res.returncode == 0, res.stderr.decode()
        assert [f["findings"] for f in json.loads(res.stdout)["files"]] == [[]]
    assert list((tmp_path / ".ecocheck_cache").rglob("*.json"))


def test_nested_small_repeats_are_refused():
    from ecocheck.engine.regexcheck import backtracking_risk

    assert backtracking_risk(r"(?:(?:(?:(?:(?:(?:a{1,2}){1,2}){1,2}){1,2}){1,2}){1,2}){1,2}b")
    assert backtracking_risk(r"(?:(?:(?:(?:(?:a+){2}){2}){2}){2})b")
    assert backtracking_risk(r"(?:(?:a*){2}){2}b")
    assert backtracking_risk(r"(?:\d{1,2}){1,2}年") is None
    assert backtracking_risk(r"(?:[一二]{1,2}、){2}") is None


@pytest.mark.parametrize("value,ok", [(120, True), (3600, True), (3601, False), (10 ** 9, False)])
def test_rule_seconds_is_bounded(value, ok, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "ecocheck.yaml").write_text(f"limits:\n  rule-seconds: {value}\n", encoding="utf-8")
    res = runner.invoke(app, ["lint", "a.txt", "--no-cache"])
    assert (res.exit_code == 1) if ok else (res.exit_code == 2 and "E200" in res.output), res.output


def test_the_cache_key_changes_with_dependency_versions(monkeypatch):
    from ecocheck.run import cache
    from ecocheck.config import Config

    assert "lark=" in cache.dependency_stamp() and "lxml=" in cache.dependency_stamp()
    before = cache.config_fingerprint(Config())
    monkeypatch.setattr(cache, "dependency_stamp", lambda: "lark=0.0.1")
    assert cache.config_fingerprint(Config()) != before
