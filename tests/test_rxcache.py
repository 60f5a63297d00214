"""Compiled patterns kept across runs: always exactly what ``re.compile`` gives, from the cache
or not, and any trouble with the cache only means compiling afresh."""

from __future__ import annotations

import marshal
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


def new_store() -> usercache.Store:
    return usercache.Store(rxcache.FILE_NAME, rxcache.STORE.version, valid=rxcache.STORE.valid)


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    """An empty cache directory and an rxcache that has not read anything yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(rxcache, "STORE", new_store())
    return tmp_path / "ecocheck" / rxcache.FILE_NAME


def next_run(monkeypatch):
    """What a new process sees: the saved file, nothing in memory."""
    rxcache.STORE.save()
    monkeypatch.setattr(rxcache, "STORE", new_store())


def assert_same(compiled: re.Pattern, pattern: str, flags: int) -> None:
    expected = re.compile(pattern, flags)
    assert compiled == expected  # flags, pattern and the compiled code itself
    assert (compiled.groups, compiled.groupindex) == (expected.groups, expected.groupindex)


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_from_the_cache_or_not_the_pattern_is_re_compiles(fresh, monkeypatch, pattern, flags):
    assert_same(rxcache.compile(pattern, flags), pattern, flags)
    next_run(monkeypatch)
    assert fresh.exists()
    assert rxcache.STORE.get((pattern, flags)) is not None  # the second run is served from the file
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
    assert all(rxcache.STORE.get(key) is not None for key in set(asked))
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
    store = rxcache.STORE
    rxcache.STORE = usercache.Store("unused", "test")
    rxcache.STORE._entries = {}
    try:
        assert rxcache.compile(pattern, flags) == expected  # compiled afresh, parts recorded
        assert rxcache.STORE.get((pattern, flags)) is not None
        assert rxcache.compile(pattern, flags) == expected  # rebuilt from the recorded parts
    finally:
        rxcache.STORE._added = 0  # nothing to save at exit
        rxcache.STORE = store


def test_a_corrupt_or_foreign_file_is_ignored(fresh, monkeypatch):
    fresh.parent.mkdir(parents=True)
    for junk in (b"not marshal at all", marshal.dumps(("another python", {("x", 0): (0, b"", 0, {}, ())})),
                 marshal.dumps((rxcache.STORE.version, {("x", 0): "not parts"}))):
        fresh.write_bytes(junk)
        os.chmod(fresh, 0o600)
        monkeypatch.setattr(rxcache, "STORE", new_store())
        assert rxcache.STORE.get(("x", 0)) is None
        assert_same(rxcache.compile("x", 0), "x", 0)


def test_a_damaged_entry_is_compiled_afresh(fresh, monkeypatch):
    rxcache.compile("[一-龥]+", 0)
    next_run(monkeypatch)
    flags, code, groups, gi, ig = rxcache.STORE.get(("[一-龥]+", 0))
    bad = rxcache.array(rxcache._WORD, [999999]).tobytes() + code  # an opcode _sre does not know
    rxcache.STORE._entries["[一-龥]+", 0] = (flags, bad, groups, gi, ig)
    assert_same(rxcache.compile("[一-龥]+", 0), "[一-龥]+", 0)


def test_a_file_others_could_write_is_not_read(fresh, monkeypatch):
    rxcache.compile("abc", 0)
    next_run(monkeypatch)
    os.chmod(fresh, 0o666)
    assert usercache.read(fresh) is None
    assert rxcache.STORE.get(("abc", 0)) is None


def test_parts_that_do_not_rebuild_the_pattern_are_not_kept(fresh, monkeypatch):
    monkeypatch.setattr(rxcache._compiler, "_code", lambda tree, flags: [1, 0])  # internals changed
    assert_same(rxcache.compile("abc", 0), "abc", 0)
    assert rxcache.STORE.get(("abc", 0)) is None


def test_without_the_internals_it_is_plain_re_compile(fresh, monkeypatch):
    monkeypatch.setattr(rxcache, "_sre", None)
    assert_same(rxcache.compile("中+", 0), "中+", 0)
    rxcache.STORE.save()
    assert not fresh.exists()


# -- the store underneath ------------------------------------------------------------------------

def test_store_keeps_values_for_the_next_run_and_only_this_runs_when_overfull(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = usercache.Store("s.marshal", "v1", max_entries=3)
    for k in ("a1", "a2", "a3", "a4"):
        first.put(k, [k, 1])
    first.save()
    second = usercache.Store("s.marshal", "v1", max_entries=3)
    assert second.get("a2") == ["a2", 1]  # over the limit, but all four were the first run's
    second.put("b1", {"x": (1, "二")})
    second.save()
    third = usercache.Store("s.marshal", "v1", max_entries=3)
    assert third.get("b1") == {"x": (1, "二")} and third.get("a2") == ["a2", 1] and third.get("a1") is None
    assert usercache.Store("s.marshal", "v2").get("b1") is None  # another version: ignored
    assert oct((tmp_path / "ecocheck" / "s.marshal").stat().st_mode & 0o777) == "0o600"


def test_store_skips_values_marshal_cannot_hold_and_unwritable_directories(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    store = usercache.Store("s.marshal", "v1")
    store.put("k", object())
    store.save()  # no exception, no file
    assert not (tmp_path / "ecocheck" / "s.marshal").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    store = usercache.Store("s.marshal", "v1")
    store.put("k", 1)
    store.save()  # no exception
    assert_same(rxcache.compile("[a-z]+", 0), "[a-z]+", 0)


def test_a_packs_pattern_does_not_depend_on_the_hash_seed(tmp_path):
    """Equal-length tokens must not come out in set order: the pattern would differ from run to
    run, and every run would miss the cache (and grow it)."""
    import subprocess
    import sys

    code = ("from importlib.resources import files; from ecocheck.engine.packs import load_pack; "
            "print(sorted(r.regex.pattern for p in files('ecocheck.packs').iterdir() if p.name.endswith('.yaml') "
            "for r in load_pack(str(p)) if getattr(r, 'regex', None) is not None))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1 and len(next(iter(outs))) > 100


def test_remembered_regex_facts_equal_fresh_analysis(tmp_path, monkeypatch):
    """The regex analyses' answers about a pattern, served from the cache, are the ones they compute."""
    from ecocheck.engine import regexcheck as rc
    from ecocheck.engine import regexgate as rg
    from ecocheck.engine import regexparse

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    patterns = [re.compile(p, f) for p, f in PATTERNS] + [re.compile(r"(?:[\[［【][^\]］】\n]{0,20})|(?:xx|XX)"),
                                                          re.compile("|".join(f"不{c}" for c in "一二三四五六七八九十" * 4))]
    fresh = [(rc._backtracking_risk(p.pattern, p.flags), rg._line_local(p), rg._match_gate(p),
              rg._one_char_items(p.pattern)) for p in patterns]

    def ask():
        return [(rc.backtracking_risk(p.pattern, p.flags), rg.line_local.__wrapped__(p),
                 getattr(rg.match_gate.__wrapped__(p), "pattern", None), rg.one_char_items(p.pattern))
                for p in patterns]

    monkeypatch.setattr(regexparse, "FACTS", usercache.Store("facts.marshal", "t"))
    assert ask() == fresh  # computed and recorded
    regexparse.FACTS.save()
    monkeypatch.setattr(regexparse, "FACTS", usercache.Store("facts.marshal", "t"))
    for module, name in ((rc, "_backtracking_risk"), (rg, "_line_local"), (rg, "_match_gate"), (rg, "_one_char_items")):
        monkeypatch.setattr(module, name, lambda *a, n=name: pytest.fail(f"{n} recomputed"))
    assert ask() == fresh  # served from the file
    assert any(f[2] for f in fresh)  # gates were exercised
    monkeypatch.undo()
    assert regexparse._DIGEST and regexparse._DIGEST in regexparse.FACTS.version
    # the remembered facts are versioned by the code of every module that computes them
    here = os.path.dirname(regexparse.__file__)
    assert sorted(regexparse._ANALYSES) == sorted(n for n in os.listdir(here) if n.startswith("regex") and n.endswith(".py"))
