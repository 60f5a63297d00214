"""Hostile and broken inputs, absurd documents, broken packs and plugins, never losing a file (issue 7).

Every hostile file is built here from code; nothing binary is checked in.  The loader-level
behaviour of each case is tested in test_docx_loader.py; these tests go through the CLI
(``ecocheck lint bad good``) and assert what a user sees: one E finding for the bad file, exit
status 2, the good file still checked, the inputs' bytes unchanged.  The bombs and the absurd
documents run in a subprocess under an address-space limit (RLIMIT_AS), so "modest memory" is
asserted, and with a generous timeout that only guards against a hang.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import struct
import subprocess
import sys
import textwrap
import warnings
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ecocheck.api
from ecocheck.cli.app import app
from ecocheck.config import Config
from ecocheck.engine.regexcheck import backtracking_risk
from ecocheck.errors import ConfigError
from make_docx import build_docx

# every hostile input through the CLI, bombs and absurd documents in subprocesses: the slow set
pytestmark = pytest.mark.slow

runner = CliRunner()

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GOOD = "关于某局政治生态情况的报告\n一、基本情况\n局机关现有党员XX人。\n"  # H301 at 3:8
HANG_GUARD = 600  # seconds; only to fail instead of hanging forever
MiB = 1 << 20


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


# ---------------------------------------------------------------------------
# building hostile files


def docx_bytes(tmp_path: Path, paragraphs=("关于某局的报告", "一、基本情况", "现有党员XX人。"), **kw) -> bytes:
    return build_docx(list(paragraphs), tmp_path / "_base.docx", **kw).read_bytes()


def replace_members(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """A copy of a zip with some members replaced (bytes) or dropped (None)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            new = replace.get(info.filename, zin.read(info))
            if new is not None:
                zout.writestr(info.filename, new)
    return buf.getvalue()


def document_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>').encode("utf-8")


