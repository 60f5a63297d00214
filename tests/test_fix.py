"""--fix / --diff: safe fixes only, encodings and formatting kept, atomic writes."""

from __future__ import annotations

import codecs
import os
import stat
import zipfile
from pathlib import Path

import pytest
from make_docx import build_docx
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.config import Config
from ecocheck.fix import FixError, fix_file, unified_diff, write_fixed
from ecocheck.fix.docxfile import ATOMIC
from ecocheck.fix.edits import OVERLAP, UNSAFE, plan
from ecocheck.loaders import load

PACKS = Path(__file__).resolve().parent / "fix_packs"
runner = CliRunner()

TEXT = "关于某局的报告\n一、基本情况\n干部选拨工作以至仍待定。\n（一）部暑落实的的的情况\n既使这样\n"
FIXED = "关于某局的报告\n一、基本情况\n干部选拔工作以至仍待定。\n（1）部署落实的情况\n既使这样\n"


@pytest.fixture
def config() -> Config:
    return Config(pack_dirs=[str(PACKS)], select=["W990", "W991", "S990", "H990"])


def _codes(path, config) -> list[str]:
    return [f.code for f in api.lint_file(str(path), config).findings]


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


# ---------------------------------------------------------------------------
# text files


@pytest.mark.parametrize("encoding,bom,newline", [
    ("gb18030", b"", "\r\n"),
    ("utf-8", codecs.BOM_UTF8, "\n"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "\n"),
    ("utf-8", b"", "\r"),
])
def test_text_fix_keeps_encoding_bom_and_line_endings(tmp_path, config, encoding, bom, newline):
    path = tmp_path / "draft.txt"
    path.write_bytes(bom + TEXT.replace("\n", newline).encode(encoding))
    outcome = fix_file(str(path), config)
    assert outcome.error is None
    assert write_fixed(outcome)
    assert path.read_bytes() == bom + FIXED.replace("\n", newline).encode(encoding)
    assert load(str(path)).encoding == load_encoding(bom, encoding)
    # the fixed findings are gone; the unsafe (以至), ambiguous (既使) and unfixable (待定) ones remain
    remaining = api.lint_file(str(path), config).findings
    assert sorted((f.code, f.text) for f in remaining) == [("H990", "待定"), ("W990", "以至"), ("W990", "既使")]
    assert _files(tmp_path) == ["draft.txt"]  # no temporary file left


def load_encoding(bom: bytes, encoding: str) -> str:
    if bom == codecs.BOM_UTF8:
        return "utf-8-sig"
    if bom:
        return "utf-16"
    return encoding


def test_markdown_heading_offsets(tmp_path, config):
    path = tmp_path / "draft.md"
    path.write_text("# 报告\n\n## 部暑工作 ##\n\n- 选拨干部\n", encoding="utf-8")
    outcome = fix_file(str(path), config)
    assert write_fixed(outcome)
    assert path.read_text(encoding="utf-8") == "# 报告\n\n## 部署工作 ##\n\n- 选拔干部\n"


def test_multiple_passes_until_clean(tmp_path, config):
    path = tmp_path / "draft.txt"
    path.write_text("的的的的的情况\n", encoding="utf-8")
    outcome = fix_file(str(path), config)
    assert outcome.passes >= 2
    write_fixed(outcome)
    assert path.read_text(encoding="utf-8") == "的情况\n"
    assert _codes(path, config) == []


def test_unsafe_fixes_are_reported_not_applied(tmp_path, config):
    path = tmp_path / "draft.txt"
    path.write_text("以至于此\n", encoding="utf-8")
    outcome = fix_file(str(path), config)
    assert not outcome.changed and outcome.edits == 0
    assert [(f.text, reason) for f, reason in outcome.skipped] == [("以至", UNSAFE)]


def test_overlapping_fixes_first_wins(tmp_path, config):
    path = tmp_path / "draft.txt"
    path.write_text("选拨干部\n", encoding="utf-8")
    result = api.lint_file(str(path), config)
    doc = load(str(path))
    edits, left = plan(result.findings, doc)
    assert [(e.start, e.end, e.replacement) for e in edits] == [(0, 2, "选拔")]
    assert [(f.code, reason) for f, reason in left] == [("W991", OVERLAP)]
    outcome = fix_file(str(path), config)
    write_fixed(outcome)
    assert path.read_text(encoding="utf-8") == "选拔干部\n"  # W991 no longer applies after W990's fix


