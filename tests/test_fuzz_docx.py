"""Mutation fuzzing of .docx files (a deterministic sample of tools/fuzz_docx.py) and its regressions.

``python tools/fuzz_docx.py --cases 3000 --seed 1`` runs thousands of cases; here a fixed
sample runs with every test run, and each crash the fuzzer found has a test of its own built
from code.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

import fuzz_docx
from ecocheck import api
from ecocheck.config import Config
from ecocheck.loaders.docx import load_docx
from make_docx import build_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ALL = Config(select=["ALL"])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return fuzz_docx.build_seeds(tmp_path_factory.mktemp("seeds"))


@pytest.mark.slow  # the fuzz sample; the regressions it found (below) stay in the fast set
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_mutated_docx_never_crashes(seeds, seed, tmp_path):
    """No traceback, no crashing rule, no lost location: either findings or exactly one E finding."""
    fuzz_docx._init_worker(seed, seeds, 60.0)
    outcomes = [fuzz_docx.run_case(seed, i, seeds, str(tmp_path), 60.0) for i in range(40)]
    bad = [(o.index, o.kind, o.detail, o.description) for o in outcomes if o.kind in fuzz_docx.BAD_OUTCOMES]
    assert bad == []
    assert {o.kind for o in outcomes} & {"E003", "E008"}  # the sample does hit the error paths
    assert fuzz_docx.FINE in {o.kind for o in outcomes}  # … and the rules


@pytest.mark.slow
def test_mutated_docx_can_be_fixed_and_annotated(seeds, tmp_path):
    """--deep: a file that lints is also fixed in memory and annotated; both outputs load again."""
    outcomes = [fuzz_docx.run_case(21, i, seeds, str(tmp_path), 60.0, deep=True) for i in range(15)]
    assert [(o.index, o.kind, o.detail) for o in outcomes if o.kind in fuzz_docx.BAD_OUTCOMES] == []


@pytest.mark.slow
def test_cases_are_reproducible(seeds):
    assert fuzz_docx.case(5, 17, seeds) == fuzz_docx.case(5, 17, seeds)
    assert fuzz_docx.case(5, 17, seeds) != fuzz_docx.case(5, 18, seeds)


@pytest.mark.slow
def test_every_mutator_runs(seeds):
    import random

    data = dict(seeds)["markup"]
    for kind, _weight, fn in fuzz_docx.MUTATORS:
        mutated, note = fn(random.Random(kind), data)
        assert isinstance(mutated, bytes) and note, kind
    for kind, fn in fuzz_docx.XML_MUTATORS:
        root = etree.fromstring(_part(data, "word/document.xml"))
        assert fn(random.Random(kind), root), kind


@pytest.mark.slow
def test_fuzz_script_summary(seeds, capsys):
    assert fuzz_docx.main(["--cases", "12", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "12 cases, seed 3" in out and "no crash, hang, rule crash or bad result" in out


# ---------------------------------------------------------------------------
# regressions: each crash the fuzzer found


def _part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def _with_parts(data: bytes, replace: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
    return buf.getvalue()


def _lint(tmp_path, data: bytes):
    path = tmp_path / "case.docx"
    path.write_bytes(data)
    kind, detail, codes = fuzz_docx.check_file(str(path))
    return kind, detail, codes


def _base(tmp_path, **kw) -> bytes:
    lines = ["关于某局政治生态情况的报告", "一、基本情况", "现有党员XX人。", "二、存在问题", "（一）学习不够深入。",
             "三、整改措施", "（一）加强理论学习。"]
    return build_docx(lines, tmp_path / "base.docx", **kw).read_bytes()


def test_malformed_settings_part_is_one_e008(tmp_path):
    """settings.xml is only read by the F plugin: it used to crash the plugin's rules (E100)."""
    data = _with_parts(_base(tmp_path), {"word/settings.xml": b"<w:settings xmlns:w='x'><broken"})
    assert _lint(tmp_path, data)[0] == "E008"


@pytest.mark.parametrize("value", ["1" * 5000, "1e999", "-1e999", "nan", "inf", "99999999999999999999"])
def test_absurd_page_margins_do_not_crash_format_rules(tmp_path, value):
    """An int() of float('inf') raised OverflowError inside the GB/T 9704 plugin."""
    data = _base(tmp_path)
    root = etree.fromstring(_part(data, "word/document.xml"))
    for el in root.iter(W + "pgMar", W + "pgSz"):
        for attr in list(el.attrib):
            el.set(attr, value)
    data = _with_parts(data, {"word/document.xml": etree.tostring(root)})
    kind, detail, _codes = _lint(tmp_path, data)
    assert kind == fuzz_docx.FINE, detail


@pytest.mark.parametrize("fmt", ["upperLetter", "lowerLetter", "upperRoman", "lowerRoman", "chineseCounting",
                                 "decimalZero", "ideographDigital"])
def test_absurd_numbering_start_gives_a_short_label(tmp_path, fmt):
    """w:start of 10^9 with upperLetter made a 38-million-character label for every paragraph."""
    data = _base(tmp_path, auto_number=True)
    root = etree.fromstring(_part(data, "word/numbering.xml"))
    for el in root.iter(W + "start"):
        el.set(W + "val", "1000000000")
    for el in root.iter(W + "numFmt"):
        el.set(W + "val", fmt)
    path = tmp_path / "n.docx"
    path.write_bytes(_with_parts(data, {"word/numbering.xml": etree.tostring(root)}))
    doc = load_docx(str(path))
    assert max(p.num_prefix for p in doc.paragraphs) <= 16
    assert not api.lint_file(str(path), ALL).error


def _bad_crc(data: bytes, name: str) -> bytes:
    """Damage the stored CRC of one entry (local header and central directory)."""
    import struct

    out = bytearray(data)
    raw = name.encode()
    for sig, crc_at, name_at in ((b"PK\x03\x04", 14, 30), (b"PK\x01\x02", 16, 46)):
        pos = 0
        while True:
            pos = out.index(sig, pos)
            if out[pos + name_at:pos + name_at + len(raw)] == raw:
                struct.pack_into("<I", out, pos + crc_at, struct.unpack_from("<I", out, pos + crc_at)[0] ^ 0xFFFF)
                break
            pos += 4
    return bytes(out)


def test_a_damaged_part_the_linter_never_reads_does_not_break_fix_or_annotate(tmp_path):
    """docProps/app.xml is only copied by --fix/--annotate: a bad CRC there is a clear error, not a crash."""
    from ecocheck.fix.annotate import AnnotateError, annotate_file
    from ecocheck.fix.engine import fix_file

    path = tmp_path / "d.docx"
    path.write_bytes(_bad_crc(_base(tmp_path), "docProps/app.xml"))
    before = path.read_bytes()
    result = api.lint_file(str(path), ALL)
    assert not result.error  # the linter reads what it needs
    with pytest.raises(AnnotateError) as info:
        annotate_file(str(path), result.findings, str(tmp_path / "out.docx"))
    assert "已损坏" in info.value.message and "app.xml" in info.value.message
    (tmp_path / "t.docx").write_bytes(_bad_crc(build_docx(["关于某局的报告", "一、基本情况", "现有党员 56 人，全年完成任务。"],
                                                       tmp_path / "fixable.docx").read_bytes(), "docProps/app.xml"))
    outcome = fix_file(str(tmp_path / "t.docx"), Config())
    assert outcome.error and "已损坏" in outcome.error and not outcome.changed, outcome.error  # a fix was due
    assert path.read_bytes() == before
