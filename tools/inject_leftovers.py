"""Measure recall on real text: put typical template leftovers into a clean document, one at a time, and
check that ecocheck finds each (issue 16).

    python tools/inject_leftovers.py FILE.txt ...        # one line per injection: found / MISSED
    python tools/inject_leftovers.py --json FILE.txt ...

An injection edits one place of a copy of the text (the first place it fits) and names the finding it must
cause: code, line and, where it is exact, the finding's text.  Injections that find no place to go (a text
without a percentage has no 占% to leave) are skipped and counted as such.  tests/test_recall.py runs this
over the project's own clean fixtures; the measurement on real documents is in docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CJK = "\u3400-\u9fff"


@dataclass
class Injected:
    name: str  # the kind of leftover
    code: str  # the finding it must cause
    line: int  # 1-based line of the .txt
    text: str | None  # the finding's exact text, when the injection fixes it
    lines: list[str]  # the whole edited text


def _sub_first(lines: list[str], pattern: str, repl, start: int = 1):
    """Replace the first match of ``pattern`` at or after line ``start`` (0-based); returns
    (new lines, 0-based line, the match) or None."""
    rx = re.compile(pattern)
    for i in range(start, len(lines)):
        m = rx.search(lines[i])
        if m:
            new = list(lines)
            new[i] = lines[i][:m.start()] + (repl(m) if callable(repl) else repl) + lines[i][m.end():]
            return new, i, m
    return None


def _simple(name: str, code: str, pattern: str, repl: str, text: str | None):
    def inject(lines: list[str]) -> Injected | None:
        hit = _sub_first(lines, pattern, repl)
        if hit is None:
            return None
        new, i, _m = hit
        return Injected(name, code, i + 1, text, new)
    return inject


def _blank_percentage(lines):
    """5.5% -> X% (the finding's text keeps the text's own % or ％)."""
    hit = _sub_first(lines, r"[0-9]+(\.[0-9]+)?(?=[%％])", "X")
    if hit is None:
        return None
    new, i, m = hit
    return Injected("X%", "H301", i + 1, "X" + new[i][m.start() + 1], new)


def _blank_share(lines):
    """占12.5% -> 占% (or, with no 占 in the text, 增长5% -> 增长%)."""
    hit = _sub_first(lines, r"(?<=占)(比)?[0-9]+(\.[0-9]+)?[%％]", "%")
    if hit:
        return Injected("占%", "H301", hit[1] + 1, "占%", hit[0])
    hit = _sub_first(lines, rf"(?<=[{CJK}])[0-9]+(\.[0-9]+)?(?=[%％])", "")
    if hit:
        return Injected("占%", "H301", hit[1] + 1, "%", hit[0])
    return None


def _numbering_jump(lines):
    """（三） -> （四） on a heading line that follows a （二） one: the series jumps from （二） to （四）."""
    seen_two = False
    for i, line in enumerate(lines):
        if line.startswith("（二）"):
            seen_two = True
        elif line.startswith("（三）") and seen_two:
            new = list(lines)
            new[i] = "（四）" + line[3:]
            return Injected("（二）→（四）", "S110", i + 1, None, new)
        elif re.match(r"[一二三四五六七八九十]+、", line):
            seen_two = False
    return None


def _unpaired_quote(lines):
    """Drop the closing ” of the first quoted phrase."""
    # not a “ that opens its paragraph: that one may run on into the next paragraph (a quotation of
    # several paragraphs closes only at its end), which T401 rightly leaves alone
    hit = _sub_first(lines, rf"(?<=[{CJK}，、：]“)[^“”\n]{{1,20}}”", lambda m: m.group(0)[:-1])
    if hit is None:
        return None
    return Injected("unpaired “", "T401", hit[1] + 1, None, hit[0])


def _typo(lines):
    """选拔 -> 选拨 (or, without 选拔, 部署 -> 布署)."""
    for right, wrong in (("选拔", "选拨"), ("部署", "布署"), ("再接再厉", "再接再励")):
        hit = _sub_first(lines, right, wrong)
        if hit:
            return Injected(f"{wrong}", "W501", hit[1] + 1, wrong, hit[0])
    return None


def _missing_measure(path: Path):
    """Drop the last numbered item of the measures section (its heading line and its body lines): a
    problem is left without its measure.  Only for genres that pair problems with measures; needs the
    outline, so it takes the file."""
    from ecocheck import api

    from ecocheck.resources import load_data

    outline = api.outline_file(str(path))
    if not (load_data("genres.yaml")["genres"].get(outline.genre) or {}).get("pairing"):
        return None  # the genre does not pair problems with measures (a briefing, a work summary)
    lines = path.read_text(encoding="utf-8").split("\n")
    for section in outline.sections:
        if section.role != "measures":
            continue
        heads = [c for c in section.children if c.kind == "heading"]
        if len(heads) < 2 or not any(s.role == "problems" for s in outline.sections):
            return None
        last = heads[-1]
        end = max([last.paragraph, *last.body, *(n.paragraph for n in last.walk())])
        # paragraphs are lines in a .txt without blank lines (the fixtures' form)
        if len(outline.document.paragraphs) != len([x for x in lines if x.strip()]) or "" in lines[:-1]:
            return None
        new = lines[:last.paragraph] + lines[end + 1:]
        return Injected("missing 整改措施 item", "P201", 0, None, new)
    return None


INJECTORS = [
    _simple("**", "H301", r"[0-9]+(?=[个人家项次条名])", "**", "**"),
    _simple("XX", "H301", r"[0-9]+(?=[个人家项次条名])", "XX", "XX"),
    _simple("20xx年", "H301", r"20[0-9]{2}(?=年)", "20xx", "20xx"),
    _blank_percentage,
    _blank_share,
    _numbering_jump,
    _unpaired_quote,
    _simple("half-width comma", "T403", rf"(?<=[{CJK}])，(?=[{CJK}])", ",", ","),
    _typo,
]


def injections(path: Path) -> list[Injected]:
    """Every injection that fits the text of ``path`` (a .txt), each on its own copy."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out = [inj for f in INJECTORS if (inj := f(lines)) is not None]
    measure = _missing_measure(path)
    if measure is not None:
        out.append(measure)
    return out


def found(inj: Injected, findings) -> bool:
    """Does a finding answer the injection?  (P201: anywhere; the rest: at the line, with the text.)"""
    for f in findings:
        if f.code != inj.code:
            continue
        if inj.line and f.line != inj.line:
            continue
        if inj.text is not None and f.text != inj.text:
            continue
        return True
    return False


def measure(paths: list[Path]) -> list[dict]:
    from ecocheck import api
    from ecocheck.config import Config

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            for k, inj in enumerate(injections(path)):
                copy = Path(tmp) / f"{k}_{path.name}"
                copy.write_text("\n".join(inj.lines), encoding="utf-8")
                result = api.lint_file(str(copy), Config())
                rows.append({"file": path.name, "injection": inj.name, "code": inj.code, "line": inj.line,
                             "found": found(inj, result.findings)})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rows = measure(args.files)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{'found ' if r['found'] else 'MISSED'}  {r['file']}:{r['line']}  {r['code']}  {r['injection']}")
        hit = sum(r["found"] for r in rows)
        print(f"{hit}/{len(rows)} injected leftovers found")
    return 0 if all(r["found"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
