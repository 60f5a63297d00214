"""Section roles (overview / problems / causes / measures) and genre detection.

The synonym lists and genre cues are data: ``ecocheck/data/sections.yaml``,
extendable from the user's configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import rxcache

ROLES = ("overview", "problems", "causes", "measures")
ROLE_NAMES = {"overview": "基本情况", "problems": "存在问题", "causes": "原因分析", "measures": "整改措施",
              "other": "其他"}


@dataclass
class SectionConfig:
    """Heading synonyms per section role, the salutation pattern, and the title cues of each genre."""

    synonyms: dict[str, list[str]]
    salutation: str
    genre_cues: list[tuple[str, list[str]]] = field(default_factory=list)  # (genre, title words), in order

    def __post_init__(self):
        self._salutation_re = rxcache.compile(self.salutation)
        pairs = [(syn, role) for role, syns in self.synonyms.items() for syn in syns]
        pairs.sort(key=lambda p: -len(p[0]))
        self._any = rxcache.compile("|".join(re.escape(s) for s, _ in pairs)) if pairs else None
        self._role_of_syn = dict(pairs)

    def role_of(self, heading: str) -> str:
        """Role of a heading: the synonym found earliest wins (the longest at a tie)."""
        if not self._any or not heading:
            return "other"
        m = self._any.search(heading)
        return self._role_of_syn[m.group(0)] if m else "other"

    def is_salutation(self, text: str) -> bool:
        return len(text) <= 30 and bool(self._salutation_re.match(text))

    def detect_genre(self, outline) -> str:
        if outline.salutation is not None:
            return "speech"
        title = outline.title_text or ""
        for genre, words in self.genre_cues:
            if any(k in title for k in words):
                return genre
        return "report"

    def extended(self, extra: dict[str, list[str]] | None) -> "SectionConfig":
        if not extra:
            return self
        merged = {role: list(syns) for role, syns in self.synonyms.items()}
        for role, syns in extra.items():
            merged.setdefault(role, [])
            merged[role].extend(s for s in syns if s not in merged[role])
        return SectionConfig(merged, self.salutation, self.genre_cues)


def load_section_data() -> dict:
    from ..resources import load_data

    return load_data("sections.yaml")


@lru_cache(maxsize=1)
def default_section_config() -> SectionConfig:
    data = load_section_data()
    synonyms = {role: list(v.get("synonyms", [])) for role, v in data["roles"].items()}
    return SectionConfig(synonyms=synonyms, salutation=data["salutation"],
                         genre_cues=[(str(c["genre"]), [str(w) for w in c["title"]]) for c in data["genre_cues"]])
