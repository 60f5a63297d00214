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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import E_CONFIG, ConfigError

PROFILE_KEYS = ("label", "description", "required", "expected", "optional", "order", "pairing", "title")
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
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(E_CONFIG, f"文种 {genre}：{key} 应为 true 或 false（{source}）")
            out[key] = value
        else:
            out[key] = "" if value is None else str(value)
    return out


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
    layers = list(_base_layers(disabled))
    user = getattr(config, "genres", None)
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


def check_genre(config: Any, genre: str | None) -> None:
    """Raise ConfigError (E200) when ``genre`` names no known profile."""
    if not genre:
        return
    profiles = load_genre_profiles(config)
    if genre not in profiles:
        raise ConfigError(E_CONFIG, f"未知的文种 {genre!r}（可用：{'、'.join(sorted(profiles))}；"
                                    f"可在配置 genres 中定义新文种）")
