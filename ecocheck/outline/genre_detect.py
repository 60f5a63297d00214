"""Genre detection: which profile of ``genres.yaml`` a document belongs to, with the evidence.

Every profile may carry a ``detect`` mapping of regular expressions per *place* of the document
(see ``ecocheck/data/genres.yaml`` and docs/genres.md).  Each cue found gives the genre points:

========  ======================================================================  ======
place     what is searched                                                        points
========  ======================================================================  ======
title     the title block: the short lines before the body (title, subtitle,      6
          byline); only the match ending last in the block counts, over all
          genres (a title ends with its 文种: 关于政治生态情况的调研报告)
opening   the salutation: the first short line among the opening lines that       5
          matches (同志们：, 各位代表：, 大家好！)
body      the opening text before the first heading and the last two paragraphs   3 each (≤ 6)
headings  the first-level headings; each pattern matching one of them             1 each (≤ 3)
roles     all the listed section roles present among the first-level sections     2
========  ======================================================================  ======

The genre with the most points wins when it has at least :data:`MIN_SCORE`; a tie goes to the
genre that requires fewer sections (the one that can raise fewer false alarms), then to the one
defined first.  Below :data:`MIN_SCORE` the document is :data:`GENERAL`: no section is required.

This module is pure: it reads an :class:`~ecocheck.model.Outline` and compiled cues; which
profiles exist (shipped, plugins, configuration) is the engine's business
(:mod:`ecocheck.outline.genres` compiles their cues with :func:`compile_cues`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from .. import rxcache

GENERAL = "general"
MIN_SCORE = 3
HIGH_SCORE = 6
WEIGHTS = {"title": 6, "opening": 5, "body": 3, "headings": 1, "roles": 2}
CAPS = {"body": 6, "headings": 3}
PLACES = ("title", "opening", "body", "headings", "roles")
PLACE_NAMES = {"title": "标题", "opening": "称呼", "body": "正文", "headings": "一级标题", "roles": "结构"}

_MAX_TITLE_LINES = 6
_MAX_TITLE_LEN = 80
_MAX_OPENING_LINES = 12
_MAX_OPENING_LEN = 40
_MAX_BODY_PARAGRAPHS = 6
_MAX_BODY_CHARS = 3000
_SENTENCE_END = set("。；;，,：:！!？?")


@dataclass(frozen=True)
class GenreCues:
    """One genre's compiled detection cues."""

    name: str
    label: str = ""
    required: int = 0  # how many sections the genre requires (tie-break)
    title: tuple[re.Pattern[str], ...] = ()
    opening: tuple[re.Pattern[str], ...] = ()
    body: tuple[re.Pattern[str], ...] = ()
    headings: tuple[re.Pattern[str], ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """One cue found: where, the text it matched, its line, the points it gave."""

    genre: str
    place: str
    text: str
    line: int
    weight: int

    def to_dict(self) -> dict[str, Any]:
        return {"genre": self.genre, "place": self.place, "text": self.text, "line": self.line,
                "weight": self.weight}


@dataclass(frozen=True)
class GenreDecision:
    """The genre of a document and why: detected (with evidence and confidence) or set by the user."""

    genre: str
    label: str = ""
    source: str = "detected"  # detected | fallback | option (--genre) | config (a config file)
    confidence: str = "low"  # high | medium | low
    score: int = 0
    evidence: tuple[Evidence, ...] = ()  # the chosen genre's cues
    scores: tuple[tuple[str, int], ...] = ()  # every genre with points, best first
    detected: str = GENERAL  # what detection alone would have said
    origin: str = ""  # for a set genre: where it was set (命令行, a config file and line)

    def to_dict(self) -> dict[str, Any]:
        return {"genre": self.genre, "label": self.label, "source": self.source, "origin": self.origin,
                "confidence": self.confidence, "score": self.score, "detected": self.detected,
                "evidence": [e.to_dict() for e in self.evidence],
                "candidates": [{"genre": g, "score": s} for g, s in self.scores]}


def compile_cues(name: str, label: str, detect: dict[str, Any] | None, required: int = 0) -> GenreCues:
    """Compile a profile's ``detect`` mapping (validated by the caller)."""
    detect = detect or {}

    def patterns(place: str) -> tuple[re.Pattern[str], ...]:
        return tuple(rxcache.compile(p) for p in detect.get(place) or ())

    return GenreCues(name=name, label=label, required=required, title=patterns("title"),
                     opening=patterns("opening"), body=patterns("body"), headings=patterns("headings"),
                     roles=tuple(detect.get("roles") or ()))


@lru_cache(maxsize=1)
def shipped_cues() -> tuple[GenreCues, ...]:
    """The cues of the shipped profiles only (for :func:`build_outline` called without the engine)."""
    from ..resources import load_data

    out = []
    for name, prof in (load_data("genres.yaml").get("genres") or {}).items():
        out.append(compile_cues(name, prof.get("label", ""), prof.get("detect"), len(prof.get("required") or ())))
    return tuple(out)


# -- the places of a document ---------------------------------------------------------------------
@dataclass
class _Places:
    title: list[int] = field(default_factory=list)  # paragraph indices of the title block
    opening: int | None = None  # the salutation paragraph (the first short line an opening cue matches)
    body: list[int] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)  # first-level headings (paragraph indices)


