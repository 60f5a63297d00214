"""Section roles (overview / problems / causes / measures) and the salutation line.

The synonym lists are data: ``ecocheck/data/sections.yaml``, extendable from the
user's configuration.  Genre detection is :mod:`ecocheck.outline.genre_detect`.
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
    """Heading synonyms per section role and the salutation pattern."""

    synonyms: dict[str, list[str]]
    salutation: str
    #: keyword cues for headings no synonym names: (role, words, priority); see sections.yaml ``role_cues``
    role_cues: list[tuple[str, list[str], int]] = field(default_factory=list)
    #: phrases that hold a cue word but give no role (问题导向, 政治方向)
    cue_exclusions: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._salutation_re = rxcache.compile(self.salutation)
        pairs = [(syn, role) for role, syns in self.synonyms.items() for syn in syns]
        pairs.sort(key=lambda p: -len(p[0]))
        self._any = rxcache.compile("|".join(re.escape(s) for s, _ in pairs)) if pairs else None
        self._role_of_syn = dict(pairs)
        cues = [(w, role, prio) for role, words, prio in self.role_cues for w in words]
        cues.sort(key=lambda c: -len(c[0]))
        self._cue_re = rxcache.compile("|".join(re.escape(w) for w, _, _ in cues)) if cues else None
        self._cue_of = {w: (role, prio) for w, role, prio in reversed(cues)}  # the first listed wins a duplicate
        excl = sorted(self.cue_exclusions, key=len, reverse=True)
        self._cue_excl_re = rxcache.compile("|".join(re.escape(w) for w in excl)) if excl else None

    def role_of(self, heading: str) -> str:
        """Role of a heading: the synonym found earliest wins (the longest at a tie); without a
        synonym, the keyword cue of the highest priority (the last one in the heading at a tie:
        a Chinese noun phrase ends with its head, 问题整改的对策路径)."""
        if not heading:
            return "other"
        m = self._any.search(heading) if self._any else None
        if m:
            return self._role_of_syn[m.group(0)]
        if self._cue_re is None:
            return "other"
        if self._cue_excl_re is not None:
            heading = self._cue_excl_re.sub(lambda m: "|" * len(m.group(0)), heading)
        best: tuple[int, int, str] | None = None
        for c in self._cue_re.finditer(heading):
            role, prio = self._cue_of[c.group(0)]
            if best is None or (prio, c.start()) >= best[:2]:
                best = (prio, c.start(), role)
        return best[2] if best else "other"

    def synonym_end(self, text: str, start: int, end: int) -> int | None:
        """Where the first role synonym in ``text[start:end]`` ends, if one starts within the first
        ``end - start`` characters (None without one): the end of a heading run into its text."""
        m = self._any.search(text, start, end) if self._any else None
        return m.end() if m else None

    def is_salutation(self, text: str) -> bool:
        return len(text) <= 30 and bool(self._salutation_re.match(text))

    def extended(self, extra: dict[str, list[str]] | None) -> "SectionConfig":
        if not extra:
            return self
        merged = {role: list(syns) for role, syns in self.synonyms.items()}
        for role, syns in extra.items():
            merged.setdefault(role, [])
            merged[role].extend(s for s in syns if s not in merged[role])
        return SectionConfig(merged, self.salutation, self.role_cues, self.cue_exclusions)


def load_section_data() -> dict:
    from ..resources import load_data

    return load_data("sections.yaml")


@lru_cache(maxsize=1)
def default_section_config() -> SectionConfig:
    data = load_section_data()
    synonyms = {role: list(v.get("synonyms", [])) for role, v in data["roles"].items()}
    return SectionConfig(synonyms=synonyms, salutation=data["salutation"],
                         role_cues=[(str(c["role"]), [str(w) for w in c["words"]], int(c.get("priority", 0)))
                                    for c in data.get("role_cues") or []],
                         cue_exclusions=[str(w) for w in data.get("role_cue_exclusions") or []])
