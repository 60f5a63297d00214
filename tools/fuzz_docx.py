"""Mutation fuzzing of .docx files: ecocheck must never crash, hang or lose a location.

Seeds are built from ``fixtures/*.txt`` (and ``fixtures/report_table.yaml``)
with ``tools/make_docx.py`` -- plain, with Word auto-numbering, with comments
and tracked changes.  Each case applies one or a few mutations to a seed:

* container level: flipped bytes, a truncated file, a truncated or dropped
  zip entry, an entry whose bytes are damaged;
* XML level, inside a valid zip: elements deleted, duplicated, swapped,
  moved to another parent or renamed; random attribute values; numbering
  values (numId, ilvl, abstractNumId, start, lvlText, numFmt, lvlRestart …)
  set to hostile values; control characters and long strings in the text.

Each mutated file is linted in-process through :func:`ecocheck.api.lint_file`
(the function the CLI calls) with every rule on.  The outcome of a case is

* ``ok``: findings and no E finding;
* an E code: the file was refused with exactly one E finding (fine);
* ``crash``: an exception escaped ``lint_file``;
* ``rule-crash``: a rule raised (an E100 finding);
* ``bad-result``: an E finding mixed with other findings, several E findings,
  a finding whose ``text`` is not its location in the paragraph, or an input
  file whose bytes changed;
* ``hang``: the case took longer than ``--timeout`` seconds.

With ``--deep``, a file that lints is also fixed (in memory, ``ecocheck.fix``) and
annotated (a copy); ``fix-crash`` / ``annotate-crash`` mean an unexpected exception
(reported by those modules as a generic failure), ``fix-broken`` / ``annotate-broken``
an output that ecocheck itself can no longer read.

Usage::

    python tools/fuzz_docx.py --cases 3000 --seed 1 [--jobs 2] [--deep] [--save-crashes DIR]

The summary lists outcomes by count and every case that was not fine (with
its seed, mutation and the exception's last frame); the exit status is 1
when there was one.  ``case(seed, index)`` rebuilds any case exactly.
Results of the last full run are kept in ``tools/FUZZ_RESULTS.md``.
"""

from __future__ import annotations

import argparse
import collections
import io
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent))

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FINE = "ok"
BAD_OUTCOMES = ("crash", "rule-crash", "bad-result", "hang", "fix-crash", "fix-broken", "annotate-crash",
                "annotate-broken")

# ---------------------------------------------------------------------------
# seeds


def _seed_specs() -> list[tuple[str, list, dict]]:
    """(name, paragraph specs, build_docx keyword arguments) for every seed."""
    import yaml

    specs: list[tuple[str, list, dict]] = []
    for txt in sorted(FIXTURES.glob("*.txt")):
        lines = txt.read_text(encoding="utf-8").splitlines()
        specs.append((txt.stem, lines, {}))
        specs.append((txt.stem + "+auto", lines, {"auto_number": True}))
    specs.append(("report_autonumber+style", (FIXTURES / "report_autonumber.txt").read_text(encoding="utf-8")
                  .splitlines(), {"auto_number": "style", "title_style": "Title"}))
    specs.append(("report_clean+fonts", (FIXTURES / "report_clean.txt").read_text(encoding="utf-8").splitlines(),
                  {"auto_number": "style", "title_style": "Title", "font_east_asia": "仿宋_GB2312", "size_pt": 16}))
    table = yaml.safe_load((FIXTURES / "report_table.yaml").read_text(encoding="utf-8"))["paragraphs"]
    specs.append(("report_table+auto", table, {"auto_number": True}))
    specs.append(("markup", [
        "关于某单位政治生态情况的报告",
        {"text": "一、基本情况", "comment": {"author": "审核人", "text": "请核实"}},
        {"text": "现有党员XX人，其中在职党员**人。", "insert": {"author": "甲", "text": "另有预备党员3人。"}},
        {"text": "二、存在问题", "delete": {"author": "乙", "text": "存在"}},
        {"runs": [{"text": "一是学习不够深入，", "bold": True}, {"text": "二是责任落实不到位。", "highlight": "yellow"}]},
        {"table": [["指标", "数量"], ["谈话", {"table": [["嵌套", "表格"]]}]]},
        "三、整改措施",
        "（一）加强理论学习。",
        "（二）压实主体责任。",
    ], {"auto_number": True}))
    return specs