def _texts(outline) -> list[tuple[int, str]]:
    """(index, stripped text) of the paragraphs that are report text (no directive, no blank)."""
    out = []
    for p in outline.document.paragraphs:
        if p.props.get("directive") or p.props.get("md_code"):
            continue
        t = p.text.strip()
        if t:
            out.append((p.index, t))
    return out


def _places(outline, cues: tuple[GenreCues, ...]) -> _Places:
    places = _Places()
    heading_paras = {n.paragraph for n in outline.headings()}
    first_heading = min(heading_paras) if heading_paras else None
    top = [n for n in outline.sections if n.kind == "heading"]
    places.headings = [n.paragraph for n in top]
    paras = _texts(outline)
    front = [(i, t) for i, t in paras if first_heading is None or i < first_heading]
    openings = [rx for c in cues for rx in c.opening]
    k = 0
    # the title block: short lines that do not end like a sentence, before any body text
    while k < len(front) and len(places.title) < _MAX_TITLE_LINES:
        i, t = front[k]
        if len(t) > _MAX_TITLE_LEN or t[-1] in _SENTENCE_END or _matches_any(openings, t):
            break
        places.title.append(i)
        k += 1
    for i, t in front[:_MAX_OPENING_LINES]:
        if i in places.title or len(t) > _MAX_OPENING_LEN:
            continue
        if _matches_any(openings, t):
            places.opening = i
            break
    chars = 0
    for i, t in front:
        if i in places.title or i == places.opening:
            continue
        if len(places.body) >= _MAX_BODY_PARAGRAPHS or chars >= _MAX_BODY_CHARS:
            break
        places.body.append(i)
        chars += len(t)
    if first_heading is None and not places.body:
        places.body = [i for i, _ in paras[:_MAX_BODY_PARAGRAPHS]]
    seen = set(places.body) | set(places.title) | ({places.opening} if places.opening is not None else set())
    for i, _t in paras[-2:]:
        if i not in seen and i not in heading_paras:
            places.body.append(i)
    return places


def _matches_any(patterns, text: str) -> bool:
    return any(rx.search(text) for rx in patterns)


