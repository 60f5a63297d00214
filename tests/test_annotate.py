"""--annotate: findings as Word comments on a copy, anchored on the flagged text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from make_docx import build_docx
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.config import Config
from ecocheck.fix import annotate_file, default_output
from ecocheck.loaders import load
from ecocheck.model import Finding, Severity

PACKS = Path(__file__).resolve().parent / "fix_packs"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
runner = CliRunner()


@pytest.fixture
def config() -> Config:
    return Config(pack_dirs=[str(PACKS)], select=["W990", "W991", "S990", "H990"])


def _docx(tmp_path, name="draft.docx") -> str:
    path = tmp_path / name
    build_docx([
        "关于某局政治生态情况的报告",
        "一、基本情况",
        {"runs": [{"text": "干部选"}, {"text": "拨工作", "bold": True}, {"text": "仍待定。"}]},
        {"text": "（一）部暑落实", "comment": {"text": "请核实", "author": "张三", "anchor": "落实"}},
        {"text": "这样做", "insert": {"text": "选拨干部", "after": "这样"}},
        {"table": [["选拨A", "B部暑"]]},
    ], path, auto_number=True)
    return str(path)


def _comments(path: str) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/comments.xml"))
    return {c.get(W + "id"): c for c in root.iter(W + "comment")}


def _comment_text(el) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in el.iter(W + "p"))


def _ranges_in_xml(path: str) -> dict[str, str]:
    """Comment id -> the w:t text between its commentRangeStart and commentRangeEnd, read with lxml alone."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    open_: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for el in root.iter():
        if el.tag == W + "commentRangeStart":
            open_[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            out[el.get(W + "id")] = "".join(open_.pop(el.get(W + "id")))
        elif el.tag == W + "t":
            for parts in open_.values():
                parts.append(el.text or "")
    return out


def _anchored(doc, comment) -> str:
    assert comment.paragraph == comment.end_paragraph
    return doc.paragraphs[comment.paragraph].text[comment.start:comment.end]


def test_each_comment_is_anchored_on_the_flagged_text(tmp_path, config):
    path = _docx(tmp_path)
    before = Path(path).read_bytes()
    findings = api.lint_file(path, config).findings
    assert {f.code for f in findings} == {"W990", "W991", "S990", "H990"}
    res = annotate_file(path, findings, config=config)
    assert res.output == str(tmp_path / "draft.ecocheck.docx") == default_output(path)
    assert res.comments == len(findings) and not res.skipped
    assert Path(path).read_bytes() == before  # the input is never touched

    original, copy = load(path), load(res.output)
    assert [p.text for p in copy.paragraphs] == [p.text for p in original.paragraphs]
    ours = [c for c in copy.comments if c.author == "ecocheck"]
    assert len(ours) == len(findings)
    xml = _comments(res.output)
    for f, c in zip(sorted(findings, key=lambda f: (f.paragraph, f.start, f.code)),
                    sorted(ours, key=lambda c: (c.paragraph, c.start, int(c.id)))):
        text = _comment_text(xml[c.id])
        assert text.startswith(f.code), text
        assert f.message in text
        assert xml[c.id].get(W + "initials") == "EC"
        if f.code == "S990":  # inside the auto-number label "（一）": a point at the paragraph's own text
            p = copy.paragraphs[f.paragraph]
            assert (c.paragraph, c.start, c.end) == (f.paragraph, p.num_prefix, p.num_prefix)
        else:
            assert (c.paragraph, c.start, c.end) == (f.paragraph, f.start, f.end)
            assert _anchored(copy, c) == f.text
    # the same, read straight from document.xml
    ranges = _ranges_in_xml(res.output)
    assert sorted(ranges[c.id] for c in ours) == sorted("" if f.code == "S990" else f.text for f in findings)
    # the suggestion is in the comment, in Chinese
    typo = next(c for c in ours if _anchored(copy, c) == "部暑")
    assert "建议：改为“部署”" in _comment_text(xml[typo.id])


def test_existing_comments_kept_and_ids_unique(tmp_path, config):
    import docx

    path = _docx(tmp_path)
    res = annotate_file(path, api.lint_file(path, config).findings, config=config)
    native = list(docx.Document(res.output).comments)  # python-docx opens the copy
    assert {(c.author, c.initials) for c in native} == {("张三", ""), ("ecocheck", "EC")}
    copy = load(res.output)
    old = [c for c in copy.comments if c.author == "张三"]
    assert len(old) == 1 and old[0].text == "请核实" and _anchored(copy, old[0]) == "落实"
    ids = [c.id for c in copy.comments]
    assert len(ids) == len(set(ids))
    with zipfile.ZipFile(res.output) as z:
        doc_xml = etree.fromstring(z.read("word/document.xml"))
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        marks = [e.get(W + "id") for e in doc_xml.iter(W + tag)]
        assert sorted(marks) == sorted(ids), tag


def test_split_runs_keep_their_formatting(tmp_path, config):
    path = _docx(tmp_path)
    res = annotate_file(path, api.lint_file(path, config).findings, config=config)
    runs = [r for r in load(res.output).paragraphs[2].runs]
    assert [(r.text, r.bold) for r in runs] == [("干部", None), ("选", None), ("拨", True), ("工作", True),
                                                ("仍", None), ("待定", None), ("。", None)]


def test_tracked_insertion_and_table_cell(tmp_path, config):
    path = _docx(tmp_path)
    res = annotate_file(path, api.lint_file(path, config).findings, config=config)
    copy = load(res.output)
    ins = [c for c in copy.comments if c.author == "ecocheck" and c.paragraph == 4]
    assert sorted(_anchored(copy, c) for c in ins) == ["拨干部", "选拨"]  # overlapping ranges are fine
    assert [(r.text, r.revision) for r in copy.paragraphs[4].runs] == [
        ("这样", None), ("选", "ins"), ("拨", "ins"), ("干部", "ins"), ("做", None)]
    assert [r.text for r in copy.revisions if r.kind == "ins"] == ["选拨干部"]
    cells = [c for c in copy.comments if c.author == "ecocheck" and copy.paragraphs[c.paragraph].table]
    assert sorted(_anchored(copy, c) for c in cells) == sorted(["部暑", "选拨"])


def _finding(code, paragraph, start=0, end=0, text="", message="测试") -> Finding:
    return Finding(code=code, name="t", severity=Severity.WARNING, message=message, path="x",
                   line=1, column=1, end_line=1, end_column=1, text=text, paragraph=paragraph, start=start, end=end)


def test_section_and_document_findings_anchor_on_heading_and_title(tmp_path):
    path = tmp_path / "r.docx"
    build_docx(["关于某局的报告", "一、存在问题", "正文内容。", "二、整改措施", "一是加强学习。学习不够。"], path,
               auto_number=True)
    doc = load(str(path))
    findings = [
        _finding("S991", None, message="整篇文档的问题"),  # whole document -> the title
        _finding("S992", 1, message="一节的问题"),  # a section, at its label -> the heading
        _finding("S993", 4, message="条目的问题"),  # a run-in item -> its heading text
        _finding("S994", 2, 2, 2, message="段中一点"),  # an empty finding inside a paragraph -> a point
    ]
    res = annotate_file(str(path), findings)
    assert res.comments == 4
    copy = load(res.output)
    by_text = {c.text.split("\n")[0]: c for c in copy.comments}
    title = by_text["S991（警告）整篇文档的问题"]
    assert _anchored(copy, title) == "关于某局的报告"
    heading = by_text["S992（警告）一节的问题"]
    assert _anchored(copy, heading) == "存在问题"  # the auto-number label is not text in the XML
    assert heading.start == doc.paragraphs[1].num_prefix
    item = by_text["S993（警告）条目的问题"]
    assert _anchored(copy, item).startswith("一是加强学习")
    assert "学习不够" not in _anchored(copy, item)
    point = by_text["S994（警告）段中一点"]
    assert (point.paragraph, point.start, point.end) == (2, 2, 2)


@pytest.mark.parametrize("name,content,encoding", [
    ("draft.txt", "关于某局的报告\r\n一、基本情况\r\n干部选拨工作。\r\n", "gb18030"),
    ("draft.md", "# 关于某局的报告\n\n## 一、基本情况\n\n干部选拨工作，部暑落实。\n", "utf-8"),
])
def test_text_input_becomes_an_annotated_docx(tmp_path, config, name, content, encoding):
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    before = path.read_bytes()
    findings = api.lint_file(str(path), config).findings
    assert findings
    res = annotate_file(str(path), findings, config=config)
    assert res.output == str(tmp_path / "draft.ecocheck.docx")
    assert path.read_bytes() == before
    source, copy = load(str(path)), load(res.output)
    assert [p.text for p in copy.paragraphs] == [p.text for p in source.paragraphs]
    assert sorted(_anchored(copy, c) for c in copy.comments) == sorted(f.text for f in findings)
    if name.endswith(".md"):
        assert copy.paragraphs[2].style == "Heading 2"


def test_cli_annotate_default_and_explicit_output(tmp_path, config):
    path = _docx(tmp_path)
    (tmp_path / "ecocheck.yaml").write_text(f"extra-rule-packs: ['{PACKS}']\nselect: [W990, H990]\n",
                                            encoding="utf-8")
    res = runner.invoke(app, ["lint", path, "--annotate", "--no-cache"])
    assert res.exit_code == 1, res.output
    assert (tmp_path / "draft.ecocheck.docx").is_file()
    assert "已生成批注副本" in res.output
    out = tmp_path / "sub" / "审阅稿.docx"
    out.parent.mkdir()
    res = runner.invoke(app, ["lint", path, "--annotate-output", str(out), "--no-cache", "-q"])
    assert res.exit_code == 1, res.output
    assert {c.author for c in load(str(out)).comments} == {"张三", "ecocheck"}


def test_cli_annotate_many_files_needs_a_directory(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("一、基本情况\n", encoding="utf-8")
    b.write_text("二、存在问题\n", encoding="utf-8")
    res = runner.invoke(app, ["lint", str(a), str(b), "--annotate-output", str(tmp_path / "x.docx"), "--no-cache"])
    assert res.exit_code == 2
    assert "必须是已存在的目录" in res.output
    outdir = tmp_path / "out"
    outdir.mkdir()
    res = runner.invoke(app, ["lint", str(a), str(b), "--annotate-output", str(outdir), "--no-cache"])
    assert res.exit_code in (0, 1), res.output
    assert sorted(p.name for p in outdir.iterdir()) == ["a.ecocheck.docx", "b.ecocheck.docx"]


def test_cli_annotate_unreadable_file_is_skipped(tmp_path, write_text):
    good = write_text("关于某局的报告\n一、基本情况\n", "good.txt")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip at all")
    res = runner.invoke(app, ["lint", str(bad), good, "--annotate", "--no-cache"])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert (tmp_path / "good.ecocheck.docx").is_file()
    assert not (tmp_path / "bad.ecocheck.docx").exists()
