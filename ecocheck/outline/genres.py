"""Genre profiles: required sections, their order, pairing, title.

Three layers are merged, later ones winning key by key:

1. the shipped ``ecocheck/data/genres.yaml``;
2. every plugin's ``ecocheck_genre_profiles`` hook (``{genre: profile}``);
3. ``Config.genres`` from the user's configuration.

A profile named in a later layer that does not exist yet is a new genre; its
missing keys take the defaults of :class:`GenreProfile`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import E_CONFIG, ConfigError

PROFILE_KEYS = ("label", "description", "required", "expected", "optional", "order", "pairing", "title", "detect")
#: where a detection cue is looked for (see ecocheck/outline/genre_detect.py); ``roles`` lists role names
DETECT_PLACES = ("title", "opening", "body", "headings", "roles")
_LIST_KEYS = ("required", "expected", "optional", "order")
_BOOL_KEYS = ("pairing", "title")


@dataclass(frozen=True)
class GenreProfile:
    """What a genre needs: required, expected and optional sections, their order, pairing."""

    name: str
    label: str = ""
    description: str = ""
    required: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    order: tuple[str, ...] = ()
    pairing: bool = False
    title: bool = False
    detect: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (place, patterns) cues to recognise the genre
    sources: tuple[str, ...] = field(default=(), compare=False)  # where the values came from

    @property
    def display(self) -> str:
        return self.label or self.name


def _check(genre: str, profile: Any, source: str) -> dict[str, Any]:
    if not isinstance(genre, str) or not genre.strip():
        raise ConfigError(E_CONFIG, f"文种名称 {genre!r} 无效（{source}）")
    if profile is None:
        return {}
    if not isinstance(profile, dict):
        raise ConfigError(E_CONFIG, f"文种 {genre} 的配置应为映射，而不是 {type(profile).__name__}（{source}）")
    out: dict[str, Any] = {}
    for key, value in profile.items():
        if key == "__line__":
            continue
        if key not in PROFILE_KEYS:
            raise ConfigError(E_CONFIG, f"文种 {genre}：未知的键 {key!r}（可用：{'、'.join(PROFILE_KEYS)}；{source}）")
        if key in _LIST_KEYS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ConfigError(E_CONFIG, f"文种 {genre}：{key} 应为角色名列表（{source}）")
            out[key] = tuple(v.strip() for v in value if v.strip())
        elif key == "detect":
            out[key] = _check_detect(genre, value, source)
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(E_CONFIG, f"文种 {genre}：{key} 应为 true 或 false（{source}）")
            out[key] = value
        else:
            out[key] = "" if value is None else str(value)
    return out


def _check_detect(genre: str, value: Any, source: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``detect``: ``{place: [regex, …]}`` (``roles``: role names); every regex must compile (whether it
    can backtrack catastrophically is checked by :func:`genre_cues` / :func:`check_genre` given ``risk``)."""
    from .roles import ROLES

    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ConfigError(E_CONFIG, f"文种 {genre}：detect 应为 {{位置: [正则, …]}} 映射（{source}）")
    out = []
    for place, patterns in value.items():
        if place == "__line__":
            continue
        if place not in DETECT_PLACES:
            raise ConfigError(E_CONFIG, f"文种 {genre}：detect 中未知的位置 {place!r}"
                                        f"（可用：{'、'.join(DETECT_PLACES)}；{source}）")
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, (list, tuple)) or not all(isinstance(p, str) and p for p in patterns):
            raise ConfigError(E_CONFIG, f"文种 {genre}：detect.{place} 应为非空字符串列表（{source}）")
        for p in patterns:
            if place == "roles":
                if p not in ROLES:
                    raise ConfigError(E_CONFIG, f"文种 {genre}：detect.roles 中未知的角色 {p!r}"
                                                f"（可用：{'、'.join(ROLES)}；{source}）")
                continue
            try:
                re.compile(p)
            except re.error as exc:
                raise ConfigError(E_CONFIG,
                                  f"文种 {genre}：detect.{place} 的正则 {p!r} 无效：{exc}（{source}）") from None
        out.append((str(place), tuple(patterns)))
    return tuple(out)


def merge_profiles(layers: list[tuple[str, dict[str, Any]]]) -> dict[str, GenreProfile]:
    """Merge ``(source, {genre: profile})`` layers in order into profiles."""
    merged: dict[str, dict[str, Any]] = {}
    sources: dict[str, list[str]] = {}
    for source, mapping in layers:
        if mapping is None:
            continue
        if not isinstance(mapping, dict):
            raise ConfigError(E_CONFIG, f"文种配置应为 {{文种: 配置}} 映射（{source}）")
        for genre, profile in mapping.items():
            if genre == "__line__":
                continue
            values = _check(genre, profile, source)
            merged.setdefault(genre, {}).update(values)
            sources.setdefault(genre, []).append(source)
    return {g: GenreProfile(name=g, sources=tuple(sources[g]), **v) for g, v in merged.items()}