def build_seeds(directory: str | Path) -> list[tuple[str, bytes]]:
    """Build every seed .docx under ``directory``; return (name, bytes)."""
    from make_docx import build_docx

    out = []
    for name, paragraphs, kwargs in _seed_specs():
        path = Path(directory) / f"seed-{name}.docx"
        build_docx(paragraphs, path, **kwargs)
        # python-docx stamps the current time (zip entries, comment dates): fix it, so cases repeat exactly
        entries = [(n, re.sub(rb'w:date="[^"]*"', b'w:date="2024-01-01T00:00:00Z"', d))
                   for n, d in read_zip(path.read_bytes())]
        out.append((name, write_zip(entries)))
    return out


# ---------------------------------------------------------------------------
# zip helpers


def read_zip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


def write_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip of ``entries`` with fixed timestamps, so that a case is the same bytes on every run."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


_XML_WEIGHTS = (
    ("word/document.xml", 10), ("word/numbering.xml", 4), ("word/styles.xml", 3), ("word/comments.xml", 1),
    ("word/_rels/document.xml.rels", 1), ("_rels/.rels", 1), ("[Content_Types].xml", 1),
    ("word/settings.xml", 1),
)


def _pick_part(rng: random.Random, entries: list[tuple[str, bytes]]) -> int | None:
    names = [n for n, _d in entries]
    choices = [(names.index(n), w) for n, w in _XML_WEIGHTS if n in names]
    if not choices:
        return None
    total = sum(w for _i, w in choices)
    r = rng.uniform(0, total)
    for i, w in choices:
        r -= w
        if r <= 0:
            return i
    return choices[-1][0]


# ---------------------------------------------------------------------------
# mutations (each returns the new file bytes and a short description)

INTERESTING = ["", "0", "-1", "1", "2", "8", "9", "10", "-2147483648", "2147483647", "4294967296",
               "99999999999999999999", "1000000000", "1e9", "abc", "true", "none", "%1", "%9%8%7", "%0", "%10",
               "%1%1%1%1%1%1%1%1", "一", "（%2）", "bullet", "chineseCounting", "chineseCountingThousand",
               "chineseLegalSimplified", "decimalZero", "upperLetter", "lowerRoman", "ideographTraditional",
               "decimalEnclosedCircle", "x" * 3000, "\t", " ", "\u200b", "\U0001F600", "1" * 5000]
NUMBERING_TAGS = [W + t for t in ("numId", "ilvl", "abstractNumId", "start", "lvlText", "numFmt", "lvlRestart",
                                  "startOverride", "pStyle", "numStyleLink", "styleLink", "isLgl", "outlineLvl")]
TEXT_NOISE = ["\x01", "\x0b", "\x1f", "\ufffe", "\u2028", "\r", "\n", "\t", "一是", "（一）", "1.", "XX", "**",
              "。", "“", "》", "①", "一、", "\u3000", "x" * 2000, "一是" * 500]


def _random_element(rng, root):
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    return rng.choice(elements) if elements else None


def _xml_delete(rng, root):
    el = _random_element(rng, root)
    if el is None or el.getparent() is None:
        return "delete (nothing)"
    el.getparent().remove(el)
    return f"delete <{etree.QName(el).localname}>"


def _xml_duplicate(rng, root):
    el = _random_element(rng, root)
    if el is None or el.getparent() is None:
        return "duplicate (nothing)"
    from copy import deepcopy

    times = rng.choice((1, 1, 2, 50))
    for _ in range(times):
        el.addnext(deepcopy(el))
    return f"duplicate <{etree.QName(el).localname}> x{times}"


def _xml_swap(rng, root):
    parents = [el for el in root.iter() if isinstance(el.tag, str) and len(el) >= 2]
    if not parents:
        return "swap (nothing)"
    parent = rng.choice(parents)
    i, j = sorted(rng.sample(range(len(parent)), 2))
    a, b = parent[i], parent[j]
    parent.remove(b)
    parent.insert(i, b)
    parent.remove(a)
    parent.insert(j, a)
    return f"swap children {i}<->{j} of <{etree.QName(parent).localname}>"


