"""Visual check of ``ecocheck lint --annotate``: look at the comments where Word/LibreOffice shows them.

Builds a fixture .docx (auto-numbered headings, a bold run split by a
finding, a tracked insertion, a table, an existing reviewer comment),
annotates it with ecocheck, converts the copy to PDF with LibreOffice
(comments in the margin) and the PDF to PNG with pdftoppm, so a person can
check that each comment sits on the flagged text.  Not part of CI.

    python tools/visual_check_annotate.py [OUTDIR]     # default: ./visual-check

Needs ``soffice`` (apt-get install libreoffice-writer-nogui) and ``pdftoppm``
(poppler-utils); a CJK font (fonts-noto-cjk) makes the Chinese readable.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_docx import build_docx  # noqa: E402

PACKS = HERE.parent / "tests" / "fix_packs"  # a test pack: 选拨->选拔 (safe fix), 以至 (unsafe), 待定 (leftover)

PARAGRAPHS = [
    "关于某县水利局2023年度政治生态情况的报告",
    "一、基本情况",
    {"runs": [{"text": "局机关现有党员XX人，干部选"}, {"text": "拨工作", "bold": True},
              {"text": "规范有序，个别事项仍待定。"}]},
    "二、存在问题",
    {"text": "（一）部暑落实不够到位", "comment": {"text": "原有批注：请补充具体事例", "author": "张三",
                                                "anchor": "不够到位"}},
    {"text": "一是学习不深入。以至个别干部理论功底不扎实。", "insert": {"text": "（新增）选拨程序不规范", "after": "。"}},
    {"table": [["事项", "情况"], ["选拨任用", "部暑到位"]]},
    "三、整改措施",
    "（一）强化理论武装",
]


def run(argv: list[str] | None = None) -> int:
    from ecocheck import api
    from ecocheck.config import Config
    from ecocheck.fix import annotate_file

    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "visual-check").resolve()
    out.mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        print("需要 soffice（LibreOffice）和 pdftoppm（poppler-utils）", file=sys.stderr)
        return 2

    source = out / "fixture.docx"
    build_docx(PARAGRAPHS, source, auto_number=True)
    config = Config(pack_dirs=[str(PACKS)], extend_select=["W990", "H990"])
    findings = api.lint_file(str(source), config).findings
    result = annotate_file(str(source), findings, str(out / "fixture.ecocheck.docx"), config=config)
    print(f"{len(findings)} findings, {result.comments} comments -> {result.output}")
    for f in findings:
        print(f"  {f.line}:{f.column} {f.code} {f.text!r} {f.message}")
    for f, reason in result.skipped:
        print(f"  skipped {f.code}: {reason}")

    # 1. What LibreOffice itself anchors: convert to .odt and read the text between
    #    office:annotation and office:annotation-end (a point comment has no end).
    subprocess.run([soffice, "--headless", "--convert-to", "odt", "--outdir", str(out), result.output],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    anchored = odt_anchors(out / "fixture.ecocheck.odt")
    expected = sorted(anchor_text(f, source, config) for f in findings)
    got = sorted((code, text) for code, text in anchored if code != "张三")
    print("LibreOffice anchors (code, anchored text):")
    for code, text in sorted(anchored):
        print(f"  {code:6} «{text}»")
    print("anchors match the findings" if got == expected else f"MISMATCH: expected {expected}")

    # 2. A picture: PDF with the comments (LibreOffice >= 7.5 puts their text in the margin;
    #    older versions draw a note icon at the end of each anchored range), then PNG.
    pdf_filter = ('pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"},'
                  '"ExportNotesInMargin":{"type":"boolean","value":"true"}}')
    subprocess.run([soffice, "--headless", "--convert-to", pdf_filter, "--outdir", str(out), result.output],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    pdf = out / "fixture.ecocheck.pdf"
    subprocess.run([pdftoppm, "-png", "-r", "110", str(pdf), str(out / "page")], check=True, timeout=300,
                   stderr=subprocess.DEVNULL)
    subprocess.run([pdftoppm, "-png", "-r", "110", "-hide-annotations", str(pdf), str(out / "text")],
                   check=True, timeout=300, stderr=subprocess.DEVNULL)
    for png in sorted(out.glob("*.png")):
        print(png)
    return 0 if got == expected else 1


OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def anchor_text(f, source: Path, config) -> tuple[str, str]:
    """(code, the text ecocheck anchors ``f`` on): the flagged text, a heading or the title."""
    from ecocheck.fix.annotate import _outline, find_anchor
    from ecocheck.loaders import load

    doc = load(str(source))
    a = find_anchor(f, doc, _outline(doc, config))
    return f.code, ("?" if isinstance(a, str) else doc.paragraphs[a.paragraph].text[a.start:a.end])


def odt_anchors(path: Path) -> list[tuple[str, str]]:
    """(code, text LibreOffice shows the comment anchored on) for every comment of an .odt.

    The code is the comment's first word (ecocheck writes "H301（警告）…"); other
    comments are reported under their author.
    """
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("content.xml"))
    ranges: dict[str, tuple[str, list[str]]] = {}
    done: list[tuple[str, str]] = []

    def add(s: str | None) -> None:
        for _code, parts in ranges.values():
            parts.append(s or "")

    def walk(el) -> None:
        for c in el:
            name = etree.QName(c).localname if isinstance(c.tag, str) else ""
            if name == "annotation":
                paras = ["".join(p.itertext()) for p in c.iter(f"{{{TEXT}}}p")]
                creator = "".join(c.findtext("{http://purl.org/dc/elements/1.1/}creator") or "")
                code = paras[0].split("（")[0] if creator == "ecocheck" and paras else creator
                if c.get(f"{{{OFFICE}}}name"):
                    ranges[c.get(f"{{{OFFICE}}}name")] = (code, [])
                else:
                    done.append((code, ""))  # a point comment
            elif name == "annotation-end":
                code, parts = ranges.pop(c.get(f"{{{OFFICE}}}name"), ("?", []))
                done.append((code, "".join(parts)))
            elif name == "s":
                add(" " * int(c.get(f"{{{TEXT}}}c", "1")))
            elif name == "tab":
                add("\t")
            elif name not in ("tracked-changes", "sequence-decls"):
                add(c.text)
                walk(c)
            add(c.tail)

    walk(root.find(f"{{{OFFICE}}}body"))
    return done


if __name__ == "__main__":
    sys.exit(run())