def shipped_profiles_data() -> dict[str, Any]:
    from ..resources import load_data

    data = load_data("genres.yaml")
    return data.get("genres", {})


@lru_cache(maxsize=8)
def _base_layers(disabled: tuple[str, ...]) -> tuple[tuple[str, Any], ...]:
    """Shipped profiles plus every plugin's contribution (cached per set of disabled plugins)."""
    from ..plugin.manager import get_host

    shipped = shipped_profiles_data()
    layers: list[tuple[str, Any]] = [("built-in", shipped)]
    host = get_host(disabled)
    # a copy: a plugin that changes what it reads cannot change the shipped profiles
    for source, _plugin, result in host.call_each("ecocheck_genre_profiles", profiles=copy.deepcopy(shipped)):
        layers.append((f"plugin:{source}", result))
    return tuple(layers)


def load_genre_profiles(config: Any = None) -> dict[str, GenreProfile]:
    """Every known genre profile for a run: shipped, plugins, then ``config.genres``."""
    disabled = tuple(getattr(config, "disable_plugins", None) or ())
    user = getattr(config, "genres", None) or None
    base = _base_layers(disabled)
    try:
        key = (disabled, _freeze(user))
    except TypeError:  # a value no YAML gives: merge (and fail or succeed) uncached
        return _merge(base, user)
    hit = _MERGED.get(key)
    if hit is None or hit[0] is not base:  # a cleared _base_layers cache (tests) means new plugins
        if len(_MERGED) >= 32:
            _MERGED.clear()
        hit = _MERGED[key] = (base, _merge(base, user))
    return hit[1]


#: merged profiles per (disabled plugins, user profiles): validating every cue's regex costs
_MERGED: dict[Any, tuple[Any, dict[str, GenreProfile]]] = {}


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return ("__list__", *(_freeze(v) for v in value))
    hash(value)
    return value


def _merge(base, user: Any) -> dict[str, GenreProfile]:
    layers = list(base)
    if user:
        layers.append(("config", user))
    return merge_profiles(layers)


def genre_profile(config: Any, genre: str, outline: Any = None) -> GenreProfile:
    """The profile of ``genre`` (an empty profile for an unknown genre).

    With ``outline``, the merged profiles are memoised in ``outline.cache``.
    """
    profiles = None
    if outline is not None:
        profiles = outline.cache.get("genre_profiles")
    if profiles is None:
        profiles = load_genre_profiles(config)
        if outline is not None:
            outline.cache["genre_profiles"] = profiles
    return profiles.get(genre) or GenreProfile(name=genre)


@lru_cache(maxsize=16)
def _cues(profiles_key: tuple) -> tuple:
    from .genre_detect import compile_cues

    return tuple(compile_cues(name, label, dict(detect), required) for name, label, detect, required in profiles_key)


#: profile sets whose detection regexes passed the backtracking check
_RISK_CHECKED: set[tuple] = set()


def _check_risk(profiles: dict[str, GenreProfile], key: tuple, risk: Callable[[str], str | None]) -> None:
    if key in _RISK_CHECKED:
        return
    for prof in profiles.values():
        for place, patterns in prof.detect:
            if place == "roles":
                continue
            for p in patterns:
                why = risk(p)
                if why:
                    raise ConfigError(E_CONFIG, f"文种 {prof.name}：detect.{place} 的正则 {p!r} 可能极慢：{why}"
                                                f"（{'、'.join(prof.sources)}）")
    if len(_RISK_CHECKED) > 64:
        _RISK_CHECKED.clear()
    _RISK_CHECKED.add(key)


def genre_cues(config: Any = None, risk: Callable[[str], str | None] | None = None) -> tuple:
    """The detection cues of every profile of a run (shipped, plugins, config), in definition order.

    ``risk`` (the engine's ``regexcheck.backtracking_risk``; this layer cannot import it) refuses a
    pattern that can backtrack catastrophically with E200."""
    profiles = load_genre_profiles(config)
    key = tuple((p.name, p.label, p.detect, len(p.required)) for p in profiles.values())
    if risk is not None:
        _check_risk(profiles, key, risk)
    return _cues(key)


def check_genre(config: Any, genre: str | None, risk: Callable[[str], str | None] | None = None) -> None:
    """Raise ConfigError (E200) when ``genre`` (or a genre of the config's per-path ``genre``) names no
    known profile, or (given ``risk``, see :func:`genre_cues`) a detection pattern is unsafe."""
    wanted = ([genre] if genre else []) + list((getattr(config, "genre_paths", None) or {}).values())
    profiles = load_genre_profiles(config)
    if risk is not None:
        genre_cues(config, risk)
    for name in wanted:
        if name not in profiles:
            raise ConfigError(E_CONFIG, f"未知的文种 {name!r}（可用：{'、'.join(sorted(profiles))}；"
                                        f"可在配置 genres 中定义新文种）")