def ole(*streams: str) -> bytes:
    """An OLE2 compound file header followed by UTF-16 stream names (what the sniffer looks at)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    return head + b"".join(name.encode("utf-16-le") + b"\0" * 64 for name in streams) + b"\0" * 4096


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)


def zip_bomb(tmp_path: Path, inflated: int, lie: bool = False) -> bytes:
    """A package whose document.xml really inflates to ``inflated`` bytes of valid XML.

    ``lie``: the zip directory declares 1 KiB for it (central directory and local header).
    """
    base = docx_bytes(tmp_path)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "word/document.xml":
                zout.writestr(info.filename, zin.read(info))
        head = document_xml("<w:p><w:r><w:t>").split(b"</w:t>")[0]
        with zout.open("word/document.xml", "w", force_zip64=True) as w:
            w.write(head)
            chunk = b" " * MiB
            for _ in range(inflated // MiB):
                w.write(chunk)
            w.write(b"</w:t></w:r></w:p></w:body></w:document>")
    data = bytearray(buf.getvalue())
    if lie:
        name = b"word/document.xml"
        # local header: uncompressed size at +22; central directory entry: at +24
        for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            pos = 0
            while True:
                pos = data.index(sig, pos)
                name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
                if data[name_at:name_at + len(name)] == name:
                    struct.pack_into("<I", data, pos + offset, 1024)
                    break
                pos += 4
    return bytes(data)


def deep_tables(tmp_path: Path, depth: int) -> bytes:
    body = "<w:tbl><w:tr><w:tc>" * depth + "<w:p><w:r><w:t>最内层XX</w:t></w:r></w:p>" + \
        "</w:tc></w:tr></w:tbl>" * depth + "<w:p/>"
    return replace_members(docx_bytes(tmp_path), {"word/document.xml": document_xml(body)})


def _malformed(tmp_path):
    return replace_members(docx_bytes(tmp_path),
                           {"word/document.xml": document_xml("<w:p><w:r><w:t>未闭合</w:r></w:p>")})


def _entity_bomb(tmp_path):
    bomb = document_xml("<w:p><w:r><w:t>&j;</w:t></w:r></w:p>", prolog=BILLION_LAUGHS)
    return replace_members(docx_bytes(tmp_path), {"word/document.xml": bomb})


def _external_entity(tmp_path):
    xxe = document_xml("<w:p><w:r><w:t>&x;&y;</w:t></w:r></w:p>",
                       prolog='<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">'
                              '<!ENTITY y SYSTEM "http://127.0.0.1:9/ecocheck-must-not-fetch">]>')
    return replace_members(docx_bytes(tmp_path), {"word/document.xml": xxe})


def _utf32_entity_bomb(tmp_path):
    xml = ('<?xml version="1.0" encoding="UTF-32"?>' + BILLION_LAUGHS +
           f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>')
    return replace_members(docx_bytes(tmp_path), {"word/document.xml": xml.encode("utf-32")})


def _twin_part(tmp_path, twin: str, before: bool = False):
    """A package with a second, clean copy of word/document.xml under ``twin`` (a name that differs
    only in case or %-encoding, or the same name): readers disagree on which copy is the document,
    so a decoy could hide the real text (issue 21.8).  The real one has 现有党员**人。"""
    data = docx_bytes(tmp_path, paragraphs=("关于某局的报告", "一、基本情况", "现有党员**人。"))
    decoy = document_xml("<w:p><w:r><w:t>关于某局的报告</w:t></w:r></w:p>")
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        if before:
            zout.writestr(twin, decoy)
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        if not before:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns about an exact duplicate name
                zout.writestr(twin, decoy)
    return buf.getvalue()


def _binary_txt(_tmp_path):
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


#: name -> (file name, builder(tmp_path) -> bytes, expected E code)
HOSTILE = {
    "not-a-zip": ("bad.docx", lambda t: "这只是一段文字，不是 Word 文档。".encode("utf-8"), "E003"),
    "truncated-zip": ("bad.docx", lambda t: docx_bytes(t)[: len(docx_bytes(t)) * 3 // 5], "E003"),
    "encrypted-ole": ("bad.docx", lambda t: ole("Root Entry", "EncryptionInfo", "EncryptedPackage"), "E004"),
    "legacy-doc-renamed": ("bad.docx", lambda t: ole("Root Entry", "WordDocument", "1Table"), "E005"),
    "legacy-wps-renamed": ("bad.docx", lambda t: ole("Root Entry", "WpsCustomData", "WordDocument"), "E005"),
    "empty-docx": ("bad.docx", lambda t: b"", "E006"),
    "empty-txt": ("bad.txt", lambda t: b"", "E006"),
    "blank-txt": ("bad.txt", lambda t: b"  \r\n\t\n", "E006"),
    "binary-txt": ("bad.txt", _binary_txt, "E007"),
    "case-variant-twin-of-document-xml": ("bad.docx", lambda t: _twin_part(t, "Word/Document.XML"), "E003"),
    "case-variant-twin-first": ("bad.docx", lambda t: _twin_part(t, "WORD/DOCUMENT.xml", before=True), "E003"),
    "percent-encoded-twin-of-document-xml": ("bad.docx", lambda t: _twin_part(t, "word/%64ocument.xml"), "E003"),
    "duplicate-document-xml": ("bad.docx", lambda t: _twin_part(t, "word/document.xml"), "E003"),
    "malformed-document-xml": ("bad.docx", _malformed, "E008"),
    "entity-bomb": ("bad.docx", _entity_bomb, "E010"),
    "external-entity": ("bad.docx", _external_entity, "E010"),
    "utf32-entity-bomb": ("bad.docx", _utf32_entity_bomb, "E010"),
    "tables-nested-past-the-xml-depth-limit": ("bad.docx", lambda t: deep_tables(t, 1000), "E003"),
    "tables-nested-past-the-recursion-limit": ("bad.docx", lambda t: deep_tables(t, 600), "E003"),
}

#: built in a subprocess-limited test: (file name, builder, expected E code, words the message must contain)
BOMBS = {
    "zip-bomb-declared-300MiB": ("bomb.docx", lambda t: zip_bomb(t, 300 * MiB), "E009", "压缩炸弹"),
    "zip-bomb-lying-300MiB": ("bomb.docx", lambda t: zip_bomb(t, 300 * MiB, lie=True), "E003", "损坏"),
    "zip-bomb-under-the-part-limit": ("bomb.docx", lambda t: zip_bomb(t, 60 * MiB), "E009", "压缩炸弹"),
}


def snapshot(*paths: Path) -> dict[str, tuple[bytes, int, int]]:
    out = {}
    for p in paths:
        st = p.stat()
        out[str(p)] = (p.read_bytes(), st.st_mtime_ns, st.st_mode)
    return out


def check_report(report: dict, bad: str, code: str, good: str) -> dict:
    """The JSON report has one E finding for ``bad`` and the usual findings for ``good``."""
    files = {f["path"]: f["findings"] for f in report["files"]}
    assert len(files[bad]) == 1, files[bad]
    finding = files[bad][0]
    assert finding["code"] == code, finding
    assert (finding["line"], finding["column"], finding["severity"]) == (1, 1, "error")
    assert "\n" not in finding["message"] and re.search(r"[\u4e00-\u9fff]", finding["message"])
    placeholders = [(f["line"], f["column"], f["text"]) for f in files[good] if f["code"] == "H301"]
    assert placeholders == [(3, 8, "XX")], files[good]
    return finding


# ---------------------------------------------------------------------------
# hostile inputs through the CLI


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_input_is_one_e_finding_and_exit_2(kind, tmp_path):
    name, build, code = HOSTILE[kind]
    bad = tmp_path / name
    bad.write_bytes(build(tmp_path))
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    before = snapshot(bad, good)
    res = runner.invoke(app, ["lint", bad.name, good.name, "--isolated", "--no-cache", "-j", "1", "-f", "json"])
    assert res.exit_code == 2, res.output
    assert isinstance(res.exception, SystemExit), res.exception
    check_report(json.loads(res.stdout), bad.name, code, good.name)
    assert snapshot(bad, good) == before


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_input_in_text_output(kind, tmp_path):
    """The human-readable report names the file, the code and one Chinese line."""
    name, build, code = HOSTILE[kind]
    bad = tmp_path / name
    bad.write_bytes(build(tmp_path))
    res = runner.invoke(app, ["lint", bad.name, "--isolated", "--no-cache", "--no-color"])
    assert res.exit_code == 2
    first = res.stdout.splitlines()[0]
    assert first.startswith(f"{bad.name}:1:1: {code} ") and first.endswith("[error]"), first


def run_limited(args: list[str], cwd: Path, memory: int, timeout: float = HANG_GUARD) -> subprocess.CompletedProcess:
    """Run ``python -m ecocheck ARGS`` with an address-space limit of ``memory`` bytes."""

    def limit():  # runs in the child before exec
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "ecocheck", *args], cwd=cwd, capture_output=True, env=env,
                          preexec_fn=limit, timeout=timeout)


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_bombs_are_refused_in_modest_memory(kind, tmp_path):
    name, build, code, words = BOMBS[kind]
    bad = tmp_path / name
    bad.write_bytes(build(tmp_path))
    assert bad.stat().st_size < 2 * MiB  # the bomb is small on disk
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    before = snapshot(bad, good)
    # 768 MiB of address space: the interpreter with lxml and lark needs ~300 MiB; inflating
    # the 300 MiB part (and joining its chunks) would not fit.
    res = run_limited(["lint", name, "good.txt", "--isolated", "--no-cache", "-j", "1", "-f", "json"], tmp_path,
                      768 * MiB)
    stderr = res.stderr.decode("utf-8", "replace")
    assert res.returncode == 2, stderr
    assert "Traceback" not in stderr and "MemoryError" not in stderr
    finding = check_report(json.loads(res.stdout), name, code, "good.txt")
    assert words in finding["message"], finding["message"]
    assert "内存不足" not in finding["message"]  # refused by the limits, not rescued from a MemoryError
    assert snapshot(bad, good) == before


def test_limits_are_configurable(tmp_path):
    big = replace_members(docx_bytes(tmp_path),
                          {"word/document.xml": document_xml("<w:p><w:r><w:t>" + "正文" * 100_000 + "</w:t></w:r></w:p>")})
    (tmp_path / "big.docx").write_bytes(big)
    (tmp_path / "big.txt").write_text("关于某局的报告\n" + "正文" * 5000 + "\n", encoding="utf-8")
    base = ["lint", "big.docx", "big.txt", "--no-cache", "-j", "1", "-f", "json"]
    res = runner.invoke(app, base + ["--isolated"])
    assert res.exit_code != 2, res.output  # the default limits accept both
    (tmp_path / "ecocheck.yaml").write_text(
        "limits:\n  max-part-bytes: 500000\n  max-text-bytes: 10000\n", encoding="utf-8")
    res = runner.invoke(app, base)
    assert res.exit_code == 2, res.output
    files = {f["path"]: f["findings"] for f in json.loads(res.stdout)["files"]}
    assert [f["code"] for f in files["big.docx"]] == ["E009"]
    assert "document.xml" in files["big.docx"][0]["message"]
    assert [f["code"] for f in files["big.txt"]] == ["E009"]
    (tmp_path / "ecocheck.yaml").write_text("limits:\n  max-part-bytez: 1\n", encoding="utf-8")
    res = runner.invoke(app, base)
    assert res.exit_code == 2 and "E200" in res.output and "max-part-bytez" in res.output


def test_unreadable_files_do_not_stop_a_directory_run(tmp_path):
    """Every kind of hostile file in one directory: each is one E finding, the good ones are checked."""
    docs = tmp_path / "docs"
    docs.mkdir()
    expected = {}
    for k, (kind, (name, build, code)) in enumerate(sorted(HOSTILE.items())):
        path = docs / f"{k:02d}-{kind}{Path(name).suffix}"
        path.write_bytes(build(tmp_path))
        expected[path.name] = code
    (docs / "good.txt").write_text(GOOD, encoding="utf-8")
    build_docx(GOOD.splitlines(), docs / "good.docx")
    res = runner.invoke(app, ["lint", "docs", "--isolated", "--no-cache", "-j", "2", "-f", "json"])
    assert res.exit_code == 2, res.output
    files = {Path(f["path"]).name: f["findings"] for f in json.loads(res.stdout)["files"]}
    assert {name: [f["code"] for f in files[name]] for name in expected} == \
        {name: [code] for name, code in expected.items()}
    for good in ("good.txt", "good.docx"):
        assert ("H301", "XX") in {(f["code"], f["text"]) for f in files[good]}


# ---------------------------------------------------------------------------
# absurd but valid documents: linted, in linear time and modest memory

ABSURD_SCRIPT = textwrap.dedent("""
    import collections, json, resource, sys
    from ecocheck import api
    from ecocheck.config import Config

    path = sys.argv[1]
    result = api.lint_file(path, Config(select=["ALL"]), keep_outline=True)
    out = {"codes": collections.Counter(f.code for f in result.findings), "error": result.error}
    if result.outline is not None:
        doc = result.outline.document
        out["paragraphs"] = len(doc.paragraphs)
        out["headings"] = sum(1 for n in result.outline.walk() if n.kind == "heading")
        out["items"] = sum(1 for n in result.outline.walk() if n.kind == "item")
        out["pairs"] = len(result.outline.pairing)
        out["tables"] = len({p.table[0] for p in doc.paragraphs if p.table})
        bad = [(f.code, f.line, f.column, f.text[:20]) for f in result.findings
               if f.paragraph is not None and f.location_error(doc)]
        out["bad_locations"] = bad[:5]
    out["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps(out, ensure_ascii=False))
""")


def _many_paragraphs(n: int) -> list[str]:
    """A report of ``n`` paragraphs: 300 problems and 300 measures, and plain body text."""
    out = ["关于某单位政治生态情况的报告", "一、基本情况"]
    out += [f"第{k}条记录：现有党员{k % 97}人，全年开展谈话{k % 13}次。" for k in range(1, n // 2)]
    out.append("二、存在问题")
    for k in range(1, 301):
        out += [f"（{k}）第{k}项问题有待解决。", f"一是理论学习不够深入，二是第{k}项责任落实不到位。"]
    out.append("三、整改措施")
    for k in range(1, 301):
        out += [f"（{k}）第{k}项整改措施。", f"加强第{k}项理论学习，压实责任XX。"]
    k = 0
    while len(out) < n:
        k += 1
        out.append(f"下一步工作第{k}条：持续推进各项工作落实。")
    return out[:n]


def _one_long_paragraph(nbytes: int) -> list[str]:
    sentence = "坚持以人民为中心的发展思想，推动全面从严治党向纵深发展，持续净化政治生态。"
    count = nbytes // len(sentence.encode("utf-8"))
    body = "".join(sentence if k % 500 else "一是加强学习，二是压实责任XX，三是强化监督。" for k in range(count))
    return ["关于某单位政治生态情况的报告", "一、基本情况", body, "二、存在问题", "（一）学习不够深入。"]


def _many_headings() -> list[str]:
    """50 × 一、, each with 10 × （一）, each with 20 × 1.: 10,550 headings."""
    cn = "一二三四五六七八九十"

    def num(k: int) -> str:
        return cn[k - 1] if k <= 10 else ("" if k < 20 else cn[k // 10 - 1]) + "十" + (cn[k % 10 - 1] if k % 10 else "")

    out = ["关于某单位政治生态情况的报告"]
    for a in range(1, 51):
        out.append(f"{num(a)}、第{a}部分")
        for b in range(1, 11):
            out.append(f"（{num(b)}）第{a}.{b}节")
            for c in range(1, 21):
                out.append(f"{c}.第{a}.{b}.{c}条要求。现有XX人。")
    return out


def _nested_tables(depth: int) -> list:
    cell: object = {"text": "最内层单元格，现有党员XX人。"}
    for level in range(depth):
        cell = {"table": [[cell, f"第{level}层，一是加强学习，二是压实责任。"]]}
    return ["关于某单位政治生态情况的报告", "一、基本情况", cell, "二、存在问题", "（一）学习不够深入。"]


def _write(tmp_path: Path, name: str, paragraphs: list, fmt: str) -> Path:
    if fmt == "txt":
        path = tmp_path / f"{name}.txt"
        path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        return path
    path = tmp_path / f"{name}.docx"
    if all(isinstance(p, str) for p in paragraphs) and len(paragraphs) > 20_000:
        # python-docx is slow for 100,000 paragraphs: write the body XML directly
        from xml.sax.saxutils import escape

        body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
        path.write_bytes(replace_members(docx_bytes(tmp_path), {"word/document.xml": document_xml(body)}))
        return path
    return build_docx(paragraphs, path)


ABSURD = {
    # name: (paragraph builder, formats, checks on the summary)
    "100k-paragraphs": (lambda: _many_paragraphs(100_000), ("txt", "docx"),
                        lambda s: s["paragraphs"] == 100_000 and s["pairs"] == 300 and s["headings"] == 603
                        and s["codes"].get("H301") == 300),
    "5MB-paragraph": (lambda: _one_long_paragraph(5 * MiB), ("txt", "docx"),
                      lambda s: s["paragraphs"] == 5 and s["codes"].get("H301", 0) >= 90 and s["items"] >= 270),
    "10k-headings": (_many_headings, ("txt", "docx"),
                     lambda s: s["headings"] == 10_550 and s["codes"].get("H301") == 10_000),
    "tables-nested-50-deep": (lambda: _nested_tables(50), ("docx",),
                              lambda s: s["tables"] == 50 and s["paragraphs"] > 4 + 50 and s["items"] == 100
                              and s["codes"].get("H301") == 1),
}


@pytest.mark.parametrize("name, fmt", [(n, f) for n, (_b, fmts, _c) in ABSURD.items() for f in fmts])
def test_absurd_but_valid_documents_are_linted(name, fmt, tmp_path):
    build, _formats, check = ABSURD[name]
    path = _write(tmp_path, name, build(), fmt)
    before = snapshot(path)
    limit = 3 << 30  # address space; the 5 MB paragraph yields ~100k findings held in memory

    def set_limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    res = subprocess.run([sys.executable, "-c", ABSURD_SCRIPT, str(path)], capture_output=True,
                         timeout=HANG_GUARD, preexec_fn=set_limit, cwd=tmp_path)
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")[-3000:]
    summary = json.loads(res.stdout)
    assert not summary["error"] and not any(c.startswith("E") for c in summary["codes"]), summary
    assert summary["bad_locations"] == [], summary
    assert check(summary), summary
    assert snapshot(path) == before


def test_a_long_run_of_restarting_item_series_stays_shallow(tmp_path):
    """Every 一是 after 三是 nested one level deeper: 2,000 restarts hit the recursion limit."""
    from ecocheck.outline.builder import MAX_ITEM_DEPTH

    (tmp_path / "r.txt").write_text("关于某局的报告\n一、基本情况\n" + "一是加强学习，二是压实责任，三是强化监督。" * 2000
                                    + "\n", encoding="utf-8")
    result = ecocheck.api.lint_file("r.txt", Config(), keep_outline=True)
    assert not result.error and not [f for f in result.findings if f.code.startswith("E")]
    items = [n for n in result.outline.walk() if n.kind == "item"]
    assert len(items) == 6000 and max(n.level for n in items) <= MAX_ITEM_DEPTH


def test_a_text_node_over_libxml2s_10MB_limit_is_read(tmp_path):
    from ecocheck.loaders.docx import load_docx

    import random

    rng = random.Random(7)  # varied text: a run of one letter would trip the compression-ratio check
    big = "".join(rng.choices("坚持加强学习压实责任强化监督推动落实党员干部政治生态", k=3_700_000))  # 11 MB of UTF-8
    path = tmp_path / "big.docx"
    path.write_bytes(replace_members(docx_bytes(tmp_path), {
        "word/document.xml": document_xml(f"<w:p><w:r><w:t>{big}</w:t></w:r></w:p>")}))
    assert load_docx(str(path)).paragraphs[0].text == big


def test_hundreds_of_problems_are_paired_by_position_unscored(tmp_path):
    from ecocheck.outline.pairing import MAX_PAIRED_ITEMS

    n = MAX_PAIRED_ITEMS + 50
    lines = ["关于某局政治生态情况的报告", "一、存在问题"]
    lines += [f"（{k}）第{k}项问题：学习不够深入。" for k in range(1, n + 1)]
    lines += ["二、整改措施"] + [f"（{k}）第{k}项措施：加强理论学习。" for k in range(1, n - 9)]
    (tmp_path / "p.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ecocheck.api.lint_file("p.txt", Config(), keep_outline=True)
    pairing = result.outline.cache["pairing"]
    assert pairing.match == [k if k < n - 10 else -1 for k in range(n)]
    assert pairing.positional and pairing.scores == [] and pairing.score(0) == 0.0
    assert len(result.outline.pairing) == n and {d["score"] for d in result.outline.pairing} == {None}
    # the counts still differ (P201); whether an item answers another is not judged by position
    assert {f.code for f in result.findings if f.code.startswith("P")} == {"P201"}


# ---------------------------------------------------------------------------
# malformed rule packs, catastrophic regexes, crashing plugins

PACK_HEAD = """\
rules:
  - code: W989
    name: test-rule
    extends: existence
    summary: 测试规则
    message: 测试“{text}”
"""
PACK_DOC = "    doc: {what: 测试, why: 测试, bad: 测试, good: 测试}\n"

BAD_PACKS = {
    # name: (pack text, line, words the message must contain)
    "yaml-syntax": ("rules:\n  - code: [W989\n    name: x\n", 3, "YAML 语法错误"),
    "unknown-key": (PACK_HEAD + "    tokens: [测试]\n    colour: red\n" + PACK_DOC, 8, "未知键 'colour'"),
    "bad-regex": (PACK_HEAD + "    patterns: ['([未闭合']\n" + PACK_DOC, 7, "无效"),
    "bad-extends": (PACK_HEAD.replace("existence", "existance") + "    tokens: [测试]\n" + PACK_DOC, 2, "extends"),
    "not-a-list": ("rules: {code: W989}\n", 1, "rules 列表"),
    "catastrophic-regex": (PACK_HEAD + "    patterns: ['(a+)+$']\n" + PACK_DOC, 7, "灾难性回溯"),
    # among good patterns the message still names the bad one
    "bad-regex-among-good": (PACK_HEAD + "    patterns: ['测试', '([未闭合', '[xX]']\n" + PACK_DOC, 7, "'([未闭合'"),
    "catastrophic-among-good": (PACK_HEAD + "    patterns: ['测试', '(a+)+$']\n" + PACK_DOC, 7, "'(a+)+$'"),
    "empty-pattern": (PACK_HEAD + "    patterns: ['测试', '']\n" + PACK_DOC, 7, "非空"),
    "catastrophic-exception": (PACK_HEAD + "    tokens: [测试]\n    exceptions: ['(x|x)*y']\n" + PACK_DOC, 8,
                               "灾难性回溯"),
    "catastrophic-guard": (PACK_HEAD + "    tokens: [测试]\n    if_followed_by: '(\\s*,\\s*)+;'\n" + PACK_DOC, 8,
                           "灾难性回溯"),
}


def _pack_dir(tmp_path: Path, text: str) -> Path:
    d = tmp_path / "packs"
    d.mkdir(exist_ok=True)
    (d / "broken.yaml").write_text(text, encoding="utf-8")
    return d


@pytest.mark.parametrize("kind", sorted(BAD_PACKS))
def test_malformed_pack_through_the_api(kind, tmp_path):
    text, line, words = BAD_PACKS[kind]
    d = _pack_dir(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        ecocheck.api.registry(Config(pack_dirs=[str(d)]))
    err = info.value
    assert err.code == "E201" and err.path.endswith("broken.yaml")
    assert err.line == line, str(err)
    assert words in err.message, err.message


@pytest.mark.parametrize("kind", sorted(BAD_PACKS))
def test_malformed_pack_through_the_cli(kind, tmp_path):
    text, line, words = BAD_PACKS[kind]
    _pack_dir(tmp_path, text)
    (tmp_path / "ecocheck.yaml").write_text("extra-rule-packs: [packs/]\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["lint", "good.txt", "--no-cache"])
    assert res.exit_code == 2
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    assert re.search(rf"broken\.yaml:{line}: E201 .*{re.escape(words)}", res.stderr), res.stderr


CATASTROPHIC = [
    r"(a+)+$", r"(a*)*b", r"(x|x)*y", r"(\w*)*z", r"(a|aa)+$", r"(a|a?)+b", r"(\s*,\s*)+;", r"(.*a){20}",
    r"(\w+\s?)+$", r"(a*a*)+b", r"((ab)*a*)*c", r"(?:\d+|\d+\.\d+)+x", r"^(([a-z])+.)+[A-Z]([a-z])+$",
    r"(?:[\u4e00-\u9fff]+，?)+。", r"(.*,)*x", r"(X|XX)+占", r"([^,]*[^,]*,)+x",
]
BENIGN = [
    r"[*＊]+", r"(\d+,)+", r"(?:[，,]\s*)+", r"(是|要)+", r"(?:foo|foobar)*x", r"(x|xy)+$", r"a++", r"(?>a+)+",
    r"(?:19|20)[0-9]?[xX]{1,2}(?![A-Za-z])", r"[\[［【]\s*[xX×*＊]{1,4}\s*[\]］】]", r"(ab)+", r"(a+b)+",
    r"([+*])+", r"(\d{1,3},)+\d", r"(?:第[一二三四五六七八九十]+[，、])+", r"(?:[^。]*。)+", r"(?:[^,]+,)+",
    r"(一|一是)+", r"(?<![一二三四五六七八九十零○〇])[○〇]{2,}", r"X{2,4}", r"(?:不够|不到位|不足)+", r"(?:是|是的)*$",
]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_regex_is_refused(pattern):
    assert backtracking_risk(pattern), pattern


@pytest.mark.parametrize("pattern", BENIGN)
def test_benign_regex_is_accepted(pattern):
    assert backtracking_risk(pattern) is None, pattern


def test_user_regex_from_config_options_is_checked(tmp_path):
    """extra-patterns given in the config go through the same check, at lint time, as E201."""
    (tmp_path / "ecocheck.yaml").write_text("rules:\n  H301:\n    extra-patterns: ['(x|x)*y']\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["lint", "good.txt", "--no-cache"])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert re.search(r"ecocheck\.yaml:2: E200 .*extra_patterns.*灾难性回溯", res.stderr), res.stderr


@pytest.fixture
def crashing_plugin():
    """A plugin (registered with the running pluggy host) whose rule raises."""
    from ecocheck.engine.rule import Rule, RuleDoc
    from ecocheck.plugin.hookspecs import hookimpl
    from ecocheck.plugin.manager import get_host

    class CrashingRule(Rule):
        code = "W988"
        name = "crashing-rule"
        summary = "总是出错的规则"
        doc = RuleDoc(what="测试", why="测试", bad="测试", good="测试")

        def check(self, ctx):
            yield ctx.finding(0, 0, 1, "出错之前的发现")
            raise KeyError("no such paragraph")

    class Plugin:
        @hookimpl
        def ecocheck_rules(self):
            return [CrashingRule]

    host = get_host(())
    plugin = Plugin()
    host.pm.register(plugin, name="crashy")
    host.sources["crashy"] = "ecocheck-crashy"
    ecocheck.run.plan._registry.cache_clear()
    yield
    host.pm.unregister(plugin)
    host.sources.pop("crashy", None)
    ecocheck.run.plan._registry.cache_clear()


def test_crashing_plugin_rule_is_one_e100_and_the_run_goes_on(crashing_plugin, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["lint", "a.txt", "b.txt", "--isolated", "--no-cache", "-j", "1", "-f", "json"])
    assert res.exit_code == 1, res.output  # the files were read: findings, not exit 2
    for f in json.loads(res.stdout)["files"]:
        codes = [x["code"] for x in f["findings"]]
        assert codes.count("E100") == 1 and "H301" in codes and "W988" not in codes
        crash = next(x for x in f["findings"] if x["code"] == "E100")
        assert "W988" in crash["message"] and "crashing-rule" in crash["message"]
        assert "ecocheck-crashy" in crash["message"] and "KeyError" in crash["message"]


def test_plugin_that_fails_to_load_is_named(tmp_path):
    from ecocheck.plugin.manager import _register, get_host

    host = get_host(())
    before = list(host.failures)

    def broken_loader():
        raise ImportError("No module named 'missing_dependency'")

    _register(host, "broken", broken_loader, "ecocheck-broken")
    ecocheck.run.plan._registry.cache_clear()
    try:
        (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
        res = runner.invoke(app, ["lint", "good.txt", "--isolated", "--no-cache", "-j", "1"])
        assert res.exit_code == 1  # the run goes on
        assert "H301" in res.stdout
        assert re.search(r"E101 插件 broken：ImportError: .*missing_dependency", res.stdout), res.stdout
    finally:
        host.failures[:] = before
        ecocheck.run.plan._registry.cache_clear()


# ---------------------------------------------------------------------------
# never lose data


def _fixture_tree(tmp_path: Path) -> Path:
    root = Path(__file__).resolve().parents[1] / "fixtures"
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    for src in sorted(root.glob("*.txt")) + sorted(root.glob("*.md")):
        (docs / src.name).write_bytes(src.read_bytes())
        build_docx(src.read_text(encoding="utf-8").splitlines(), docs / "sub" / (src.stem + ".docx"),
                   auto_number=src.stem == "report_autonumber")
    for kind in ("truncated-zip", "entity-bomb", "binary-txt", "empty-docx"):
        name, build, _code = HOSTILE[kind]
        (docs / "sub" / f"{kind}{Path(name).suffix}").write_bytes(build(tmp_path))
    (docs / "gbk.txt").write_bytes(GOOD.encode("gb18030"))
    (docs / "crlf-bom.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    os.chmod(docs / "gbk.txt", 0o444)  # read-only input: still only read
    return docs


def _tree_state(root: Path) -> dict[str, tuple[bytes, int, int]]:
    return snapshot(*sorted(p for p in root.rglob("*") if p.is_file() and ".ecocheck_cache" not in p.parts))


@pytest.mark.parametrize("extra", [[], ["-j", "2"], ["--no-cache", "-f", "sarif", "-o", "report.sarif"],
                                   ["--write-baseline", "baseline.json"]])
def test_linting_never_touches_the_inputs(extra, tmp_path):
    docs = _fixture_tree(tmp_path)
    before = _tree_state(docs)
    for _run in range(2):  # the second run reads the cache
        res = runner.invoke(app, ["lint", "docs", "--isolated", *extra])
        assert res.exit_code in (0, 1, 2), res.output
        assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert _tree_state(docs) == before


def test_annotate_leaves_the_inputs_alone(tmp_path):
    docs = _fixture_tree(tmp_path)
    before = _tree_state(docs)
    res = runner.invoke(app, ["lint", "docs", "--isolated", "--no-cache", "--annotate"])
    assert "Traceback" not in res.output
    after = _tree_state(docs)
    new = set(after) - set(before)
    assert new and all(p.endswith(".ecocheck.docx") for p in new), new
    assert {p: after[p] for p in before} == before


@pytest.mark.parametrize("option", ["-o", "--write-baseline", "--annotate-output"])
def test_interrupted_write_keeps_the_previous_file(option, tmp_path, monkeypatch):
    """Reports, baselines and annotated copies are written to a temporary file and renamed:
    a failure leaves the old file (and no temporary file)."""
    import ecocheck.fileio as fileio

    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    target = tmp_path / "out" / ("result.docx" if option == "--annotate-output" else "result.json")
    target.parent.mkdir()
    target.write_text("previous content\n", encoding="utf-8")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", failing_replace)
    res = runner.invoke(app, ["lint", "good.txt", "--isolated", "--no-cache", "-f", "json", option, str(target)])
    assert res.exit_code != 0
    assert target.read_text(encoding="utf-8") == "previous content\n"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left
    assert isinstance(res.exception, SystemExit), res.exception  # a message and an exit status, no traceback
    assert (tmp_path / "good.txt").read_text(encoding="utf-8") == GOOD


# ---------------------------------------------------------------------------
# superlinear work (issue 21.9): many findings in one paragraph, fix and annotate time-limited
# (the growth from 100k to 1M characters is measured by bench/run.py, not here)

MANY = "关于某局的报告\n一、基本情况\n" + "现有党员XX人，" * 2000 + "\n"  # 2,000 H301 in one paragraph


def test_annotate_a_paragraph_with_thousands_of_findings(tmp_path):
    (tmp_path / "many.txt").write_text(MANY, encoding="utf-8")
    res = runner.invoke(app, ["lint", "many.txt", "--isolated", "--no-cache", "--select", "H301", "--annotate"])
    assert res.exit_code == 1, res.output
    from ecocheck.loaders import load

    doc = load(str(tmp_path / "many.ecocheck.docx"))
    assert [p.text for p in doc.paragraphs] == MANY.splitlines()
    assert len(doc.comments) == 2000
    assert {(c.paragraph, c.end - c.start) for c in doc.comments} == {(2, 2)}
    assert sorted(c.start for c in doc.comments) == [k * 8 + 4 for k in range(2000)]


def test_fix_a_text_with_thousands_of_fixes(tmp_path):
    text = "关于某局的报告\n一、基本情况\n" + "开展工作,取得成效。" * 2000 + "\n"  # T403: , -> ，
    (tmp_path / "many.txt").write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["lint", "many.txt", "--isolated", "--no-cache", "--select", "T403", "--fix"])
    assert (tmp_path / "many.txt").read_text(encoding="utf-8") == text.replace(",", "，"), res.output


@pytest.mark.parametrize("option", ["--annotate", "--fix"])
def test_annotate_and_fix_have_the_rules_time_limit(option, tmp_path, monkeypatch):
    """A step of --fix/--annotate that runs past limits.rule-seconds is stopped: one E102 line,
    the input untouched, no copy written, the next file still done."""
    import ecocheck.fix.annotate as annotate
    import ecocheck.fix.engine as fixing

    def endless(*args, **kwargs):
        while True:
            pass

    real_plan, real_annotate = fixing.plan, annotate.annotate_docx_bytes
    monkeypatch.setattr(fixing, "plan", lambda findings, doc: endless() if "slow" in doc.path
                        else real_plan(findings, doc))
    monkeypatch.setattr(annotate, "annotate_docx_bytes", lambda data, main, texts, *rest: endless()
                        if "slow" in texts[0] else real_annotate(data, main, texts, *rest))
    (tmp_path / "ecocheck.yaml").write_text("limits:\n  rule-seconds: 1\n", encoding="utf-8")
    bad = "关于slow的报告\n一、基本情况\n开展工作,取得成效。\n"
    (tmp_path / "a-slow.txt").write_text(bad, encoding="utf-8")
    (tmp_path / "b-good.txt").write_text(bad.replace("slow", "某局"), encoding="utf-8")
    res = runner.invoke(app, ["lint", "a-slow.txt", "b-good.txt", "--no-cache", "-j", "1", "--select", "T403",
                              option])
    assert "Traceback" not in res.output
    assert re.search(r"a-slow\.txt: 未能.*E102 .*时间上限（1 秒", res.output), res.output
    assert (tmp_path / "a-slow.txt").read_text(encoding="utf-8") == bad
    assert not (tmp_path / "a-slow.ecocheck.docx").exists()
    if option == "--fix":
        assert "，取得" in (tmp_path / "b-good.txt").read_text(encoding="utf-8")
    else:
        assert (tmp_path / "b-good.ecocheck.docx").exists()