# -- scoring ----------------------------------------------------------------------------------------
def detect_genre(outline, cues: tuple[GenreCues, ...] | list[GenreCues], section_cfg=None) -> GenreDecision:
    """Score every genre's cues on ``outline`` and decide (see the module docstring)."""
    cues = tuple(cues)
    if not cues:
        return GenreDecision(genre=GENERAL, source="fallback")
    doc = outline.document
    paras = doc.paragraphs
    places = _places(outline, cues)
    found: dict[str, list[Evidence]] = {c.name: [] for c in cues}

    def line(i: int) -> int:
        return paras[i].line

    # title: the match ending last in the block wins, over all genres (then the one starting last)
    best: tuple[tuple[int, int], GenreCues, str, int] | None = None
    for pos, i in enumerate(places.title):
        text = paras[i].text.strip()
        for c in cues:
            for rx in c.title:
                for m in rx.finditer(text):
                    if not m.group(0):
                        continue
                    key = (pos, m.end(), m.start())
                    if best is None or key > best[0]:
                        best = (key, c, m.group(0), i)
    if best is not None:
        _key, c, text, i = best
        found[c.name].append(Evidence(c.name, "title", text, line(i), WEIGHTS["title"]))
    if places.opening is not None:
        text = paras[places.opening].text.strip()
        for c in cues:
            if _matches_any(c.opening, text):
                found[c.name].append(Evidence(c.name, "opening", text, line(places.opening), WEIGHTS["opening"]))
    body = [(i, paras[i].text) for i in places.body]
    for c in cues:
        points = 0
        taken: list[tuple[int, int, int]] = []  # (paragraph, start, end) of the cues counted
        for rx in c.body:
            if points >= CAPS["body"]:
                break
            for i, text in body:
                m = next((m for m in rx.finditer(text) if m.group(0) and not any(
                    j == i and m.start() < e and s < m.end() for j, s, e in taken)), None)
                if m is not None:  # a cue overlapping one already counted says the same thing twice
                    taken.append((i, m.start(), m.end()))
                    found[c.name].append(Evidence(c.name, "body", m.group(0), line(i), WEIGHTS["body"]))
                    points += WEIGHTS["body"]
                    break
    heads = [(i, paras[i].text.strip()) for i in places.headings]
    for c in cues:
        points = 0
        for rx in c.headings:
            if points >= CAPS["headings"]:
                break
            for i, text in heads:
                m = rx.search(text)
                if m and m.group(0):
                    found[c.name].append(Evidence(c.name, "headings", m.group(0), line(i), WEIGHTS["headings"]))
                    points += WEIGHTS["headings"]
                    break
    present = _present_roles(outline, section_cfg)
    for c in cues:
        if c.roles and set(c.roles) <= present:
            found[c.name].append(Evidence(c.name, "roles", "、".join(c.roles), outline.sections[0].line,
                                          WEIGHTS["roles"]))
    order = {c.name: k for k, c in enumerate(cues)}
    by_name = {c.name: c for c in cues}
    scores = sorted(((name, sum(e.weight for e in ev)) for name, ev in found.items() if ev),
                    key=lambda gs: (-gs[1], by_name[gs[0]].required, order[gs[0]]))
    if not scores or scores[0][1] < MIN_SCORE:
        return GenreDecision(genre=GENERAL, label=_label(cues, GENERAL), source="fallback", confidence="low",
                             score=scores[0][1] if scores else 0, scores=tuple(scores), detected=GENERAL,
                             evidence=tuple(found[scores[0][0]]) if scores else ())
    name, score = scores[0]
    lead = score - (scores[1][1] if len(scores) > 1 else 0)
    confidence = "high" if score >= HIGH_SCORE and lead >= MIN_SCORE else "medium"
    return GenreDecision(genre=name, label=by_name[name].label, source="detected", confidence=confidence,
                         score=score, evidence=tuple(found[name]), scores=tuple(scores), detected=name)


def _label(cues: tuple[GenreCues, ...], name: str) -> str:
    for c in cues:
        if c.name == name:
            return c.label
    return ""


def _present_roles(outline, section_cfg) -> set[str]:
    """Roles of the first-level sections; a heading naming two roles (存在问题及整改措施) has both."""
    roles: set[str] = set()
    synonyms = getattr(section_cfg, "synonyms", None) or {}
    for sec in outline.sections:
        if sec.kind != "heading":
            continue
        roles.add(sec.role)
        for role, syns in synonyms.items():
            if any(s in sec.heading for s in syns):
                roles.add(role)
    return roles


def forced(decision: GenreDecision, genre: str, label: str, source: str, origin: str = "") -> GenreDecision:
    """The decision when the user set the genre: the set genre, detection kept for display."""
    return replace(decision, genre=genre, label=label, source=source, origin=origin, confidence="high")
