"""styles.xml parsed only as far as it is used (ecocheck.ooxml.styles.styles_subset, called by the loader).

The loader and the GB/T 9704 plugin look styles up by id only, so leaving out the styles nothing
refers to must change nothing: checked here style by style, and finding by finding over the fuzz
seeds, the fuzzer's mutants and .docx files built from every fixture.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import fuzz_docx
import pytest
from lxml import etree
from make_docx import build_docx

from ecocheck import api
from ecocheck.config import Config
from ecocheck.loaders import docx as loader
from ecocheck.ooxml.styles import styles_subset

ROOT = Path(__file__).resolve().parents[1]
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">'
MAIN = f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:p>' \
       '</w:body></w:document>'


def style(sid: str, inner: str = "", **attrs: str) -> str:
    extra = "".join(f' w:{k}="{v}"' for k, v in attrs.items())
    return f'<w:style w:type="paragraph" w:styleId="{sid}"{extra}><w:name w:val="{sid}"/>{inner}</w:style>'


def styles_xml(*styles: str, defaults: str = "<w:docDefaults/>") -> bytes:
    return (HEAD + defaults + "".join(styles) + "</w:styles>").encode()


def ids(data: bytes) -> list[str]:
    return [el.get(W + "styleId") for el in etree.fromstring(data).iterchildren(W + "style")]


def test_keeps_defaults_references_and_everything_they_refer_to():
    data = styles_xml(
        style("Normal", default="1"),
        style("Heading1", '<w:basedOn w:val="HeadingBase"/><w:link w:val="Heading1Char"/>'),
        style("HeadingBase", '<w:basedOn w:val="Normal"/>'),
        style("Heading1Char"),
        style("Unused", '<w:basedOn w:val="Normal"/>'),
        style("ListPara"),
        style("Heading1", '<w:basedOn w:val="Unused"/>'),  # a second definition: the first counts
        style("TOC9"),
    )
    numbering = f'<w:numbering xmlns:w="{W_NS}"><w:lvl><w:pStyle w:val="ListPara"/></w:lvl></w:numbering>'.encode()
    subset = styles_subset(data, MAIN.encode(), [numbering])
    # both Heading1 definitions stay, in order (and the second one's basedOn with them)
    assert ids(subset) == ["Normal", "Heading1", "HeadingBase", "Heading1Char", "Unused", "ListPara", "Heading1"]
    assert subset.startswith(data[:data.find(b"<w:style ")])  # declaration, root, docDefaults untouched
    assert styles_subset(data, MAIN.encode(), []) and b"ListPara" not in styles_subset(data, MAIN.encode(), [])


def test_a_default_is_kept_however_its_attribute_is_written():
    data = styles_xml(style("Normal").replace('w:styleId="Normal"', 'w:styleId="Normal" w:default = "1"'),
                      style("Heading1"), style("Unused"))
    assert ids(styles_subset(data, MAIN.encode(), [])) == ["Normal", "Heading1"]


@pytest.mark.parametrize("where", ["styles", "numbering"])
def test_a_reference_the_cut_cannot_read_means_the_whole_part(where):
    based = style("Heading1", "<w:basedOn w:val='Base'/>") if where == "styles" else style("Heading1")
    data = styles_xml(style("Normal", default="1"), based, style("Base"), style("Unused"))
    numbering = f"<w:numbering xmlns:w=\"{W_NS}\"><w:lvl><w:pStyle w:val = \"Base\"/></w:lvl></w:numbering>"
    others = [numbering.encode()] if where == "numbering" else []
    assert styles_subset(data, MAIN.encode(), others) is None


def test_all_styles_in_use_gives_the_part_itself():
    data = styles_xml(style("Normal", default="1"), style("Heading1"))
    assert styles_subset(data, MAIN.encode(), []) is data


@pytest.mark.parametrize("change", [
    lambda s: s.replace(b"<w:docDefaults/>", b"<w:docDefaults/><!-- </w:style> -->"),  # a comment
    lambda s: s.replace(b"<w:docDefaults/>", b"<w:docDefaults/><![CDATA[x]]>"),  # CDATA
    lambda s: s.replace(b"w:", b"x:").replace(b"xmlns:x", b"xmlns:x"),  # another prefix
    lambda s: s.replace(b'<w:style w:type="paragraph" w:styleId="Heading1"',
                        b'<w:style\n w:type="paragraph" w:styleId="Heading1"'),  # not '<w:style '
    lambda s: s.replace(b"</w:styles>", b'<w:style w:styleId="X" w:x=">"/>' + style("Y").encode() + b"</w:styles>"),
    lambda s: s.replace(b"</w:style><w:style", b"</w:style><w:x/><w:style", 1),  # not only styles
])
def test_anything_uncertain_means_the_whole_part(change):
    data = change(styles_xml(style("Normal", default="1"), style("Heading1"), style("Unused")))
    assert styles_subset(data, MAIN.encode(), []) is None


@pytest.mark.parametrize("reference", [
    '<w:pStyle w:val="Heading1" w:x="1"/>', "<w:pStyle w:val='Heading1'/>", "<w:pStyle\nw:val=\"Heading1\"/>",
])
def test_a_main_part_reference_in_another_form_means_the_whole_part(reference):
    data = styles_xml(style("Normal", default="1"), style("Heading1"), style("Unused"))
    main = MAIN.replace('<w:pStyle w:val="Heading1"/>', reference).encode()
    assert styles_subset(data, main, []) is None


def test_a_malformed_style_nothing_uses_no_longer_makes_the_file_unreadable(tmp_path):
    src = build_docx(["关于某局的报告", "一、基本情况", "现有党员**人。"], tmp_path / "a.docx")
    with zipfile.ZipFile(src) as z:
        styles = z.read("word/styles.xml")
    # a table style the report never uses gets an unclosed element
    head = re.search(rb'<w:style [^>]*w:styleId="ColorfulGrid-Accent6"[^>]*>', styles)
    assert head is not None
    broken = styles[:head.end()] + b"<w:broken>" + styles[head.end():]
    path = tmp_path / "b.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, broken if info.filename == "word/styles.xml" else zin.read(info))
    codes = [f.code for f in api.lint_file(str(path), Config()).findings]
    assert "H301" in codes and not any(c.startswith("E0") for c in codes)


def _docx_cases(tmp_path: Path) -> list[Path]:
    paths = []
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds2").mkdir()
    for name, data in fuzz_docx.build_seeds(tmp_path / "seeds"):
        (tmp_path / f"seed-{name}.docx").write_bytes(data)
        paths.append(tmp_path / f"seed-{name}.docx")
    seeds = fuzz_docx.build_seeds(tmp_path / "seeds2")
    rng = random.Random(7)
    for i in range(30):  # mutants: the fuzzer's XML-level and byte-level changes
        data, _note = fuzz_docx.case(rng.randrange(1000), i, seeds)
        (tmp_path / f"mutant-{i}.docx").write_bytes(data)
        paths.append(tmp_path / f"mutant-{i}.docx")
    for fixture in sorted((ROOT / "fixtures").glob("*.txt")):
        lines = fixture.read_text(encoding="utf-8").splitlines()
        for k, kwargs in enumerate(({}, {"auto_number": True, "title_style": "Title"})):
            paths.append(build_docx(lines, tmp_path / f"{fixture.stem}-{k}.docx", **kwargs))
    return paths


def _outcome(path: Path) -> tuple:
    result = api.lint_file(str(path), Config(select=["ALL"]))
    try:
        doc = loader.load_docx(str(path))
    except Exception as exc:  # noqa: BLE001 - a mutant may be unreadable: then it must be so either way
        return type(exc).__name__, str(exc), ()
    paragraphs = [(p.text, p.style, p.line, p.column_offset, sorted(p.props.items())) for p in doc.paragraphs]
    findings = [(f.code, f.line, f.column, f.end_column, f.message) for f in result.findings]
    return paragraphs, findings


@pytest.mark.slow  # every fixture and case document twice
def test_same_paragraphs_and_findings_with_and_without_the_subset(tmp_path, monkeypatch):
    cases = _docx_cases(tmp_path)
    with_subset = [_outcome(p) for p in cases]
    monkeypatch.setattr(loader, "styles_subset", lambda *args: None)
    without = [_outcome(p) for p in cases]
    assert with_subset == without
    assert sum(1 for o in with_subset if isinstance(o[1], list) and o[1]) > 20  # it saw findings, not only errors