def test_permissions_kept_and_no_temp_files(tmp_path, config):
    path = tmp_path / "draft.txt"
    path.write_text(TEXT, encoding="utf-8")
    os.chmod(path, 0o640)
    write_fixed(fix_file(str(path), config))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert _files(tmp_path) == ["draft.txt"]


def test_file_changed_meanwhile_is_not_overwritten(tmp_path, config):
    path = tmp_path / "draft.txt"
    path.write_text(TEXT, encoding="utf-8")
    outcome = fix_file(str(path), config)
    path.write_text(TEXT + "新增一行\n", encoding="utf-8")
    with pytest.raises(FixError):
        write_fixed(outcome)
    assert path.read_text(encoding="utf-8") == TEXT + "新增一行\n"


# ---------------------------------------------------------------------------
# .docx


def _docx(path: Path) -> Path:
    build_docx([
        "关于某局政治生态情况的报告",
        "一、基本情况",
        {"runs": [{"text": "干部"}, {"text": "选拨", "bold": True}, {"text": "工作"}]},
        {"runs": [{"text": "部"}, {"text": "暑", "bold": True, "highlight": "yellow"}, {"text": "落实"}],
         "comment": {"text": "请核实", "author": "张三", "anchor": "落实"}},
        {"text": "（一）情况的的说明"},
        {"text": "这样做", "insert": {"text": "选拨干部", "after": "这样"}},
        {"table": [["选拨A", "B部暑"]]},
        {"runs": [{"text": "以至", "italic": True}, {"text": "于此"}]},
    ], path, auto_number=True)
    return path


