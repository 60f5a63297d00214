"""The built outline parser is kept in the user's cache directory and reused; any trouble with
the saved file means building the parser again, never a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lark import Token

from ecocheck import usercache
from ecocheck.outline import grammar

TOKENS = [Token("TITLE", "关于某局的报告"), Token("H1", "一、"), Token("TEXT", "正文"), Token("H2", "（一）"),
          Token("H1", "二、"), Token("H3", "1."), Token("TEXT", "正文")]


def _saved(directory: Path) -> list[Path]:
    return sorted(directory.glob("outline-parser-*.pickle"))


def test_saved_then_reused(tmp_path, monkeypatch):
    built = grammar.cached_parser(tmp_path)
    [saved] = _saved(tmp_path)
    assert saved.stat().st_mode & 0o777 == 0o600

    def no_build():
        raise AssertionError("the saved parser should have been used")

    monkeypatch.setattr(grammar, "_build", no_build)
    loaded = grammar.cached_parser(tmp_path)
    assert loaded.parse(TOKENS, start="document") == built.parse(TOKENS, start="document")
    assert [t.name for t in loaded.terminals] == [t.name for t in built.terminals]
    assert {t.name: t.pattern.to_regexp() for t in loaded.terminals} == \
        {t.name: t.pattern.to_regexp() for t in built.terminals}


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_corrupt_file_is_rebuilt_and_replaced(tmp_path, damage, capsys):
    grammar.cached_parser(tmp_path)
    [saved] = _saved(tmp_path)
    saved.write_bytes(damage)
    parser = grammar.cached_parser(tmp_path)
    assert parser.parse(TOKENS, start="document").data == "document"
    assert saved.read_bytes() != damage
    assert capsys.readouterr() == ("", "")  # silent


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_file_others_could_have_written_is_not_loaded(tmp_path, monkeypatch):
    grammar.cached_parser(tmp_path)
    [saved] = _saved(tmp_path)
    saved.chmod(0o666)
    calls = []
    real = grammar._build
    monkeypatch.setattr(grammar, "_build", lambda: calls.append(1) or real())
    grammar.cached_parser(tmp_path)
    assert calls == [1]


def test_an_unusable_directory_only_costs_the_build(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    parser = grammar.cached_parser(blocker / "ecocheck")
    assert parser.parse(TOKENS, start="document").data == "document"
    assert grammar.cached_parser(None).parse(TOKENS, start="document").data == "document"


def test_cache_dir_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert usercache.cache_dir() == tmp_path / "ecocheck"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored by the spec
    monkeypatch.setenv("HOME", str(tmp_path))
    assert usercache.cache_dir() == tmp_path / ".cache" / "ecocheck"
