"""The JSON output is a contract other tools read: shape, types, exact locations."""

import json

from typer.testing import CliRunner

from ecocheck.cli.app import app

FINDING_KEYS = {"code", "name", "severity", "message", "line", "column", "end_line", "end_column", "text",
                "excerpt", "section"}


def test_json_shape_and_locations(write_text):
    text = "某局2023年政治生态报告\n一、基本情况\n现有党员**人，其中在职党员98人。\n"
    path = write_text(text)
    res = CliRunner().invoke(app, ["lint", path, "--format", "json", "--select", "H301"])
    data = json.loads(res.output)
    assert set(data) == {"version", "files", "summary"}
    assert data["summary"] == {"files": 1, "error": 0, "warning": 1, "info": 0}
    (file,) = data["files"]
    assert file["path"] == path and file["genre"] == "report"
    (f,) = file["findings"]
    assert FINDING_KEYS <= set(f)
    assert f["code"] == "H301" and f["name"] == "placeholder" and f["severity"] == "warning"
    assert f["message"] == "占位符“**”未替换"
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (3, 5, 3, 7)
    assert f["text"] == "**" and f["section"] == "一、基本情况"
    assert f["excerpt"] == "现有党员**人，其中在职党员98人。"
    line = text.splitlines()[f["line"] - 1]
    assert line[f["column"] - 1:f["end_column"] - 1] == f["text"]


def test_text_at_location_for_every_finding_on_fixtures(root):
    """For every fixture and every finding, `text` is exactly what sits at the location."""
    from ecocheck import api
    from ecocheck.loaders import load

    files = sorted(p for p in (root / "fixtures").rglob("*") if p.suffix in (".txt", ".md"))
    assert files, "fixtures missing"
    for p in files:
        doc = load(str(p))
        res = api.lint_file(str(p))
        for f in res.findings:
            if f.paragraph is None or f.code.startswith("E"):
                continue
            assert f.location_error(doc) is None, (p.name, f.code, f.location_error(doc))
            assert f.end_column - f.column == len(f.text)


def test_utf16_and_gb18030_columns_are_characters(write_text):
    text = "报告\n一、基本情况\n党员XX人\n"
    for enc in ("gb18030", "utf-16", "utf-8-sig"):
        path = write_text(text, name=f"d-{enc}.txt", encoding=enc)
        data = json.loads(CliRunner().invoke(app, ["lint", path, "-f", "json", "--select", "H301"]).output)
        (f,) = data["files"][0]["findings"]
        assert (f["line"], f["column"], f["text"]) == (3, 3, "XX"), enc


def test_location_error_catches_a_finding_that_points_elsewhere():
    from dataclasses import replace

    from ecocheck import api
    from ecocheck.loaders.text import load_text

    doc = load_text("d.txt", "报告\n现有党员**人。\n".encode())
    (f,) = api.lint_document(doc, api.Config(select=["H301"])).findings
    assert f.location_error(doc) is None
    assert "'员*'" in replace(f, column=f.column - 1, end_column=f.end_column - 1, start=f.start - 1,
                              end=f.end - 1).location_error(doc)
    assert "line" in replace(f, line=1, end_line=1).location_error(doc)
    assert "offsets" in replace(f, start=0).location_error(doc)