def _entries(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def test_docx_fix_keeps_formatting_and_every_other_part(tmp_path, config):
    path = _docx(tmp_path / "draft.docx")
    before = _entries(path)
    outcome = fix_file(str(path), config)
    assert outcome.error is None, outcome.error
    assert write_fixed(outcome)
    after = _entries(path)
    assert [n for n, _ in after] == [n for n, _ in before]  # same entries, same order
    changed = [n for (n, a), (_, b) in zip(before, after) if a != b]
    assert changed == ["word/document.xml"]  # comments, numbering, styles: byte-identical

    doc = load(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[2] == "干部选拔工作"
    assert texts[3] == "部署落实"
    assert texts[4] == "（一）情况的说明"  # the auto-number label is untouched
    assert texts[5] == "这样选拔干部做"
    assert texts[6:8] == ["选拔A", "B部署"]
    assert texts[8] == "以至于此"  # unsafe: not applied
    assert [(r.text, r.bold) for r in doc.paragraphs[2].runs] == [("干部", None), ("选拔", True), ("工作", None)]
    assert [(r.text, r.bold, r.highlight) for r in doc.paragraphs[3].runs] == [
        ("部", None, None), ("署", True, "yellow"), ("落实", None, None)]
    assert [r.revision for r in doc.paragraphs[5].runs] == [None, "ins", None]
    assert [c.text for c in doc.comments] == ["请核实"]
    assert doc.paragraphs[3].text[doc.comments[0].start:doc.comments[0].end] == "落实"
    assert doc.paragraphs[4].num_prefix == 3
    # re-lint: none of the fixed findings; the label (in Word numbering) and the unsafe one remain
    assert sorted((f.code, f.text) for f in api.lint_file(str(path), config).findings) == [
        ("S990", "（一）"), ("W990", "以至")]
    assert _files(tmp_path) == ["draft.docx"]


def test_docx_fix_across_runs_puts_replacement_in_first_run(tmp_path, config):
    path = tmp_path / "x.docx"
    build_docx([{"runs": [{"text": "干部选"}, {"text": "拨", "bold": True}, {"text": "部", "italic": True},
                          {"text": "暑工作"}]}], path)
    write_fixed(fix_file(str(path), config))
    doc = load(str(path))
    assert doc.paragraphs[0].text == "干部选拔部署工作"
    # 选拨 -> 选拔 only changes 拨 (in its bold run); 部暑 -> 部署 only changes 暑
    assert [(r.text, r.bold, r.italic) for r in doc.paragraphs[0].runs] == [
        ("干部选", None, None), ("拔", True, None), ("部", None, True), ("署工作", None, None)]


def test_docx_fix_spanning_runs_with_different_text(tmp_path, config):
    path = tmp_path / "x.docx"
    build_docx([{"runs": [{"text": "情况的"}, {"text": "的", "bold": True}, {"text": "说明"}]}], path)
    write_fixed(fix_file(str(path), config))
    doc = load(str(path))
    assert doc.paragraphs[0].text == "情况的说明"
    assert [(r.text, r.bold) for r in doc.paragraphs[0].runs] == [("情况的", None), ("说明", None)]


def test_docx_fix_touching_a_tab_is_skipped(tmp_path, config):
    path = tmp_path / "x.docx"
    build_docx(["工作落\t实，选拨干部"], path)  # python-docx writes the tab as w:tab
    outcome = fix_file(str(path), config)
    assert [(f.text, reason) for f, reason in outcome.skipped] == [("落\t实", ATOMIC)]
    write_fixed(outcome)
    assert load(str(path)).paragraphs[0].text == "工作落\t实，选拔干部"
    txt = tmp_path / "x.txt"
    txt.write_text("工作落\t实\n", encoding="utf-8")  # in a text file the tab is ordinary text
    write_fixed(fix_file(str(txt), config))
    assert txt.read_text(encoding="utf-8") == "工作落实\n"


def test_docx_input_untouched_without_fix(tmp_path, config):
    path = _docx(tmp_path / "draft.docx")
    before = path.read_bytes()
    outcome = fix_file(str(path), config)
    assert outcome.changed
    assert path.read_bytes() == before
    diff = unified_diff(outcome)
    assert f"--- {path}（原文）" in diff and f"+++ {path}（修复后）" in diff
    assert f"@@ -3,6 +3,6 @@ {path}:3" in diff
    assert "-干部选拨工作" in diff and "+干部选拔工作" in diff


# ---------------------------------------------------------------------------
# CLI


def _project(tmp_path: Path) -> None:
    (tmp_path / "ecocheck.yaml").write_text(
        f"extra-rule-packs: ['{PACKS}']\nselect: [W990, W991, S990, H990]\n", encoding="utf-8")


def test_cli_diff_writes_nothing(tmp_path):
    _project(tmp_path)
    path = tmp_path / "draft.txt"
    path.write_text(TEXT, encoding="utf-8")
    res = runner.invoke(app, ["lint", str(path), "--diff", "--no-cache"])
    assert res.exit_code == 1, res.output
    assert path.read_text(encoding="utf-8") == TEXT
    assert f"@@ -3,2 +3,2 @@ {path}:3" in res.output
    assert "+（1）部署落实的情况" in res.output
    assert "可自动修复 5 处（1 个文件）" in res.output


def test_cli_fix_then_exit_reflects_remaining(tmp_path):
    _project(tmp_path)
    path = tmp_path / "draft.txt"
    path.write_text(TEXT, encoding="utf-8")
    res = runner.invoke(app, ["lint", str(path), "--fix", "--no-cache"])
    assert res.exit_code == 1, res.output  # 以至, 既使 and 待定 remain
    assert path.read_text(encoding="utf-8") == FIXED
    assert "已自动修复 5 处（1 个文件）；剩余 3 处问题，其中 1 处有修改建议但需人工确认。" in res.output
    assert "W990 未自动修复：修复方案需人工确认" in res.output
    assert "部暑" not in res.output.split("已自动修复")[0]  # the report lists only what remains

    clean = tmp_path / "clean.txt"
    clean.write_text("干部选拨工作\n", encoding="utf-8")
    res = runner.invoke(app, ["lint", str(clean), "--fix", "--no-cache"])
    assert res.exit_code == 0, res.output
    assert clean.read_text(encoding="utf-8") == "干部选拔工作\n"
    assert "没有剩余问题" in res.output


def test_cli_fix_bad_files_do_not_stop_the_others(tmp_path):
    _project(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text("干部选拨工作\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 broken")
    res = runner.invoke(app, ["lint", str(broken), str(empty), str(good), "--fix", "--no-cache"])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert good.read_text(encoding="utf-8") == "干部选拔工作\n"
    assert broken.read_bytes() == b"PK\x03\x04 broken" and empty.read_bytes() == b""


def test_cli_fix_and_annotate_together(tmp_path):
    _project(tmp_path)
    path = _docx(tmp_path / "draft.docx")
    res = runner.invoke(app, ["lint", str(path), "--fix", "--annotate", "--no-cache"])
    assert res.exit_code == 1, res.output
    copy = load(str(tmp_path / "draft.ecocheck.docx"))
    ours = [c for c in copy.comments if c.author == "ecocheck"]
    anchored = sorted((c.text[:4], copy.paragraphs[c.paragraph].text[c.start:c.end]) for c in ours)
    assert anchored == [("S990", ""), ("W990", "以至")]  # only what remains; the label finding is a point
