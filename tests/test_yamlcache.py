"""Parsed YAML (packs, data files) kept across runs: the same data, line marks included, and a
warm run imports neither yaml nor importlib.metadata."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.resources import files

import pytest

from ecocheck import usercache, yamlio
from ecocheck.engine import packs


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(yamlio, "STORE", usercache.Store("yaml-data.marshal", yamlio.STORE.version))
    return tmp_path


def next_run(monkeypatch):
    yamlio.STORE.save()
    monkeypatch.setattr(yamlio, "STORE", usercache.Store("yaml-data.marshal", yamlio.STORE.version))


def lines_of(obj):
    """Everything a pack loader reads: values, __line__ and every mapping's key_lines."""
    if isinstance(obj, dict):
        return ({k: lines_of(v) for k, v in obj.items()}, getattr(obj, "key_lines", None), type(obj).__name__)
    if isinstance(obj, list):
        return [lines_of(v) for v in obj]
    return obj


SHIPPED = sorted(p for p in files("ecocheck.packs").iterdir() if p.name.endswith(".yaml"))


@pytest.mark.parametrize("pack", SHIPPED, ids=lambda p: p.name)
def test_a_pack_from_the_cache_is_the_pack_parsed(store, monkeypatch, pack):
    text = pack.read_text(encoding="utf-8")
    parsed = packs._parse_with_lines(text, str(pack))
    assert lines_of(packs.load_yaml_with_lines(text, str(pack))) == lines_of(parsed)
    next_run(monkeypatch)
    monkeypatch.setattr(packs, "_parse_with_lines", lambda t, p: pytest.fail("parsed again"))
    again = packs.load_yaml_with_lines(text, str(pack))
    assert lines_of(again) == lines_of(parsed)
    assert packs.key_line(again["rules"][0], "code", None) == packs.key_line(parsed["rules"][0], "code", None)


def test_errors_and_unkeepable_values_are_not_cached(store, monkeypatch):
    with pytest.raises(packs.ConfigError):
        packs.load_yaml_with_lines("rules: [a, b", "bad.yaml")
    assert yamlio.cached_safe_load("when: 2024-01-01\n") == {"when": __import__("datetime").date(2024, 1, 1)}
    next_run(monkeypatch)
    assert yamlio.STORE._load() == {}
    with pytest.raises(packs.ConfigError):
        packs.load_yaml_with_lines("rules: [a, b", "bad.yaml")


def test_a_damaged_entry_is_parsed_again(store, monkeypatch):
    text = "rules:\n  - code: W990\n"
    good = lines_of(packs.load_yaml_with_lines(text, "x.yaml"))
    next_run(monkeypatch)
    (key,) = yamlio.STORE._load()
    yamlio.STORE._entries[key] = ("not", "a", "mapping")  # decoding it fails
    assert lines_of(packs.load_yaml_with_lines(text, "x.yaml")) == good
    assert yamlio.STORE._entries[key] != ("not", "a", "mapping")  # replaced by the fresh parse


def test_a_warm_run_imports_neither_yaml_nor_importlib_metadata_nor_resources(tmp_path):
    # the first run fills the user cache (and may import importlib.metadata, which brings
    # importlib.resources); the second is every later run.  Package data is found through
    # ecocheck.resources.package_dir, not importlib.resources.
    report = tmp_path / "r.txt"
    report.write_text("关于某局的报告\n一、基本情况\n共有党员**人。\n", encoding="utf-8")
    code = ("import sys; from ecocheck.cli import main; sys.argv = ['ecocheck', 'lint', '-q', '--no-cache', "
            f"{str(report)!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('yaml', 'importlib.metadata', 'email', 'importlib.resources') if m in sys.modules))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
            for _ in range(2)]
    last = [line for line in runs[1].stdout.splitlines() if line.startswith("LOADED")]
    assert last == ["LOADED []"], runs[1].stdout[-500:] + runs[1].stderr[-500:]
    assert "H301" in runs[1].stdout and runs[0].stdout.count("H301") == runs[1].stdout.count("H301")
