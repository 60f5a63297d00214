"""Compiled patterns kept across runs: always exactly what ``re.compile`` gives, from the cache
or not, and any trouble with the cache only means compiling afresh."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecocheck import rxcache, usercache
from ecocheck.engine.packs import load_pack
from ecocheck.engine.packs_plugin import ecocheck_rule_packs

PATTERNS = [
    (r"[\u4e00-\u9fff]+", 0),
    (r"(?<=[㐀-䶿一-鿿])”([〇○零一二三四五六七八九十]+)“(?=[一-鿿])", 0),
    (r"(?P<num>[0-9]+)(?P<unit>人次|万元|个)(?:[（(][^）)]{0,2}[）)])?", 0),
    (r"^\s*(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十]+[）)])", re.MULTILINE),
    (r"xx|XXX|\*\*", re.IGNORECASE),
    (r"(\w)\1", re.UNICODE),
    (r"a.b  # comment\n c", re.VERBOSE | re.DOTALL),
    (r"(?i:abc)[^\S\n]+(?m:^)\d", 0),
    (r"[\U00020000-\U0002fa1f]", 0),
]


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    """An empty cache directory and an rxcache that has not read anything yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(rxcache, "_entries", None)
    monkeypatch.setattr(rxcache, "_used", set())
    monkeypatch.setattr(rxcache, "_new", 0)
    return tmp_path / "ecocheck" / rxcache.FILE_NAME


def next_run(monkeypatch):
    """What a new process sees: the saved file, nothing in memory."""
    rxcache.save()
    monkeypatch.setattr(rxcache, "_entries", None)
    monkeypatch.setattr(rxcache, "_used", set())


def assert_same(compiled: re.Pattern, pattern: str, flags: int) -> None:
    expected = re.compile(pattern, flags)
    assert compiled == expected  # flags, pattern and the compiled code itself
    assert (compiled.groups, compiled.groupindex) == (expected.groups, expected.groupindex)


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_from_the_cache_or_not_the_pattern_is_re_compiles(fresh, monkeypatch, pattern, flags):
    assert_same(rxcache.compile(pattern, flags), pattern, flags)
    next_run(monkeypatch)
    assert fresh.exists()
    assert (pattern, flags) in rxcache._load()  # the second run is served from the file
    assert_same(rxcache.compile(pattern, flags), pattern, flags)
    text = "共有党员86人次，XX同志、（一）一是 abc\n  7实实在在𠀀"
    assert [m.span() for m in rxcache.compile(pattern, flags).finditer(text)] == \
        [m.span() for m in re.finditer(pattern, text, flags)]


def test_every_shipped_pack_pattern_round_trips(fresh, monkeypatch):
    asked, real = [], rxcache.compile
    monkeypatch.setattr(rxcache, "compile", lambda p, f=0: asked.append((p, int(f))) or real(p, f))
    for path in ecocheck_rule_packs():
        load_pack(str(path))
    assert len(set(asked)) > 30
    next_run(monkeypatch)
    assert set(asked) <= set(rxcache._load())
    for pattern, flags in set(asked):
        assert_same(real(pattern, flags), pattern, flags)


FRAGMENTS = ["a", "中", "[一-龥]", "[^，。\\n]", "\\d+", "(x|yy)", "(?P<g>字)", "(?:ab)?", "\\s*", ".", "^", "$",
             "{1,3}", "*", "+?", "(?=中)", "(?<!a)", "\\b", "[\\u3000-\\u303f]", "|", "(", ")", "\\1"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8), st.sampled_from([0, re.IGNORECASE, re.MULTILINE | re.DOTALL]))
def test_any_pattern_re_accepts_comes_back_identical(tmp_path_factory, parts, flags):
    pattern = "".join(parts)
    try:
        expected = re.compile(pattern, flags)
    except re.error:
        with pytest.raises(re.error):
            rxcache.compile(pattern, flags)
        return
    rxcache._entries, rxcache._new = {}, 0
    assert rxcache.compile(pattern, flags) == expected  # compiled afresh, parts recorded
    assert rxcache.compile(pattern, flags) == expected  # rebuilt from the recorded parts
    rxcache._entries, rxcache._new = None, 0


def test_a_corrupt_or_foreign_file_is_ignored(fresh, monkeypatch):
    fresh.parent.mkdir(parents=True)
    for junk in (b"not marshal at all", rxcache.marshal.dumps(("another python", {("x", 0): (0, [], 0, {}, ())})),
                 rxcache.marshal.dumps((rxcache._KEY, {("x", 0): "not parts"}))):
        fresh.write_bytes(junk)
        os.chmod(fresh, 0o600)
        monkeypatch.setattr(rxcache, "_entries", None)
        assert rxcache._load() == {}
        assert_same(rxcache.compile("x", 0), "x", 0)


def test_a_damaged_entry_is_compiled_afresh(fresh, monkeypatch):
    rxcache.compile("[一-龥]+", 0)
    next_run(monkeypatch)
    flags, code, groups, gi, ig = rxcache._load()["[一-龥]+", 0]
    rxcache._entries["[一-龥]+", 0] = (flags, [999999] + code, groups, gi, ig)  # _sre rejects invalid code
    assert_same(rxcache.compile("[一-龥]+", 0), "[一-龥]+", 0)


def test_a_file_others_could_write_is_not_read(fresh, monkeypatch):
    rxcache.compile("abc", 0)
    next_run(monkeypatch)
    os.chmod(fresh, 0o666)
    assert usercache.read(fresh) is None
    assert rxcache._load() == {}


def test_parts_that_do_not_rebuild_the_pattern_are_not_kept(fresh, monkeypatch):
    monkeypatch.setattr(rxcache._compiler, "_code", lambda tree, flags: [1, 0])  # internals changed
    assert_same(rxcache.compile("abc", 0), "abc", 0)
    assert rxcache._entries == {} and rxcache._new == 0


def test_without_the_internals_it_is_plain_re_compile(fresh, monkeypatch):
    monkeypatch.setattr(rxcache, "_sre", None)
    assert_same(rxcache.compile("中+", 0), "中+", 0)
    rxcache.save()
    assert not fresh.exists()


def test_an_overfull_file_keeps_only_this_runs_patterns(fresh, monkeypatch):
    monkeypatch.setattr(rxcache, "MAX_ENTRIES", 3)
    for p in ("a1", "a2", "a3", "a4"):
        rxcache.compile(p, 0)
    next_run(monkeypatch)
    assert len(rxcache._load()) == 4  # over the limit, but all four were this run's
    rxcache.compile("b1", 0)
    next_run(monkeypatch)
    assert set(rxcache._load()) == {("b1", 0)}


def test_an_unwritable_cache_directory_costs_nothing_but_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(rxcache, "_entries", None)
    monkeypatch.setattr(rxcache, "_new", 0)
    assert_same(rxcache.compile("[a-z]+", 0), "[a-z]+", 0)
    rxcache.save()  # no exception
