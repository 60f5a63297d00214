"""Pair each problem with the measure (and the cause) that answers it.

A pure function of the :class:`~ecocheck.model.Outline`; nothing here knows
about rules or configuration.

1. Collect the list of items under the problems section and under the
   measures (causes) section: its child headings （一）（二）… if it has any,
   otherwise its inline items 一是…二是… (in one paragraph or one per
   paragraph).
2. Turn each item's heading and body into weighted character bigrams.  Chinese
   has no spaces, so the text is cut at stop characters and at report
   boilerplate (不够, 还有差距, 坚持, 加强 …, ``ecocheck/data/pairing.yaml``);
   bigrams are weighted by how rare they are among the items (tf-idf), and the
   heading counts more than the body.
3. Score every problem against every measure — the mean of the cosine of the
   two texts and of how much of each heading the other item's text contains —
   and find the one-to-one assignment with the largest total score (Hungarian
   algorithm, O(n³), no external dependency).  Causes are paired with problems
   the same way.  Lists longer than ``MAX_PAIRED_ITEMS`` are paired by position,
   unscored (``Pairing.positional``).

Rules read the result from ``outline.cache["pairing"]`` (:class:`Pairing`);
``outline.pairing`` holds its JSON form (see :meth:`Pairing.to_dicts`).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain, repeat
from operator import mul
from typing import Any

from .. import rxcache
from ..model import Outline, OutlineNode

#: how much more a bigram of the heading counts than one of the body
HEADING_WEIGHT = 2.0
#: lists longer than this are paired by position (see :func:`pair_lists`); real reports
#: have a few dozen problems at most
MAX_PAIRED_ITEMS = 100
#: a tiny bonus for pairing items in the same position, so that ties keep document order
_TIE_BREAK = 1e-6
#: the CJK block whose characters make up the bigrams
_CJK_FIRST, _CJK_LAST = 0x3400, 0x9FFF


# -- vocabulary -----------------------------------------------------------------
@dataclass(frozen=True)
class Vocabulary:
    """Characters and phrases that say nothing about a problem's topic (stop characters, boilerplate)."""

    stop_chars: frozenset[str]
    boilerplate: tuple[str, ...]

    @cached_property
    def boilerplate_re(self) -> "re.Pattern[str] | None":
        """Every boilerplate phrase, longest first (so 还有差距 wins over 差距)."""
        if not self.boilerplate:
            return None
        return rxcache.compile("|".join(re.escape(w) for w in sorted(self.boilerplate, key=len, reverse=True)))

    @cached_property
    def bigram_re(self) -> "re.Pattern[str]":
        """Finds, overlapping, every pair of adjacent CJK characters that are not stop characters.

        Each match consumes the first character and captures the pair in a lookahead, so the
        next match may start with the second (cheaper than an empty match at every position).
        """
        chars = _cjk_without(self.stop_chars)
        return rxcache.compile(f"(?=([{chars}]{{2}}))[{chars}]" if chars else "(?!)")  # (?!) never matches


def _cjk_without(chars: frozenset[str]) -> str:
    """A character-class body: the CJK block minus ``chars``, as ranges."""
    parts = []
    lo = _CJK_FIRST
    for cp in sorted(ord(c) for c in chars if _CJK_FIRST <= ord(c) <= _CJK_LAST):
        if cp > lo:
            parts.append(f"\\u{lo:04x}-\\u{cp - 1:04x}")
        lo = cp + 1
    if lo <= _CJK_LAST:
        parts.append(f"\\u{lo:04x}-\\u{_CJK_LAST:04x}")
    return "".join(parts)


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    from ..resources import load_data

    data = load_data("pairing.yaml")
    return Vocabulary(stop_chars=frozenset(str(data.get("stop_chars", ""))),
                      boilerplate=tuple(str(w) for w in data.get("boilerplate", []) or []))


