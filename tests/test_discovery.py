"""Entry points from the user cache while nothing installed changes; from importlib.metadata
(and saved afresh) as soon as something does."""

from __future__ import annotations

import marshal
import os
import sys
from importlib.metadata import entry_points as metadata_entry_points

import pytest

from ecocheck.plugin import discovery


def expected(group="ecocheck"):
    return [(ep.name, ep.value, ep.dist.name, ep.dist.version) for ep in metadata_entry_points(group=group)]


def got(eps):
    return [(ep.name, ep.value, ep.dist, ep.version) for ep in eps]


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    discovery.entry_points.cache_clear()
    yield tmp_path / "ecocheck" / discovery.cache_file_name("ecocheck")
    discovery.entry_points.cache_clear()  # no later test may see this test's installs


@pytest.fixture()
def site(tmp_path, monkeypatch):
    """A directory on sys.path where a fake distribution can be installed."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    yield root
    discovery.entry_points.cache_clear()


def run_discovery(group="ecocheck"):
    """``entry_points`` as a new run sees it (the function remembers its answer for the process)."""
    discovery.entry_points.cache_clear()
    return discovery.entry_points(group)


def install(site, name, entry_points_txt):
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(entry_points_txt, encoding="utf-8")
    return info


def test_the_same_entry_points_as_importlib_metadata_first_run_and_cached(cache, monkeypatch):
    first = run_discovery()
    assert got(first) == expected() and cache.exists()
    monkeypatch.setattr(discovery, "_from_metadata", lambda group: pytest.fail("metadata read on a cache hit"))
    assert got(run_discovery()) == expected()
    assert {ep.name for ep in first} >= {"builtin", "packs"}


def test_installing_or_editing_a_plugin_is_seen_at_once(cache, site):
    run_discovery()
    install(site, "ecocheck_fake", "[ecocheck]\nfake = json:dumps\n")
    assert ("fake", "json:dumps", "ecocheck_fake", "1.0") in got(run_discovery())
    info = site / "ecocheck_fake-1.0.dist-info" / "entry_points.txt"
    info.write_text("[ecocheck]\nfake2 = json:loads\n", encoding="utf-8")
    os.utime(info, ns=(info.stat().st_mtime_ns + 10**9,) * 2)  # an edit in place, within one clock tick
    names = {ep.name for ep in run_discovery()}
    assert "fake2" in names and "fake" not in names
    assert got(run_discovery()) == expected()


def test_a_changed_sys_path_is_a_new_fingerprint_and_a_file_of_its_own(cache, monkeypatch, tmp_path):
    before = discovery._fingerprint("ecocheck")
    run_discovery()
    monkeypatch.syspath_prepend(str(tmp_path / "elsewhere"))
    assert discovery._fingerprint("ecocheck") != before
    run_discovery()
    assert cache.exists() and (cache.parent / discovery.cache_file_name("ecocheck")).exists()
    assert discovery.cache_file_name("ecocheck") != cache.name


@pytest.mark.parametrize("junk", [b"not marshal", marshal.dumps(("another fingerprint", {"ecocheck": []})),
                                  "rows", 3])
def test_a_broken_cache_file_is_ignored(cache, junk, monkeypatch):
    run_discovery()
    version, _entries = marshal.loads(cache.read_bytes())
    if not isinstance(junk, bytes):  # the right fingerprint with malformed rows
        junk = marshal.dumps((version, {"ecocheck": junk}))
    cache.write_bytes(junk)
    assert got(run_discovery()) == expected()


def test_loading_follows_the_entry_point_syntax():
    assert discovery.EntryPoint("x", "os.path:join", None).load() is os.path.join
    assert discovery.EntryPoint("x", "os.path", None).load() is os.path
    assert discovery.EntryPoint("x", "json : JSONDecoder.decode [extra]", None).load() is \
        sys.modules["json"].JSONDecoder.decode
    with pytest.raises(ValueError):
        discovery.EntryPoint("x", "not a value!", None).load()


def test_plugins_load_through_the_cache(cache):
    from ecocheck.plugin.manager import get_host

    get_host.cache_clear()
    try:
        host = get_host(())
        assert not host.failures
        assert {"builtin", "packs"} <= {name for name, _ in host.pm.list_name_plugin()}
    finally:
        get_host.cache_clear()


def test_one_process_looks_the_list_up_once(cache, monkeypatch):
    # the plugin host and the result cache's plugin stamp both ask for it
    calls = []
    real = discovery._fingerprint
    monkeypatch.setattr(discovery, "_fingerprint", lambda group: calls.append(group) or real(group))
    first = discovery.entry_points("ecocheck")
    assert discovery.entry_points("ecocheck") is first and calls == ["ecocheck"]
    assert isinstance(first, tuple)  # shared: nobody can change it for the others
