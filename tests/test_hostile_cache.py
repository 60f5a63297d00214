"""The result cache against a hostile tree (issue 21 item 7).

``.ecocheck_cache/`` lies in the linted tree, so a pull request can plant entries in it, point
it elsewhere with a symlink, or fill it.  Entries are authenticated with a key kept outside the
tree, validated field by field, bounded in size and number; the key of an entry does not change
when the same version is installed again (CI installs afresh on every run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import hashlib
import hmac

import pytest

from ecocheck.model import FileResult, Finding, Severity
from ecocheck.run import cache as cache_mod
from ecocheck.run.cache import Cache

GOOD = "关于某局政治生态情况的报告\n一、基本情况\n局机关现有党员XX人。\n"  # H301 at 3:8
HANG_GUARD = 300


def run(args: list[str], cwd: Path, **env) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", **env}
    return subprocess.run([sys.executable, "-m", "ecocheck", *args], cwd=cwd, capture_output=True, env=full_env,
                          timeout=HANG_GUARD)


def codes(stdout: bytes) -> list[str]:
    return [x["code"] for f in json.loads(stdout)["files"] for x in f["findings"]]


def entries(root: Path) -> list[Path]:
    return sorted((root / ".ecocheck_cache").rglob("*.json"))


@pytest.fixture
def user_cache(tmp_path, monkeypatch):
    """A user cache of the test's own (the per-user key lives there)."""
    home = tmp_path / "usercache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ECOCHECK_CACHE_KEY", raising=False)
    return {"XDG_CACHE_HOME": str(home)}


def test_a_forged_entry_does_not_replace_the_findings(tmp_path, user_cache):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # the cache lies at the repository's root
    (repo / "a.txt").write_text(GOOD, encoding="utf-8")
    res = run(["lint", "a.txt", "--isolated", "-f", "json"], repo, **user_cache)
    assert "H301" in codes(res.stdout)
    [entry] = entries(repo)
    mac, _, payload = entry.read_bytes().partition(b"\n")
    data = json.loads(payload)
    data["findings"] = []  # "this file is clean"
    forged = json.dumps(data, separators=(",", ":")).encode()
    for content in (mac + b"\n" + forged,  # the old signature
                    hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged,  # a guess
                    hmac.new(b"", forged, hashlib.sha256).hexdigest().encode() + b"\n" + forged,
                    forged):  # the unsigned format
        entry.write_bytes(content)
        res = run(["lint", "a.txt", "--isolated", "-f", "json"], repo, **user_cache)
        assert res.returncode == 1 and "H301" in codes(res.stdout), content[:80]
    # a key given to CI (ECOCHECK_CACHE_KEY) signs and checks the same way
    res = run(["lint", "a.txt", "--isolated", "-f", "json"], repo, ECOCHECK_CACHE_KEY="ci-secret", **user_cache)
    assert "H301" in codes(res.stdout)


def test_entries_are_validated_field_by_field(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOCHECK_CACHE_KEY", "test-key")
    cache = Cache(str(tmp_path / ".ecocheck_cache"))
    finding = Finding(code="H301", name="placeholder", severity=Severity.WARNING, message="m", path="a.txt",
                      line=3, column=8, end_line=3, end_column=10, text="XX")
    cache.put("k" * 64, FileResult(path="a.txt", genre="report", findings=[finding]))
    assert cache.get("k" * 64).findings == [finding]
    entry = Path(cache._entry("k" * 64))
    good = json.loads(entry.read_bytes().partition(b"\n")[2])
    bad_values = [("line", "3"), ("line", True), ("severity", "fatal"), ("severity", 3), ("fix", {"replacement": 1}),
                  ("message", None), ("paragraph", 1.5), ("extra", 1)]
    for name, value in bad_values:
        data = json.loads(json.dumps(good))
        data["findings"][0][name] = value
        payload = json.dumps(data).encode()
        entry.write_bytes(cache._mac(payload).encode() + b"\n" + payload)  # signed, yet malformed
        assert cache.get("k" * 64) is None, (name, value)
    for data in ([], {"key": "k" * 64}, {**good, "findings": {}}, {**good, "path": 7}, {**good, "key": "x"}):
        payload = json.dumps(data).encode()
        entry.write_bytes(cache._mac(payload).encode() + b"\n" + payload)
        assert cache.get("k" * 64) is None, data
    payload = b"[" * 100_000 + b"]" * 100_000
    entry.write_bytes(cache._mac(payload).encode() + b"\n" + payload)
    assert cache.get("k" * 64) is None


def test_an_entry_that_is_a_fifo_or_huge_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOCHECK_CACHE_KEY", "test-key")
    cache = Cache(str(tmp_path / ".ecocheck_cache"))
    cache.put("a" * 64, FileResult(path="a.txt", genre=None, findings=[]))
    entry = Path(cache._entry("a" * 64))
    entry.unlink()
    os.mkfifo(entry)
    assert cache.get("a" * 64) is None  # returns at once: a FIFO is never opened for a blocking read
    entry.unlink()
    entry.symlink_to("/dev/zero")
    assert cache.get("a" * 64) is None
    entry.unlink()
    with open(entry, "wb") as fh:
        fh.truncate(cache_mod.MAX_ENTRY_BYTES + 1)
    assert cache.get("a" * 64) is None


def test_a_symlinked_cache_directory_is_not_used(tmp_path, user_cache):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "a.txt").write_text(GOOD, encoding="utf-8")
    (repo / ".ecocheck_cache").symlink_to(elsewhere)
    for _ in range(2):
        res = run(["lint", "a.txt", "--isolated", "-f", "json"], repo, **user_cache)
        assert res.returncode == 1 and "H301" in codes(res.stdout)
    assert list(elsewhere.rglob("*")) == []
    (repo / ".ecocheck_cache").unlink()
    (repo / ".ecocheck_cache").mkdir()
    (repo / ".ecocheck_cache" / "v2").symlink_to(elsewhere)
    res = run(["lint", "a.txt", "--isolated", "-f", "json"], repo, **user_cache)
    assert "H301" in codes(res.stdout)
    assert list(elsewhere.rglob("*")) == []


def test_the_cache_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOCHECK_CACHE_KEY", "test-key")
    cache = Cache(str(tmp_path / ".ecocheck_cache"))
    for i in range(30):
        cache.put(f"{i:064x}", FileResult(path=f"{i}.txt", genre=None, findings=[]))
    assert len(entries(tmp_path)) == 30
    assert cache.prune(keep=10) == 21
    assert len(entries(tmp_path)) == 9
    kept = {p.stem for p in entries(tmp_path)}
    assert f"{29:064x}" in kept or len(kept) == 9  # the newest stay (mtime order; ties broken by name)


def test_the_code_stamp_follows_contents_not_install_time_or_place(tmp_path):
    pkg = tmp_path / "site-a" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "m.py").write_text("X = 1\n", encoding="utf-8")
    (pkg / "r.yaml").write_text("a: 1\n", encoding="utf-8")

    def stamp(root: Path) -> str:
        h = hashlib.sha256()
        cache_mod._tree_stamp(h, str(root))
        return h.hexdigest()

    first = stamp(pkg)
    os.utime(pkg / "m.py", ns=(1, 1))  # installed again: new mtimes
    assert stamp(pkg) == first
    other = tmp_path / "site-b" / "pkg"  # another virtualenv
    other.parent.mkdir()
    os.rename(pkg, other)
    assert stamp(other) == first
    (other / "m.py").write_text("X = 2\n", encoding="utf-8")  # an edited checkout
    assert stamp(other) != first
