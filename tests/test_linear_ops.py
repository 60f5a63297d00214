"""The linear forms of T401's scan, the fix planner, the .docx edit writer and the annotator's run
splitting give exactly what the straightforward (quadratic) forms they replace gave (issue 21.9).

The straightforward forms are kept here, as they were, as the reference.  Timings are in
bench/ (``bench/run.py``: annotate and fix at 100k and 1M characters); this file checks results.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from ecocheck.fix import docxfile, docxpart as dx, edits
from ecocheck.ooxml.names import P, R, RPR, T, W_NS, w
from ecocheck.loaders.text import load_text
from ecocheck.model import Finding, Fix, Severity
from ecocheck.rules import typography as ty
from ecocheck.rules.textutil import in_spans

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------
# T401: the scan as it was


def reference_unpaired(text, masks, continues):
    stack = []
    crossed = []
    label = ty._LIST_LABEL.match(text)
    label_end = label.end() if label else -1
    marks = [(m.start(), m.group()) for m in ty._PAIRED_MARK.finditer(text) if not in_spans(m.start(), masks)]
    for k, (i, c) in enumerate(marks):
        if c in ("’", "‘") and ty._apostrophe(text, i):
            continue
        if c in ("“", "‘"):
            close = "”" if c == "“" else "’"
            if stack and stack[-1][0] == c:
                later = [m for _, m in marks[k + 1:] if m in (c, close)]
                if later[:2] == [close, close]:
                    yield (i, *ty.nested_quote(c, close), None)
                    stack.append((c, i))
                    continue
                yield (i, *ty.second_opener(c, close))
                stack.pop()
                continue
            stack.append((c, i))
            continue
        if c in ("”", "’"):
            opener = "“" if c == "”" else "‘"
            if stack and stack[-1][0] == opener:
                stack.pop()
                continue
            depth = next((d for d in range(len(stack) - 1, -1, -1) if stack[d][0] == opener), None)
            if depth is None:
                yield (i, *ty.no_opener(c, opener), None)
                continue
            for oc, oi in stack[depth + 1:]:
                yield from ty._unclosed(oc, oi)
            del stack[depth:]
            continue
        if c in ty.PAIRS:
            stack.append((c, i))
            continue
        want = ty._fam(ty.CLOSERS[c])
        if stack and ty._fam(stack[-1][0]) == want:
            stack.pop()
            continue
        depth = next((d for d in range(len(stack) - 1, -1, -1) if ty._fam(stack[d][0]) == want), None)
        if depth is None:
            if i < label_end or c == ")":
                continue
            if want in crossed:
                crossed.remove(want)
                continue
            yield (i, *ty.no_opener(c, ty.CLOSERS[c]), None)
            continue
        for oc, oi in stack[depth + 1:]:
            crossed.append(ty._fam(oc))
            yield from ty._unclosed(oc, oi)
        del stack[depth:]
    for oc, oi in stack:
        if oc == "“" and continues:
            continue
        yield from ty._unclosed(oc, oi)


MARK_CHUNKS = list("“”‘’（）()《》【】〔〕「」『』［］〈〉") + ["党", "a", "it’s", "1）", "二）", "，", " "]


@SETTINGS
@given(text=st.lists(st.sampled_from(MARK_CHUNKS), max_size=40).map("".join),
       masks=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)).map(lambda t: (t[0], t[0] + t[1])),
                      max_size=12),
       continues=st.booleans())
@example(text="“A“B”C”“D“E”", masks=[], continues=False)
@example(text="《一（二》三）四）", masks=[], continues=False)
@example(text="（（（”””））", masks=[(1, 2)] * 9, continues=True)
def test_t401_scan_equals_the_reference(text, masks, continues):
    def key(items):
        return [(i, m, s, (fx.replacement, fx.title, fx.safe) if fx else None) for i, m, s, fx in items]

    assert key(ty._unpaired(text, masks, continues)) == key(reference_unpaired(text, masks, continues))


# ---------------------------------------------------------------------------
# edits.plan: the planner as it was


def reference_overlaps(a, b):
    if a.paragraph != b.paragraph:
        return False
    if a.start == a.end or b.start == b.end:
        return b.start <= a.start <= b.end or a.start <= b.start <= a.end
    return a.start < b.end and b.start < a.end


def reference_plan(findings, doc):
    paragraphs = doc.paragraphs
    out, left = [], []
    candidates = [f for f in findings if f.fix is not None]
    candidates.sort(key=lambda f: (f.paragraph if f.paragraph is not None else -1, f.start, f.end, f.code))
    for f in candidates:
        fix = f.fix
        if not fix.safe:
            left.append((f, edits.UNSAFE))
            continue
        if f.paragraph is None or not 0 <= f.paragraph < len(paragraphs):
            left.append((f, edits.NO_LOCATION))
            continue
        p = paragraphs[f.paragraph]
        if not 0 <= f.start <= f.end <= len(p.text) or p.text[f.start:f.end] != f.text:
            left.append((f, edits.STALE))
            continue
        if f.start < p.num_prefix:
            left.append((f, edits.IN_LABEL))
            continue
        if "\n" in fix.replacement or "\r" in fix.replacement:
            left.append((f, edits.NEWLINE))
            continue
        if fix.replacement == f.text:
            continue
        edit = edits.Edit(f.paragraph, f.start, f.end, fix.replacement, [f])
        same = next((e for e in out if (e.paragraph, e.start, e.end, e.replacement)
                     == (edit.paragraph, edit.start, edit.end, edit.replacement)), None)
        if same is not None:
            same.findings.append(f)
            continue
        if any(reference_overlaps(edit, e) for e in out):
            left.append((f, edits.OVERLAP))
            continue
        out.append(edit)
    return out, left


PLAN_TEXT = "关于某局的报告\n一二三四五六七八九十\n甲乙丙丁戊己庚辛壬癸\n"
PLAN_DOC = load_text("plan.txt", PLAN_TEXT.encode("utf-8"))


def _finding(paragraph, start, length, replacement, code, safe):
    text = PLAN_DOC.paragraphs[paragraph].text[start:start + length]
    return Finding(code, "x", Severity.WARNING, "x", "plan.txt", paragraph + 1, start + 1, paragraph + 1,
                   start + length + 1, text=text, fix=Fix(replacement, safe=safe), paragraph=paragraph,
                   start=start, end=start + length)


FINDINGS = st.lists(st.builds(_finding, st.integers(1, 2), st.integers(0, 9), st.integers(0, 3),
                              st.sampled_from(["", "X", "一二", "YY"]), st.sampled_from(["T401", "W501", "H301"]),
                              st.sampled_from([True, True, True, False])), max_size=25)


@SETTINGS
@given(findings=FINDINGS)
def test_plan_equals_the_reference(findings):
    def key(result):
        applied, left = result
        return ([(e.paragraph, e.start, e.end, e.replacement, [id(f) for f in e.findings]) for e in applied],
                [(id(f), reason) for f, reason in left])

    assert key(edits.plan(findings, PLAN_DOC)) == key(reference_plan(findings, PLAN_DOC))


@SETTINGS
@given(findings=FINDINGS)
def test_apply_to_text_equals_splicing_right_to_left(findings):
    applied, _left = edits.plan(findings, PLAN_DOC)
    for index in (1, 2):
        text = PLAN_DOC.paragraphs[index].text
        mine = [e for e in applied if e.paragraph == index]
        expected = text
        for e in sorted(mine, key=lambda e: (e.start, e.end), reverse=True):
            expected = expected[:e.start] + e.replacement + expected[e.end:]
        assert edits.apply_to_text(text, mine) == expected


# ---------------------------------------------------------------------------
# .docx paragraphs: run splitting and edits as they were

RUN_CHILDREN = st.sampled_from(["t:甲乙丙", "t:一", "t:ab", "tab", "br", "fld", "t:", "cr"])


def _paragraph(runs) -> etree._Element:
    p = etree.Element(P, nsmap={"w": W_NS})
    for k, children in enumerate(runs):
        r = etree.SubElement(p, R)
        rpr = etree.SubElement(r, RPR)
        etree.SubElement(rpr, w("b" if k % 2 else "i"))
        for c in children:
            if c.startswith("t:"):
                dx.set_text(etree.SubElement(r, T), c[2:])
            elif c == "fld":
                etree.SubElement(r, w("fldChar")).set(w("fldCharType"), "begin")
            else:
                etree.SubElement(r, w(c))
    return p


PARAGRAPHS = st.lists(st.lists(RUN_CHILDREN, min_size=1, max_size=4), min_size=1, max_size=5).map(_paragraph)


def reference_ensure_boundaries(p, offsets):
    pmap = dx.map_paragraph(p)
    for x in sorted(set(offsets), reverse=True):
        for span in pmap.runs:
            if span.start < x < span.end:
                dx.split_run(span.run, x - span.start)
                pmap = dx.map_paragraph(p)
                break
    return pmap


@SETTINGS
@given(p=PARAGRAPHS, offsets=st.lists(st.integers(-1, 30), max_size=12))
def test_ensure_boundaries_equals_splitting_one_cut_at_a_time(p, offsets):
    mine, theirs = copy.deepcopy(p), copy.deepcopy(p)
    new = dx.ensure_boundaries(mine, offsets)
    old = reference_ensure_boundaries(theirs, offsets)
    assert etree.tostring(mine) == etree.tostring(theirs)
    assert [(s.start, s.end) for s in new.runs] == [(s.start, s.end) for s in old.runs]


def reference_apply_one(p, start, end, replacement):
    pmap = dx.map_paragraph(p)
    if start == end:
        target = next((pc for pc in pmap.pieces if pc.editable and pc.start < start <= pc.end), None)
        if target is None:
            target = next((pc for pc in pmap.pieces if pc.editable and pc.start == start), None)
        if target is None:
            return docxfile.NO_TEXT
        text = target.node.text or ""
        k = start - target.start
        dx.set_text(target.node, text[:k] + replacement + text[k:])
        return None
    covered = [pc for pc in pmap.pieces if pc.start < end and start < pc.end]
    if not covered or any(not pc.editable for pc in covered):
        return docxfile.ATOMIC
    first = covered[0]
    text = first.node.text or ""
    head = text[: start - first.start]
    tail = text[end - first.start:] if end <= first.end else ""
    dx.set_text(first.node, head + replacement + tail)
    for pc in covered[1:]:
        text = pc.node.text or ""
        rest = text[min(end, pc.end) - pc.start:]
        if rest:
            dx.set_text(pc.node, rest)
        else:
            docxfile._drop_text(pc.node)
    if not head and not replacement and not tail:
        docxfile._drop_text(first.node)
    return None


@SETTINGS
@given(p=PARAGRAPHS, spans=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 3), st.sampled_from(["", "X", "YZ"])),
                                    max_size=8))
def test_docx_edits_equal_remapping_after_each_edit(p, spans):
    length = dx.map_paragraph(p).length
    # edits that do not overlap as the planner sees it, applied right to left
    chosen: list[tuple[int, int, str]] = []
    for start, n, replacement in spans:
        end = min(start + n, length)
        if start > length or any(reference_overlaps(edits.Edit(0, start, end, replacement),
                                                     edits.Edit(0, a, b, r)) for a, b, r in chosen):
            continue
        chosen.append((start, end, replacement))
    chosen.sort(reverse=True)
    mine, theirs = copy.deepcopy(p), copy.deepcopy(p)
    pmap = dx.map_paragraph(mine)
    starts = [pc.start for pc in pmap.pieces]
    got = [docxfile._apply_one(pmap, starts, a, b, r) for a, b, r in chosen]
    expected = [reference_apply_one(theirs, a, b, r) for a, b, r in chosen]
    assert got == expected
    assert etree.tostring(mine) == etree.tostring(theirs)
