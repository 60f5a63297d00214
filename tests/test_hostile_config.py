"""Hostile configuration, rule packs and plugin paths in the linted tree (issue 21, items 4 and 5).

A pull request can add ``ecocheck.yaml``, ``pyproject.toml``, a pack directory, or files that
Python would import.  Each must end in one E-coded line, never a traceback, MemoryError or hang,
and nothing from the checkout may be imported as a plugin.  Sizes are the real attacks' (they
are small on disk); the subprocess runs under an address-space limit so a blow-up fails fast.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "关于某局政治生态情况的报告\n一、基本情况\n局机关现有党员XX人。\n"
HANG_GUARD = 300
MiB = 1 << 20

#: 9 anchors of 9 aliases each: 9**9 strings (a "billion laughs") once expanded, 342 bytes
ANCHOR_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(ord('a') + i + 1)}: &{chr(ord('a') + i + 1)} [{','.join(['*' + chr(ord('a') + i)] * 9)}]\n"
    for i in range(8))


def run_limited(args: list[str], cwd: Path, memory: int = 768 * MiB) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "ecocheck", *args], cwd=cwd, capture_output=True, env=env,
                          preexec_fn=limit, timeout=HANG_GUARD)


CONFIGS = {
    "anchor-bomb": ("ecocheck.yaml", ANCHOR_BOMB.replace("a: &a", "select: [H]\na: &a"), "超过"),
    "anchor-bomb-in-a-key": ("ecocheck.yaml", ANCHOR_BOMB + "select: *i\n", "超过"),
    "recursive-anchor": ("ecocheck.yaml", "select: &x [H, *x]\n", "递归"),
    "recursive-mapping": ("ecocheck.yaml", "rules: &r {H301: *r}\n", "递归"),
    "deep-yaml": ("ecocheck.yaml", "select: " + "[" * 100_000 + "]" * 100_000 + "\n", "E200"),
    "deep-block-yaml": ("ecocheck.yaml", "rules:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)), "嵌套"),
    "deep-toml": ("pyproject.toml", "[tool.ecocheck]\nselect = " + "[" * 100_000 + "]" * 100_000 + "\n", "嵌套"),
    "deep-toml-table": ("pyproject.toml", "[tool.ecocheck]\nrules = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n",
                        "E200"),
}


@pytest.mark.parametrize("kind", sorted(CONFIGS))
def test_hostile_config_is_one_e200(kind, tmp_path):
    name, text, words = CONFIGS[kind]
    assert len(text.encode()) < 1 * MiB
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    res = run_limited(["lint", "good.txt", "--no-cache"], tmp_path)
    err = res.stderr.decode("utf-8", "replace")
    assert res.returncode == 2, err
    assert "Traceback" not in err and "MemoryError" not in err and "RecursionError" not in err, err
    line = err.strip().splitlines()[-1]
    assert "E200" in line and name in line and words in line, err


@pytest.mark.parametrize("kind", ["anchor-bomb", "recursive-anchor", "deep-block-yaml"])
def test_hostile_pack_is_one_e201(kind, tmp_path):
    _name, text, words = CONFIGS[kind]
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "evil.yaml").write_text(text.replace("select:", "rules:"), encoding="utf-8")
    (tmp_path / "ecocheck.yaml").write_text("extra-rule-packs: [packs]\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    res = run_limited(["lint", "good.txt", "--no-cache"], tmp_path)
    err = res.stderr.decode("utf-8", "replace")
    assert res.returncode == 2, err
    assert "Traceback" not in err and "MemoryError" not in err, err
    assert "E201" in err and "evil.yaml" in err and words in err, err


def test_ordinary_anchors_still_work(tmp_path):
    (tmp_path / "ecocheck.yaml").write_text(
        "per-file-ignores:\n  a.txt: &skip [S]\n  b.txt: *skip\n  good.txt: *skip\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    res = run_limited(["lint", "good.txt", "--no-cache"], tmp_path)
    assert res.returncode == 1, res.stderr.decode()


def test_python_m_never_imports_a_plugin_from_the_checkout(tmp_path):
    """A committed ``*.dist-info`` with an ``ecocheck`` entry point, and the module it names."""
    marker = tmp_path / "pwned"
    dist = tmp_path / "evil_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: evil-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[ecocheck]\nevil = evil_plugin\n", encoding="utf-8")
    (dist / "RECORD").write_text("", encoding="utf-8")
    (tmp_path / "evil_plugin.py").write_text(
        f"open({str(marker)!r}, 'w').write('imported')\n", encoding="utf-8")
    (tmp_path / "yaml.py").write_text(f"open({str(marker)!r}, 'w').write('shadowed')\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    for args in (["lint", "good.txt", "--no-cache"], ["rules"], ["lint", "good.txt", "-j", "2"]):
        res = run_limited(args, tmp_path)
        assert res.returncode in (0, 1), res.stderr.decode()
        assert not marker.exists(), (args, marker.read_text())
        assert "evil" not in res.stdout.decode() + res.stderr.decode()


# ---------------------------------------------------------------------------
# item 10: a memory budget per document


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the budget reads /proc/self/statm")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_document_over_the_memory_budget_is_one_e009(jobs, tmp_path):
    """Scaled down: a 16 MiB budget and a .docx that needs more once parsed (the real case: a
    .docx inside every size limit that took 2.8 GiB to lint)."""
    from make_docx import build_docx

    build_docx(["关于某局的报告", "一、基本情况"] + ["现有党员XX人，" + "认真学习贯彻，" * 40] * 2000,
               tmp_path / "big.docx")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "other.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "ecocheck.yaml").write_text("limits:\n  max-memory-mib: 16\n", encoding="utf-8")
    res = run_limited(["lint", "big.docx", "good.txt", "other.txt", "--no-cache", "-j", jobs, "-f", "concise"],
                      tmp_path)
    out, err = res.stdout.decode(), res.stderr.decode("utf-8", "replace")
    assert res.returncode == 2, err
    assert "Traceback" not in err and "MemoryError" not in err + out, err
    assert "big.docx:1:1: E009" in out and "max-memory-mib" in out
    assert "good.txt:3:8: H301" in out and "other.txt:3:8: H301" in out
