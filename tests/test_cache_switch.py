"""ECOCHECK_NO_CACHE: one switch turns every cache off -- the user caches and .ecocheck_cache/ -- and the
report stays the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPORT = "某局工作报告\n一、基本情况\n现有党员**人，其中XX人参加培训。\n"


def _lint(cwd: Path, env: dict) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("ecocheck")
    return subprocess.run([str(exe), "lint", "r.txt", "--select", "H301", "-f", "json"], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=120)


def test_no_cache_switch_turns_every_cache_off(tmp_path):
    (tmp_path / "work" / ".git").mkdir(parents=True)  # a repository: its cache at its root
    (tmp_path / "work" / "r.txt").write_text(REPORT, encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "user-cache"), "PYTHONIOENCODING": "utf-8"}
    off = _lint(tmp_path / "work", {**env, "ECOCHECK_NO_CACHE": "1"})
    assert off.returncode == 1 and '"H301"' in off.stdout, off.stderr[-800:]
    assert not (tmp_path / "user-cache").exists() and not (tmp_path / "work" / ".ecocheck_cache").exists()
    on = _lint(tmp_path / "work", env)
    assert on.stdout == off.stdout
    assert (tmp_path / "user-cache" / "ecocheck").is_dir() and (tmp_path / "work" / ".ecocheck_cache").is_dir()