def features(text: str, vocab: Vocabulary | None = None, strings: dict[str, str] | None = None) -> Counter:
    """Character bigrams of ``text`` with boilerplate and stop characters cut out.

    ``strings`` (bigram -> the one string object used for it), shared by the calls for one
    document, makes its items' counters share their keys: a long document's pairing then
    holds each distinct bigram once instead of once per item, and dict lookups across
    items compare identical objects.
    """
    vocab = vocab or default_vocabulary()
    rx = vocab.boilerplate_re
    if rx is not None:
        text = rx.sub("|", text)
    # a bigram never spans a stop character, a removed phrase or any non-CJK character
    grams = vocab.bigram_re.findall(text)
    return Counter(grams if strings is None else map(strings.setdefault, grams, grams))


# -- similarity -------------------------------------------------------------------
@dataclass
class ItemFeatures:
    """Bigram counts of one item's heading and of its whole text (heading included)."""

    heading: Counter
    text: Counter


def item_features(heading: str, body: str, vocab: Vocabulary | None = None,
                  strings: dict[str, str] | None = None) -> ItemFeatures:
    vocab = vocab or default_vocabulary()
    head = features(heading, vocab, strings)
    text = features(body, vocab, strings)
    text.update(head)
    return ItemFeatures(head, text)


@dataclass
class _Vector:
    """Everything a pair score needs from one item, computed once per item (not once per pair)."""

    weights: dict[str, float]  # tf-idf of every bigram of the text, heading bigrams weighted up
    norm: float
    heading: dict[str, float]  # idf of every heading bigram
    heading_total: float


def similarity_matrix(left: list[ItemFeatures], right: list[ItemFeatures],
                      pool: list[ItemFeatures] | None = None) -> list[list[float]]:
    """Similarity of every left × right item, in [0, 1].

    The mean of three tf-idf measures (idf over ``pool``, default left + right):
    the cosine of the two whole texts (heading bigrams weighted up), and how
    much of each heading is found in the other item's text — a short heading
    such as “理论学习不够深入” is answered by a measure that talks about 理论学习
    somewhere, even when the measure's text is long.
    """
    idf = _idf(pool if pool is not None else left + right)
    return _matrix([_vector(f, idf) for f in left], [_vector(f, idf) for f in right])


def _matrix(left: list[_Vector], right: list[_Vector]) -> list[list[float]]:
    return [[_similarity(lv, rv) for rv in right] for lv in left]


def _idf(pool: list[ItemFeatures]) -> dict[str, float]:
    n = len(pool)
    df = Counter(chain.from_iterable(f.text for f in pool))  # each item counts a bigram once
    # the log is taken once per distinct document frequency, the dict is built in C
    by_df = {d: math.log((n + 1) / d) for d in set(df.values())}
    return dict(zip(df, map(by_df.__getitem__, df.values())))


def _vector(f: ItemFeatures, idf: dict[str, float]) -> _Vector:
    counts = dict(f.text)  # the text's counts include the heading's (see item_features)
    for g, c in f.heading.items():
        counts[g] += HEADING_WEIGHT * c
    # weight = (1 + ln count) × idf; the log is taken once per distinct count (most counts are 1)
    # and the products are formed by map/zip, in C, since an item has hundreds of bigrams
    log_tf = {c: 1.0 + math.log(c) for c in set(counts.values())}
    tf = map(log_tf.__getitem__, counts.values())
    weights = dict(zip(counts, map(mul, tf, map(idf.get, counts, repeat(0.0)))))
    ws = weights.values()
    norm = math.sqrt(sum(map(mul, ws, ws)))
    head = {g: idf.get(g, 0.0) for g in f.heading}
    return _Vector(weights, norm, head, sum(head.values()))


def _similarity(a: _Vector, b: _Vector) -> float:
    shared = a.weights.keys() & b.weights.keys()  # the bigrams both texts have
    if not shared:
        return 0.0  # nothing in common: the cosine and both coverages are 0
    # fsum is exact whatever the order, so scores do not depend on set iteration order
    cosine = 0.0
    if a.norm and b.norm:
        dot = math.fsum(a.weights[g] * b.weights[g] for g in shared)
        cosine = dot / (a.norm * b.norm) if dot > 0.0 else 0.0
    return (cosine + _cover(a, shared) + _cover(b, shared)) / 3.0


