"""A .docx outlines exactly like the same text typed: auto-numbering, tables, locations."""

import json
from pathlib import Path

import pytest
import yaml
from make_docx import build_docx
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.cli.outline_view import outline_json

ROOT = Path(__file__).resolve().parents[1]


def _lines(name):
    return (ROOT / "fixtures" / name).read_text(encoding="utf-8").splitlines()


def _strip_paths(data):
    data = dict(data)
    data.pop("path")
    return data


@pytest.mark.parametrize("mode", [True, "style"])
def test_auto_numbered_docx_outlines_like_typed_text(tmp_path, mode):
    lines = _lines("report_autonumber.txt")
    typed = build_docx(lines, tmp_path / "typed.docx")
    auto = build_docx(lines, tmp_path / "auto.docx", auto_number=mode)
    txt = ROOT / "fixtures" / "report_autonumber.txt"
    o_typed = outline_json(api.outline_file(str(typed)))
    o_auto = outline_json(api.outline_file(str(auto)))
    o_txt = outline_json(api.outline_file(str(txt)))
    assert _strip_paths(o_auto) == _strip_paths(o_typed) == _strip_paths(o_txt)
    # the numbering really is Word's: the label is not typed in the document XML
    from ecocheck.loaders.docx import load_docx

    doc = load_docx(str(auto))
    numbered = [p for p in doc.paragraphs if p.num_prefix]
    assert numbered and all(p.runs[0].auto_number for p in numbered)
    assert sum(1 for p in numbered if p.text.startswith("（一）")) >= 2  # （一） restarts under 二、


def test_table_cells_are_paragraphs_in_document_order(tmp_path):
    spec = yaml.safe_load((ROOT / "fixtures" / "report_table.yaml").read_text(encoding="utf-8"))["paragraphs"]
    path = build_docx(spec, tmp_path / "table.docx")
    res = CliRunner().invoke(app, ["lint", str(path), "-f", "json", "--select", "H301"])
    (f,) = json.loads(res.output)["files"][0]["findings"]
    # 5 paragraphs before the table; header row has 3 cells; the ** sits in row 4, column 2
    assert (f["line"], f["column"], f["text"]) == (5 + 3 * 3 + 1 + 1, 1, "**")
    assert f["section"] == "一、基本情况"
    outline = api.outline_file(str(path))
    assert [n.title for n in outline.sections] == ["一、基本情况", "二、主要特征", "三、存在的问题", "四、整改措施"]
