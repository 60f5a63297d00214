"""Golden expectations for the fixtures: every finding of the built-in rules, as data.

    python tools/golden.py --write   # regenerate tests/golden/fixtures/*.yaml (review the diff!)
    python tools/golden.py           # print what differs, exit 1 if anything does

tests/test_golden.py compares the current output with these files.  Findings from
third-party plugins (F family, examples) are left out so the core goldens do not depend
on which plugins are installed.  The .docx goldens are built from the same fixture texts
by tools/make_docx.py (typed labels, Word auto-numbering, a table).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _docx_cases(tmp: Path) -> dict[str, Path]:
    from make_docx import build_docx

    fx = ROOT / "fixtures"
    cases = {
        "report_autonumber.auto.docx": build_docx(
            (fx / "report_autonumber.txt").read_text(encoding="utf-8").splitlines(), tmp / "auto.docx",
            auto_number=True),
        "report_placeholders.docx": build_docx(
            (fx / "report_placeholders.txt").read_text(encoding="utf-8").splitlines(), tmp / "ph.docx"),
        "report_table.docx": build_docx(
            yaml.safe_load((fx / "report_table.yaml").read_text(encoding="utf-8"))["paragraphs"], tmp / "table.docx"),
    }
    return cases


def cases(tmp: Path) -> dict[str, Path]:
    fx = ROOT / "fixtures"
    out = {p.name: p for p in sorted(fx.glob("*.txt")) + sorted(fx.glob("*.md"))}
    out.update(_docx_cases(tmp))
    return out


def findings_of(path: Path) -> list[dict]:
    from ecocheck import api
    from ecocheck.config import Config

    res = api.lint_file(str(path), Config())
    rows = []
    for f in res.findings:
        if not (f.source == "built-in" or f.source.startswith("pack:")):
            continue
        rows.append({"code": f.code, "line": f.line, "column": f.column, "text": f.text})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    changed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in cases(Path(tmp)).items():
            got = findings_of(path)
            target = GOLDEN / f"{name}.yaml"
            old = yaml.safe_load(target.read_text(encoding="utf-8")) if target.exists() else None
            if old != got:
                changed += 1
                print(f"{name}: {len(old or [])} → {len(got)} findings")
                if args.write:
                    GOLDEN.mkdir(parents=True, exist_ok=True)
                    target.write_text(yaml.safe_dump(got, allow_unicode=True, sort_keys=False, width=200),
                                      encoding="utf-8")
    return 1 if changed and not args.write else 0


if __name__ == "__main__":
    raise SystemExit(main())