def _xml_move(rng, root):
    el = _random_element(rng, root)
    target = _random_element(rng, root)
    if el is None or target is None or el.getparent() is None or el is target:
        return "move (nothing)"
    if any(anc is el for anc in target.iterancestors()):
        return "move (into itself, skipped)"
    el.getparent().remove(el)
    target.insert(rng.randint(0, len(target)), el)
    return f"move <{etree.QName(el).localname}> into <{etree.QName(target).localname}>"


def _xml_rename(rng, root):
    el = _random_element(rng, root)
    if el is None:
        return "rename (nothing)"
    new = rng.choice(["p", "r", "t", "tbl", "tr", "tc", "ins", "del", "sdt", "sdtContent", "hyperlink", "body",
                      "numPr", "pPr", "rPr", "bogus"])
    old = etree.QName(el).localname
    el.tag = W + new
    return f"rename <{old}> to <{new}>"


def _xml_attr(rng, root):
    el = _random_element(rng, root)
    if el is None:
        return "attr (nothing)"
    value = rng.choice(INTERESTING)
    name = rng.choice(list(el.attrib) or [W + "val"]) if rng.random() < 0.8 else W + rng.choice(
        ("val", "id", "type", "styleId", "numId", "ilvl", "author"))
    try:
        el.set(name, value)
    except ValueError:
        return "attr (rejected)"
    return f"attr {etree.QName(name).localname}={value[:20]!r} on <{etree.QName(el).localname}>"


def _xml_numbering(rng, root):
    els = [el for el in root.iter(*NUMBERING_TAGS)]
    if not els:
        return _xml_attr(rng, root)
    out = []
    for el in rng.sample(els, min(len(els), rng.choice((1, 1, 3, 10)))):
        value = rng.choice(INTERESTING)
        el.set(W + "val", value)
        out.append(f"{etree.QName(el).localname}={value[:12]!r}")
    return "numbering " + ", ".join(out)


def _xml_text(rng, root):
    texts = [el for el in root.iter(W + "t", W + "delText", W + "instrText")]
    if not texts:
        return "text (nothing)"
    el = rng.choice(texts)
    noise = rng.choice(TEXT_NOISE)
    try:
        text = el.text or ""
        pos = rng.randint(0, len(text))
        el.text = text[:pos] + noise + text[pos:]
    except ValueError:  # lxml refuses XML-incompatible characters
        return "text (rejected)"
    return f"text insert {noise[:10]!r}"


def _xml_deepen(rng, root):
    """Wrap an element in many levels of wrappers (recursion in every tree walker)."""
    el = _random_element(rng, root)
    if el is None or el.getparent() is None:
        return "deepen (nothing)"
    wrappers = rng.choice([("hyperlink",), ("smartTag",), ("ins",), ("sdt", "sdtContent"), ("customXml",),
                           ("tbl", "tr", "tc")])
    depth = rng.choice((5, 60, 300, 700))
    parent, index = el.getparent(), el.getparent().index(el)
    parent.remove(el)
    outer = inner = etree.Element(W + wrappers[0])
    for level in range(depth):
        for tag in wrappers[1 if level == 0 else 0:]:
            child = etree.SubElement(inner, W + tag)
            inner = child
    inner.append(el)
    parent.insert(index, outer)
    return f"deepen <{etree.QName(el).localname}> in {depth} x {'/'.join(wrappers)}"


XML_MUTATORS: list[tuple[str, Callable]] = [
    ("xml-deepen", _xml_deepen),
    ("xml-delete", _xml_delete), ("xml-duplicate", _xml_duplicate), ("xml-swap", _xml_swap),
    ("xml-move", _xml_move), ("xml-rename", _xml_rename), ("xml-attr", _xml_attr),
    ("xml-numbering", _xml_numbering), ("xml-text", _xml_text),
]


