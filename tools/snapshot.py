"""Snapshot every finding and outline ecocheck gives on the project's own texts, for refactors.

    python tools/snapshot.py OUT.json [--ecocheck PATH]   # write a snapshot
    python tools/snapshot.py --compare A.json B.json      # print what differs, exit 1 if anything does

A refactor that must not change behaviour takes a snapshot before and after and compares them.  The
inputs: every fixture (.txt/.md and the .docx built from each .txt, typed and with Word numbering), the
structure fixtures, the real-document regression set (fixtures/realworld), the rule-case texts, the real
documents in ../shared (when present) and the bench corpora.  The installed ``ecocheck`` is run as a user
runs it (``--isolated --no-cache -j 1``, every rule selected), so the snapshot does not depend on the
library's internal API.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "bench"))


def collect(tmp: Path) -> list[Path]:
    from make_docx import build_docx
    from run import corpus_lines, write_docx, write_txt

    sources: list[Path] = []
    for folder in ("fixtures", "fixtures/structure", "fixtures/realworld", "tests/rule_cases"):
        sources += sorted(p for p in (ROOT / folder).glob("*") if p.suffix in (".txt", ".md"))
    for folder in ("seeds", "corpus"):
        shared = ROOT.parent / "shared" / folder
        if shared.is_dir():
            sources += sorted(shared.glob("*.txt"))
    out: list[Path] = []
    for src in sources:
        rel = src.relative_to(ROOT.parent) if not src.is_relative_to(ROOT) else src.relative_to(ROOT)
        dest = tmp / str(rel).replace("/", "__").replace("..", "up")
        shutil.copyfile(src, dest)
        out.append(dest)
        if src.suffix == ".txt":
            lines = src.read_text(encoding="utf-8").splitlines()
            out.append(build_docx(lines, dest.with_suffix(".typed.docx")))
            out.append(build_docx(lines, dest.with_suffix(".auto.docx"), auto_number=True))
    lines = corpus_lines(100_000)
    out.append(write_txt(tmp / "bench_100k.txt", lines))
    out.append(write_docx(tmp / "bench_100k.docx", lines))
    return out


def snapshot(eco: str) -> dict:
    result: dict = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        files = collect(tmp)
        for path in files:
            lint = subprocess.run(
                [eco, "lint", str(path), "-f", "json", "--isolated", "--no-cache", "-j", "1", "--select", "ALL",
                 "--exit-zero"], capture_output=True, text=True, cwd=tmp)
            outline = subprocess.run([eco, "outline", str(path), "-f", "json", "--isolated"],
                                     capture_output=True, text=True, cwd=tmp)
            result[path.name] = {"lint": _json_or_text(lint), "outline": _json_or_text(outline)}
    return result


def _json_or_text(proc: subprocess.CompletedProcess):
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}
    # Paths differ between runs (temporary folder); keep the file name only.
    for f in data.get("files", []) if isinstance(data, dict) else []:
        f["path"] = Path(f["path"]).name
    if isinstance(data, dict) and "path" in data:
        data["path"] = Path(data["path"]).name
    return data


def compare(a: Path, b: Path) -> int:
    old, new = json.loads(a.read_text()), json.loads(b.read_text())
    differ = 0
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            differ += 1
            print(f"differs: {name}")
    print(f"{len(old)} vs {len(new)} inputs, {differ} differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?")
    ap.add_argument("--ecocheck", type=lambda p: str(Path(p).resolve()) if "/" in p else p,
                    default=shutil.which("ecocheck") or "ecocheck")
    ap.add_argument("--compare", nargs=2, type=Path)
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if not args.out:
        ap.error("OUT.json is required")
    Path(args.out).write_text(json.dumps(snapshot(args.ecocheck), ensure_ascii=False, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