def _cover(v: _Vector, shared: set[str]) -> float:
    """How much of ``v``'s heading (idf-weighted) the other item's text contains.

    ``shared`` holds the bigrams of both texts; a heading's bigrams are all in its own text.
    """
    if v.heading_total <= 0.0:
        return 0.0
    return math.fsum(v.heading[g] for g in v.heading.keys() & shared) / v.heading_total


# -- assignment -------------------------------------------------------------------
def assign(scores: list[list[float]]) -> list[int]:
    """Maximum-total one-to-one assignment of rows to columns.

    Returns, for each row, its column (or -1 when there are more rows than
    columns).  Hungarian algorithm with potentials, O(n²·m) for n ≤ m.
    """
    n = len(scores)
    m = len(scores[0]) if n else 0
    if n == 0 or m == 0:
        return [-1] * n
    if n > m:  # solve the transposed problem: every column gets a row
        cols = assign([[scores[i][j] for i in range(n)] for j in range(m)])
        out = [-1] * n
        for j, i in enumerate(cols):
            if i >= 0:
                out[i] = j
        return out
    span = max(n, m)
    # minimise cost = -(score + positional tie-break)
    cost = [[-(scores[i][j] + _TIE_BREAK * (1.0 - abs(i - j) / span)) for j in range(m)] for i in range(n)]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)  # p[j]: row (1-based) assigned to column j
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            row = cost[i0 - 1]
            ui0 = u[i0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - ui0 - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    out = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            out[p[j] - 1] = j - 1
    return out


# -- collecting the lists -------------------------------------------------------------
def role_sections(outline: Outline, role: str) -> list[OutlineNode]:
    return [s for s in outline.sections if s.kind == "heading" and s.role == role]


def list_of(section: OutlineNode) -> list[OutlineNode]:
    """The items a section enumerates: its child headings, else its inline items (of a table
    in it, the rows' cells of the section's own role: see ``outline/tables.py``)."""
    heads = [c for c in section.children if c.kind == "heading"]
    if heads:
        return heads
    return [c for c in section.children if c.kind == "item"
            and (c.props.get("family") != "table" or c.role == section.role)]


def collect(outline: Outline, role: str) -> tuple[OutlineNode | None, list[OutlineNode]]:
    """(first section of the role, the items of every section of that role); without any, the
    cells of that role in the document's tables (a 整改清单 under 整改措施 lists the problems too)."""
    secs = role_sections(outline, role)
    nodes: list[OutlineNode] = []
    for s in secs:
        nodes.extend(list_of(s))
    if not nodes:
        nodes = [n for n in outline.walk() if n.kind == "item" and n.props.get("family") == "table"
                 and n.role == role]
    return (secs[0] if secs else None), nodes


def _span_text(outline: Outline, paragraph: int, start: int, end: int) -> str:
    return outline.document.paragraphs[paragraph].text[start:end]


def heading_subtree_text(outline: Outline, node: OutlineNode) -> str:
    """Heading text, run-in and body text, and every descendant heading's text."""
    parts = [node.heading]
    for sp in node.body_spans:
        parts.append(_span_text(outline, sp.paragraph, sp.start, sp.end))
    for c in node.children:
        if c.kind == "heading":
            parts.append(c.label + heading_subtree_text(outline, c))
    return "\n".join(parts)


def _owner_body(outline: Outline, owner: OutlineNode | None) -> list[int]:
    if owner is None:
        return list(outline.preamble)
    return list(owner.body)


def item_texts(outline: Outline, items: list[OutlineNode]) -> list[str]:
    """Text of each item of a sibling list: up to the next item, following paragraphs included."""
    doc = outline.document
    out = []
    bodies: dict[int, list[int]] = {}  # owner -> its body paragraphs, sorted (bisected: linear overall)
    for k, node in enumerate(items):
        if node.props.get("family") == "table":  # a table cell: its own paragraphs, not the row's
            out.append("\n".join(_span_text(outline, sp.paragraph, sp.start, sp.end) for sp in node.body_spans))
            continue
        nxt = items[k + 1] if k + 1 < len(items) else None
        text = doc.paragraphs[node.paragraph].text
        if nxt is not None and nxt.paragraph == node.paragraph:
            out.append(text[node.start + len(node.label):nxt.start])
            continue
        parts = [text[node.start + len(node.label):]]
        body = bodies.get(id(node.parent))
        if body is None:
            body = bodies[id(node.parent)] = sorted(_owner_body(outline, node.parent))
        lo = bisect_right(body, node.paragraph)
        hi = bisect_left(body, nxt.paragraph) if nxt is not None else len(body)
        parts.extend(doc.paragraphs[q].text for q in body[lo:hi])
        out.append("\n".join(parts))
    return out


def texts_of(outline: Outline, nodes: list[OutlineNode]) -> list[str]:
    if nodes and all(n.kind == "item" for n in nodes):
        # sibling lists may come from several sections: split by parent
        out: list[str] = []
        group: list[OutlineNode] = []
        for n in nodes + [None]:  # type: ignore[list-item]
            if group and (n is None or n.parent is not group[0].parent):
                out.extend(item_texts(outline, group))
                group = []
            if n is not None:
                group.append(n)
        return out
    return [heading_subtree_text(outline, n) if n.kind == "heading" else item_texts(outline, [n])[0]
            for n in nodes]


# -- the result ---------------------------------------------------------------------
@dataclass
class Pairing:
    """Problems matched with measures (and causes): the scores and the match of each problem."""

    problems: list[OutlineNode]
    measures: list[OutlineNode]
    problems_section: OutlineNode | None = None
    measures_section: OutlineNode | None = None
    scores: list[list[float]] = field(default_factory=list)  # problem i × measure j
    match: list[int] = field(default_factory=list)  # problem i -> measure j or -1
    causes: list[OutlineNode] = field(default_factory=list)
    causes_section: OutlineNode | None = None
    cause_scores: list[list[float]] = field(default_factory=list)
    cause_match: list[int] = field(default_factory=list)
    #: paired by position, not by content (lists over MAX_PAIRED_ITEMS): no scores at all
    positional: bool = False

    def score(self, i: int) -> float:
        j = self.match[i] if i < len(self.match) else -1
        return self.scores[i][j] if j >= 0 and not self.positional else 0.0

    def shown_score(self, i: int) -> float | None:
        """Problem ``i``'s score as shown (outline view, JSON): rounded; None when paired by position."""
        return None if self.positional else round(self.score(i), 3)

    def shown_cause_score(self, i: int, k: int) -> float | None:
        """The score of problem ``i`` with cause ``k`` (0 for none, ``k`` < 0), shown as
        :meth:`shown_score` is."""
        if self.positional:
            return None
        return round(self.cause_scores[i][k], 3) if k >= 0 else 0.0

    def measure_of(self, i: int) -> OutlineNode | None:
        j = self.match[i]
        return self.measures[j] if j >= 0 else None

    @property
    def unmatched_problems(self) -> list[int]:
        return [i for i, j in enumerate(self.match) if j < 0]

    @property
    def unmatched_measures(self) -> list[int]:
        used = set(self.match)
        return [j for j in range(len(self.measures)) if j not in used]

    def to_dicts(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for i, p in enumerate(self.problems):
            m = self.measure_of(i)
            d: dict[str, Any] = {"problem": p.title, "problem_line": p.line,
                                 "measure": m.title if m else None, "measure_line": m.line if m else None,
                                 "score": self.shown_score(i)}
            if self.causes:
                k = self.cause_match[i] if i < len(self.cause_match) else -1
                c = self.causes[k] if k >= 0 else None
                d["cause"] = c.title if c else None
                d["cause_line"] = c.line if c else None
                d["cause_score"] = self.shown_cause_score(i, k)
            out.append(d)
        for j in self.unmatched_measures:
            m = self.measures[j]
            out.append({"problem": None, "problem_line": None, "measure": m.title, "measure_line": m.line,
                        "score": None if self.positional else 0.0})
        return out


def pair_lists(outline: Outline, problems: list[OutlineNode], measures: list[OutlineNode],
               causes: list[OutlineNode] | None = None, vocab: Vocabulary | None = None) -> Pairing:
    """Score and assign given lists of problem, measure and cause nodes."""
    causes = causes or []
    result = Pairing(problems=problems, measures=measures, causes=causes)
    if max(len(problems), len(measures), len(causes)) > MAX_PAIRED_ITEMS:
        # an absurd document (hundreds of items, e.g. several reports pasted together): scoring
        # every pair is quadratic and the assignment cubic, and content decides nothing that
        # anyone could check item by item, so item i goes with item i, unscored
        result.positional = True
        result.match = [i if i < len(measures) else -1 for i in range(len(problems))]
        if causes:
            result.cause_match = [i if i < len(causes) else -1 for i in range(len(problems))]
        return result
    vocab = vocab or default_vocabulary()
    strings: dict[str, str] = {}  # one object per distinct bigram, shared by every item (see features)

    def features_of(nodes: list[OutlineNode]) -> list[ItemFeatures]:
        return [item_features(n.heading, t, vocab, strings) for n, t in zip(nodes, texts_of(outline, nodes))]

    pf, mf, cf = features_of(problems), features_of(measures), features_of(causes)
    # one idf over every item, and each item's vector built once (problems serve both matrices)
    idf = _idf(pf + mf + cf)
    pv = [_vector(f, idf) for f in pf]
    mv = [_vector(f, idf) for f in mf]
    cv = [_vector(f, idf) for f in cf]
    result.scores = _matrix(pv, mv)
    result.match = assign(result.scores) if measures else [-1] * len(problems)
    if causes:
        result.cause_scores = _matrix(pv, cv)
        result.cause_match = assign(result.cause_scores)
    return result


def pair_outline(outline: Outline, vocab: Vocabulary | None = None) -> Pairing | None:
    """Pair the problems of an outline with its measures (None when either list is missing)."""
    psec, problems = collect(outline, "problems")
    msec, measures = collect(outline, "measures")
    if not problems or not measures:
        return None
    csec, causes = collect(outline, "causes")
    result = pair_lists(outline, problems, measures, causes, vocab)
    result.problems_section, result.measures_section, result.causes_section = psec, msec, csec
    return result


#: a content pair scoring below this is weak: P202's default ``min_score`` (problem left unanswered) and
#: what ``ecocheck outline`` marks as a weak pair (see the tuning notes in rules/pairing.py)
WEAK_SCORE = 0.05


def annotate(outline: Outline, pairing: Pairing | None) -> None:
    """Store a pairing on the outline: ``outline.pairing`` and ``props['pair']`` of each node
    (``props['pair_weak']`` when its content score is under :data:`WEAK_SCORE`)."""
    outline.cache["pairing"] = pairing
    if pairing is None:
        outline.pairing = []
        return
    for i, p in enumerate(pairing.problems):
        m = pairing.measure_of(i)
        if m is not None:
            score = pairing.shown_score(i)
            p.props["pair"] = m.title
            p.props["pair_score"] = score
            m.props["pair"] = p.title
            m.props["pair_score"] = score
            if score is not None and score < WEAK_SCORE:
                p.props["pair_weak"] = m.props["pair_weak"] = True
        if pairing.causes:
            k = pairing.cause_match[i]
            if k >= 0:
                c = pairing.causes[k]
                p.props["cause"] = c.title
                c.props["pair"] = p.title
                c.props["pair_score"] = pairing.shown_cause_score(i, k)
    outline.pairing = pairing.to_dicts()