def mutate_xml(rng: random.Random, data: bytes, rounds: int = 1) -> tuple[bytes, str]:
    entries = read_zip(data)
    notes = []
    for _ in range(rounds):
        i = _pick_part(rng, entries)
        if i is None:
            break
        name, xml = entries[i]
        try:
            root = etree.fromstring(xml, etree.XMLParser(huge_tree=True))
        except etree.XMLSyntaxError:  # an earlier round nested it beyond libxml2's depth limit
            notes.append(f"{name}: (too deep to mutate again)")
            continue
        kind, fn = rng.choice(XML_MUTATORS)
        if kind != "xml-numbering" and name == "word/numbering.xml" and rng.random() < 0.5:
            kind, fn = "xml-numbering", _xml_numbering
        notes.append(f"{name}: {fn(rng, root)}")
        entries[i] = (name, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    return write_zip(entries), "; ".join(notes)


def flip_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    out = bytearray(data)
    n = rng.choice((1, 2, 4, 16, 64))
    for _ in range(n):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out), f"flip {n} bytes"


def truncate_file(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    cut = rng.randrange(len(data))
    return data[:cut], f"truncate file at {cut}/{len(data)}"


def truncate_entry(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    entries = read_zip(data)
    i = _pick_part(rng, entries)
    if i is None:
        i = rng.randrange(len(entries))
    name, body = entries[i]
    cut = rng.randrange(len(body) + 1)
    entries[i] = (name, body[:cut])
    return write_zip(entries), f"truncate {name} at {cut}/{len(body)}"


def damage_entry(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    entries = read_zip(data)
    i = _pick_part(rng, entries)
    if i is None:
        i = rng.randrange(len(entries))
    name, body = entries[i]
    out = bytearray(body)
    n = rng.choice((1, 3, 10))
    for _ in range(n):
        if out:
            out[rng.randrange(len(out))] = rng.choice(b"<>&\"'/=\x00\xff\xfe ?!-")
    entries[i] = (name, bytes(out))
    return write_zip(entries), f"damage {n} bytes of {name}"


def drop_part(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    entries = read_zip(data)
    i = _pick_part(rng, entries) if rng.random() < 0.7 else rng.randrange(len(entries))
    if i is None:
        i = rng.randrange(len(entries))
    name = entries[i][0]
    del entries[i]
    return write_zip(entries), f"drop {name}"


def xml_once(rng, data):
    return mutate_xml(rng, data, 1)


def xml_stack(rng, data):
    return mutate_xml(rng, data, rng.randint(2, 6))


#: (name, weight, mutator)
MUTATORS: list[tuple[str, int, Callable]] = [
    ("flip-bytes", 2, flip_bytes), ("truncate-file", 1, truncate_file), ("truncate-entry", 2, truncate_entry),
    ("damage-entry", 2, damage_entry), ("drop-part", 1, drop_part), ("xml", 8, xml_once),
    ("xml-stack", 4, xml_stack),
]


def case(seed: int, index: int, seeds: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """The bytes and description of case ``index`` of a run with ``seed`` (deterministic)."""
    rng = random.Random(f"{seed}:{index}")
    name, data = rng.choice(seeds)
    total = sum(w for _n, w, _f in MUTATORS)
    r = rng.uniform(0, total)
    for kind, weight, fn in MUTATORS:
        r -= weight
        if r <= 0:
            break
    mutated, note = fn(rng, data)
    return mutated, f"{name} | {kind} | {note}"


# ---------------------------------------------------------------------------
# running a case


@dataclass
class Outcome:
    index: int
    kind: str  # "ok", an E code, or one of BAD_OUTCOMES
    description: str
    detail: str = ""
    seconds: float = 0.0
    codes: list[str] = field(default_factory=list)


class _Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Timeout()


def check_file(path: str, config=None, deep: bool = False) -> tuple[str, str, list[str]]:
    """Lint ``path`` (and with ``deep`` fix and annotate it) and classify the result:
    (kind, detail, finding codes)."""
    from ecocheck import api
    from ecocheck.config import Config

    config = config or Config(select=["ALL"])
    before = Path(path).read_bytes()
    try:
        result = api.lint_file(path, config, keep_outline=True)
    except _Timeout:
        raise
    except BaseException as exc:  # noqa: BLE001 - the point is to catch everything
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else "?"
        return "crash", f"{type(exc).__name__}: {str(exc)[:200]} at {where}", []
    codes = [f.code for f in result.findings]
    if Path(path).read_bytes() != before:
        return "bad-result", "the input file changed", codes
    e_codes = [c for c in codes if c.startswith("E")]
    if "E100" in e_codes:
        crash = next(f for f in result.findings if f.code == "E100")
        return "rule-crash", crash.message[:300], codes
    if e_codes:
        if len(result.findings) != 1 or not result.error:
            return "bad-result", f"E finding among others: {codes[:10]}", codes
        return e_codes[0], result.findings[0].message[:120], codes
    if result.error:
        return "bad-result", "error flag without an E finding", codes
    doc = result.outline.document if result.outline is not None else None
    if doc is not None:
        for f in result.findings:
            if f.paragraph is not None and f.location_error(doc):
                return "bad-result", f"{f.code} location does not match its text {f.text[:20]!r}", codes
    if deep:
        problem = check_fix_and_annotate(path, result.findings, config)
        if problem is not None:
            return problem[0], problem[1], codes
        if Path(path).read_bytes() != before:
            return "bad-result", "fixing or annotating changed the input file", codes
    return FINE, "", codes


def check_fix_and_annotate(path: str, findings, config) -> tuple[str, str] | None:
    """Fix in memory and annotate into a copy; both outputs must load again."""
    from ecocheck.errors import LoadError
    from ecocheck.fix.annotate import AnnotateError, annotate_file
    from ecocheck.fix.engine import fix_file
    from ecocheck.loaders import load

    try:
        outcome = fix_file(path, config)
    except Exception as exc:  # noqa: BLE001
        return "fix-crash", f"{type(exc).__name__}: {exc}"[:300]
    if outcome.error and "自动修复失败（" in outcome.error:
        return "fix-crash", outcome.error[:300]
    with tempfile.TemporaryDirectory(prefix="ecocheck-fuzz-out-") as tmp:
        if not outcome.error and outcome.changed:
            fixed = os.path.join(tmp, "fixed.docx")
            Path(fixed).write_bytes(outcome.fixed)
            try:
                load(fixed)
            except LoadError as err:
                return "fix-broken", f"{err.code} {err.message}"[:300]
        annotated = os.path.join(tmp, "annotated.docx")
        try:
            annotate_file(path, findings, annotated, config=config, date="2024-01-01T00:00:00Z")
        except AnnotateError as err:
            if "无法生成批注副本（" in err.message:
                return "annotate-crash", err.message[:300]
            return None
        except Exception as exc:  # noqa: BLE001
            return "annotate-crash", f"{type(exc).__name__}: {exc}"[:300]
        try:
            load(annotated)
        except LoadError as err:
            return "annotate-broken", f"{err.code} {err.message}"[:300]
    return None


def run_case(seed: int, index: int, seeds, workdir: str, timeout: float, deep: bool = False) -> Outcome:
    data, description = case(seed, index, seeds)
    path = os.path.join(workdir, f"case-{index}.docx")
    with open(path, "wb") as fh:
        fh.write(data)
    start = time.perf_counter()
    old = signal.signal(signal.SIGALRM, _alarm) if timeout else None
    if timeout:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        kind, detail, codes = check_file(path, deep=deep)
    except _Timeout:
        kind, detail, codes = "hang", f"no result after {timeout:g} s", []
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    seconds = time.perf_counter() - start
    os.unlink(path)
    return Outcome(index, kind, description, detail, seconds, codes)


# -- worker processes ------------------------------------------------------------
_WORKER: dict = {}


def _init_worker(seed: int, seeds, timeout: float, deep: bool = False) -> None:
    _WORKER.update(seed=seed, seeds=seeds, timeout=timeout, deep=deep, dir=tempfile.mkdtemp(prefix="ecocheck-fuzz-"))
    from ecocheck import api

    api.registry()  # load plugins and packs once per worker


def _work(index: int) -> Outcome:
    return run_case(_WORKER["seed"], index, _WORKER["seeds"], _WORKER["dir"], _WORKER["timeout"], _WORKER["deep"])


def run(cases: int, seed: int, jobs: int = 1, timeout: float = 60.0, progress: bool = True, deep: bool = False):
    with tempfile.TemporaryDirectory(prefix="ecocheck-fuzz-seeds-") as tmp:
        seeds = build_seeds(tmp)
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    if jobs > 1:
        import multiprocessing

        ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with ctx.Pool(jobs, initializer=_init_worker, initargs=(seed, seeds, timeout, deep)) as pool:
            for k, outcome in enumerate(pool.imap_unordered(_work, range(cases), chunksize=8), 1):
                outcomes.append(outcome)
                if progress and k % 250 == 0:
                    print(f"  {k}/{cases} cases", file=sys.stderr, flush=True)
    else:
        _init_worker(seed, seeds, timeout, deep)
        for k in range(cases):
            outcomes.append(_work(k))
            if progress and (k + 1) % 250 == 0:
                print(f"  {k + 1}/{cases} cases", file=sys.stderr, flush=True)
    outcomes.sort(key=lambda o: o.index)
    return seeds, outcomes, time.perf_counter() - started


def summary(seed: int, seeds, outcomes: list[Outcome], elapsed: float, deep: bool = False) -> str:
    import ecocheck

    by_kind = collections.Counter(o.kind for o in outcomes)
    by_mutation = collections.Counter(o.description.split(" | ")[1] for o in outcomes)
    bad = [o for o in outcomes if o.kind in BAD_OUTCOMES]
    slow = sorted(outcomes, key=lambda o: -o.seconds)[:3]
    lines = [f"ecocheck {ecocheck.__version__} fuzz_docx: {len(outcomes)} cases, seed {seed}, "
             f"{len(seeds)} seed documents, {elapsed:.0f} s{', --deep (fix + annotate)' if deep else ''}",
             "outcomes:"]
    for kind, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {kind:<12} {n:>6}")
    lines.append("mutations: " + ", ".join(f"{k} {n}" for k, n in sorted(by_mutation.items())))
    lines.append("slowest: " + ", ".join(f"#{o.index} {o.seconds:.2f} s ({o.kind})" for o in slow))
    if bad:
        lines.append(f"PROBLEMS ({len(bad)}):")
        for o in bad:
            lines.append(f"  #{o.index} {o.kind}: {o.detail}")
            lines.append(f"      {o.description}")
    else:
        lines.append("no crash, hang, rule crash or bad result")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mutation-fuzz the .docx loader and the rules.")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a case counts as a hang")
    parser.add_argument("--save-crashes", metavar="DIR", help="write the input of every bad case to DIR")
    parser.add_argument("--case", type=int, metavar="N", help="only run case N (to reproduce it)")
    parser.add_argument("--deep", action="store_true", help="also fix (in memory) and annotate every file that lints")
    args = parser.parse_args(argv)
    if args.case is not None:
        with tempfile.TemporaryDirectory() as tmp:
            seeds = build_seeds(tmp)
            _init_worker(args.seed, seeds, args.timeout, args.deep)
            o = _work(args.case)
            data, _d = case(args.seed, args.case, seeds)
            if args.save_crashes:
                os.makedirs(args.save_crashes, exist_ok=True)
                Path(args.save_crashes, f"case-{args.seed}-{args.case}.docx").write_bytes(data)
        print(f"#{o.index} {o.kind} ({o.seconds:.2f} s): {o.detail}\n  {o.description}")
        return 1 if o.kind in BAD_OUTCOMES else 0
    seeds, outcomes, elapsed = run(args.cases, args.seed, args.jobs, args.timeout, deep=args.deep)
    print(summary(args.seed, seeds, outcomes, elapsed, args.deep))
    bad = [o for o in outcomes if o.kind in BAD_OUTCOMES]
    if bad and args.save_crashes:
        os.makedirs(args.save_crashes, exist_ok=True)
        for o in bad:
            data, _d = case(args.seed, o.index, seeds)
            Path(args.save_crashes, f"case-{args.seed}-{o.index}.docx").write_bytes(data)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
