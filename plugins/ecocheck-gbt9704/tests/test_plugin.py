"""The plugin as users meet it: registration, CLI, documentation, formats, robustness."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import gbt_docx
import pytest
from ecocheck_gbt9704 import docmodel
from ecocheck_gbt9704.rules import RULES
from typer.testing import CliRunner

from ecocheck import api
from ecocheck.cli.app import app
from ecocheck.model import Severity

TOOLS = Path(__file__).resolve().parents[3] / "tools"


def test_registering_the_rules_and_linting_a_txt_leave_the_docx_stack_unloaded(tmp_path):
    # the format view, the style resolver and the .docx loader (lxml) come with the first .docx:
    # `ecocheck rules`, `explain` and .txt/.md runs do without them
    import subprocess

    report = tmp_path / "r.txt"
    report.write_text("关于某局的报告\n一、基本情况\n共有党员**人。\n", encoding="utf-8")
    heavy = ("ecocheck_gbt9704.docmodel", "ecocheck_gbt9704.styles", "ecocheck.loaders.docx", "lxml.etree")
    code = ("import sys\nfrom ecocheck import api\nfrom ecocheck.config import Config\n"
            "assert api.registry().get('F705') is not None\n"
            f"findings = api.lint_file({str(report)!r}, Config()).findings\n"
            f"print(len(findings), [m for m in {heavy!r} if m in sys.modules])\n"
            f"api.lint_file({str(gbt_docx.build(tmp_path / 'r.docx'))!r}, Config())\n"
            f"print([m for m in {heavy!r} if m in sys.modules])\n")
    # run outside the checkout: ``python -c`` puts the current directory first on sys.path
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path).stdout.splitlines()
    assert out[0].split(" ", 1)[1] == "[]" and int(out[0].split(" ", 1)[0]) > 0
    assert out[1] == str(list(heavy))


def test_rules_are_registered_from_the_plugin_distribution():
    reg = api.registry()
    for rule in RULES:
        registered = reg.get(rule.code)
        assert registered is not None, rule.code
        assert registered.source == "ecocheck-gbt9704"
        assert registered.formats == ("docx",)
        assert re.fullmatch(r"F7\d\d", rule.code) and rule.code != "F700"
    assert not [p for p in reg.problems if "gbt9704" in p[0]]


def test_rules_command_lists_the_f_rules_with_their_source():
    out = CliRunner().invoke(app, ["rules"]).output
    for rule in RULES:
        line = next(line for line in out.splitlines() if line.startswith(rule.code))
        assert rule.name in line and "ecocheck-gbt9704" in line


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_explain_cites_the_standard_clause(rule):
    out = CliRunner().invoke(app, ["explain", rule.code]).output
    assert out.startswith(f"{rule.code} {rule.name}")
    references = out.split("## 参考", 1)[1]
    assert re.search(r"GB/T 9704-2012.*§\d+(\.\d+)*", references)
    assert re.search(r"§\d", rule.doc.why)  # the clause is cited in the text too
    assert set(rule.doc.options) == set(rule.options)  # every option is documented, nothing extra


def test_severities_follow_the_domain_reference():
    by_code = {r.code: r.severity for r in RULES}
    assert by_code["F701"] == by_code["F702"] == Severity.ERROR
    assert by_code["F705"] == by_code["F706"] == by_code["F707"] == Severity.WARNING
    assert by_code["F709"] == Severity.INFO


@pytest.mark.parametrize("name", ["report.txt", "report.md"])
def test_text_and_markdown_files_get_no_f_finding(tmp_path, name):
    path = tmp_path / name
    prefix = "# " if name.endswith(".md") else ""
    path.write_text(f"{prefix}关于2024年度政治生态建设情况的报告\n\n一、总体评价\n\n全局政治生态总体向好。\n", encoding="utf-8")
    assert api.lint_file(str(path), api.Config(select=["F"])).findings == []
    assert not [f for f in api.lint_file(str(path)).findings if f.code.startswith("F")]


def test_at_most_one_finding_per_paragraph_and_property(make_report):
    path = make_report({"styles": {"Normal": {"rpr": {"east_asia": "宋体", "size": 12},
                                              "ppr": {"first_line_chars": 0, "first_line": 0, "line": 240,
                                                      "line_rule": "auto"}}}, "grid": None})
    findings = api.lint_file(path, api.Config(select=["F"])).findings
    keys = [(f.code, f.line) for f in findings]
    assert len(keys) == len(set(keys))
    body = [f for f in findings if f.code in ("F705", "F706", "F707")]
    assert len(body) == 3 and all("共" in f.message for f in body)  # each grouped over the whole body


def test_styles_are_parsed_once_per_document(make_report, monkeypatch):
    calls = []
    real = docmodel.build
    monkeypatch.setattr(docmodel, "build", lambda document: calls.append(document.path) or real(document))
    path = make_report({"page": {"top": 1440}})
    assert api.lint_file(path, api.Config(select=["F"])).findings
    assert calls == [path]


def test_formatting_is_resolved_once_per_paragraph_and_never_shared_across_documents(make_report):
    from ecocheck.loaders import load

    songti = make_report({"styles": {"Normal": {"rpr": {"east_asia": "宋体", "size": 12}}}})
    good = make_report()
    config = api.Config(select=["F"])
    first = [f.message for f in api.lint_file(songti, config).findings]
    assert first and api.lint_file(good, config).findings == []  # the same rule objects, another document
    assert [f.message for f in api.lint_file(songti, config).findings] == first

    document = load(good)
    fmt = docmodel.build(document)
    index = next(i for i, info in enumerate(fmt.paragraphs) if info is not None and len(info.runs) > 1)
    runs = fmt.runs(index)
    assert fmt.runs(index) is runs and fmt.paragraph_props(index) is fmt.paragraph_props(index)
    cut = runs[0][0].end  # a span from the end of the first run
    assert fmt.runs(index, cut) == [item for item in runs if item[0].end > cut]
    assert fmt.runs(index, 0, cut) == [runs[0]]


def test_cli_lint_reports_format_errors(make_report):
    path = make_report({"page": {"width": 12240, "height": 15840}})
    result = CliRunner().invoke(app, ["lint", path, "--select", "F"])
    assert result.exit_code == 1
    assert "F701 纸张应为 A4（210×297 毫米），实为 215.9×279.4 毫米（Letter） [error]" in result.output


def test_json_output_has_expected_and_actual(make_report):
    import json

    path = make_report({"paragraphs": {4: {"rpr": {"east_asia": "宋体", "size": 12}}}})
    data = json.loads(CliRunner().invoke(app, ["lint", path, "--select", "F705", "-f", "json"]).output)
    (finding,) = data["files"][0]["findings"]
    assert finding["message"] == "正文字体应为仿宋_GB2312（3号），实为宋体（12磅）"
    assert (finding["line"], finding["column"], finding["severity"]) == (4, 1, "warning")
    assert finding["text"].startswith("全局党员干部")


def _minimal_docx(path: Path, body: str) -> Path:
    """A package with nothing but the main part: no styles, theme, settings or footers."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>')
    return path


def test_bare_package_is_checked_without_crashing(tmp_path):
    body = ('<w:p><w:r><w:t>关于政治生态建设情况的报告</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>一、总体评价</w:t></w:r></w:p><w:p><w:r><w:t>全局政治生态总体向好。</w:t></w:r></w:p>')
    path = _minimal_docx(tmp_path / "bare.docx", body)
    findings = api.lint_file(str(path), api.Config(select=["F", "E"])).findings
    codes = [f.code for f in findings]
    assert not [c for c in codes if c.startswith("E")]
    messages = {f.code: f.message for f in findings}
    assert messages["F701"].startswith("未设置纸张大小")
    assert messages["F705"] == "正文字体应为仿宋_GB2312（3号），实为未指定字体（10磅）"
    assert messages["F710"] == "未设置页码：页脚中没有页码域"


def test_xml_paragraphs_pair_with_loaded_paragraphs(tmp_path):
    """Tables, tracked changes, comments and Word numbering: every w:p pairs with its loaded paragraph."""
    if not (TOOLS / "make_docx.py").exists():
        pytest.skip("tools/make_docx.py is not available")
    sys.path.insert(0, str(TOOLS))
    from make_docx import build_docx

    from ecocheck.loaders.docx import load_docx

    specs = [
        "关于2024年度政治生态情况的报告",
        "一、总体评价",
        {"text": "全局政治生态总体向好。", "insert": {"text": "持续", "after": "全局"}, "comment": {"text": "核实"}},
        {"text": "（一）政治建设有力推进", "delete": {"text": "有力"}},
        {"table": [["项目", ["谈话提醒", "函询"]], ["人次", {"table": [["12", "3"]]}]]},
        "1.专项整治取得实效",
        "二、存在的问题",
    ]
    path = build_docx(specs, tmp_path / "mixed.docx", auto_number=True)
    document = load_docx(str(path))
    fmt = docmodel.build(document)
    assert len(fmt.paragraphs) == len(document.paragraphs)
    assert all(info is not None and info.matched for info in fmt.paragraphs)
    assert [info.in_table for info in fmt.paragraphs] == [p.table is not None for p in document.paragraphs]


def test_auto_numbered_headings_are_checked_after_the_label(tmp_path):
    if not (TOOLS / "make_docx.py").exists():
        pytest.skip("tools/make_docx.py is not available")
    sys.path.insert(0, str(TOOLS))
    from make_docx import build_docx

    src = build_docx(["关于2024年度政治生态情况的报告", "一、总体评价", "全局政治生态总体向好。", "（一）政治建设有力推进",
                      "局党组严格落实第一议题制度。"], tmp_path / "auto.docx", auto_number=True,
                     font_east_asia="仿宋_GB2312", size_pt=16)
    path = gbt_docx.reformat(src, tmp_path / "auto2.docx", gbt_docx.variant({"paragraphs": None}))
    findings = api.lint_file(str(path), api.Config(select=["F708"])).findings
    assert [(f.line, f.column, f.text, f.message) for f in findings] == [
        (2, 3, "总体评价", "一级标题字体应为黑体，实为仿宋_GB2312"),
        (4, 4, "政治建设有力推进", "二级标题字体应为楷体_GB2312，实为仿宋_GB2312"),
    ]


def test_large_report_groups_findings(make_report):
    body = [f"第{i}段正文，坚持问题导向，压实管党治党政治责任。" for i in range(300)]
    path = make_report({"paragraphs": gbt_docx.GOOD["paragraphs"][:3] + body,
                        "styles": {"Normal": {"rpr": {"east_asia": "宋体"}}}})
    findings = api.lint_file(path, api.Config(select=["F705"])).findings
    # located the way a writer finds it in Word: the opening words of the first and last paragraph
    assert [f.message for f in findings] == ["自“按照县纪委监委统一部…”至“第299段正文，坚持…”共 301 段：正文字体应为仿宋_GB2312，实为宋体"]


def test_grouped_message_quotes_opening_words_with_nested_marks():
    from ecocheck_gbt9704.rules.common import opening_words

    assert opening_words("局党组严格落实“第一议题”制度") == "局党组严格落实‘第一…"
    assert opening_words("特此报告。") == "特此报告。"


def test_options_from_a_config_file(make_report, tmp_path):
    """Users set options under `rules:` in ecocheck.yaml (kebab-case keys are accepted)."""
    path = make_report({"page": {"top": 1984, "bottom": 1871}, "styles": {"Normal": {"ppr": {"line": 600}}}})
    config = tmp_path / "ecocheck.yaml"
    config.write_text("rules:\n  F702: {top-mm: 35, bottom-mm: 33}\n  line-spacing-off:\n    max-pt: 30\n",
                      encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["lint", path, "--select", "F", "--config", str(config)]).exit_code == 0
    result = runner.invoke(app, ["lint", path, "--select", "F", "--isolated"])
    assert result.exit_code == 1 and "F702" in result.output and "F707" in result.output


def _pairing_documents(tmp_path, make_report) -> list:
    """Documents taking every path through the pairing: numbering labels, tracked changes, tables, fields,
    empty runs, content controls, several sections."""
    from ecocheck.loaders import load

    body = ('<w:p><w:r><w:rPr><w:b/></w:rPr></w:r><w:r><w:t>关于政治生态建设情况的报告</w:t></w:r></w:p>'
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            '<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr>'
            '<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:r><w:tab/><w:t xml:space="preserve"> 文字</w:t>'
            '</w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>'
            '<w:p><w:sdt><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt><w:r><w:br/></w:r></w:p>')
    documents = [load(str(_minimal_docx(tmp_path / "runs.docx", body))), load(make_report())]
    if (TOOLS / "make_docx.py").exists():
        sys.path.insert(0, str(TOOLS))
        from make_docx import build_docx

        specs = ["关于2024年度政治生态情况的报告", "一、总体评价",
                 {"text": "全局政治生态总体向好。", "insert": {"text": "持续", "after": "全局"}, "comment": {"text": "核实"}},
                 {"text": "（一）政治建设有力推进", "delete": {"text": "有力"}},
                 {"table": [["项目", ["谈话提醒", "函询"]], ["人次", {"table": [["12", "3"]]}]]}, "1.专项整治取得实效"]
        documents.append(load(str(build_docx(specs, tmp_path / "mixed.docx", auto_number=True))))
    return documents


def test_the_loaders_record_is_the_walk_of_the_xml(tmp_path, make_report):
    """The view pairs paragraphs and runs as the loader recorded them (meta["paragraph_elements"],
    Run.element): the record is the OOXML layer's walk of the body, run for run and text for text."""
    from ecocheck.ooxml.names import BODY
    from ecocheck.ooxml.walk import block_paragraphs, paragraph_runs, run_text

    for document in _pairing_documents(tmp_path, make_report):
        fmt = docmodel.build(document)
        assert fmt.recorded
        body = document.meta["xml"][document.meta["main_part"]].find(BODY)
        assert fmt.blocks == block_paragraphs(body)
        if document.paragraphs[0].text == "关于政治生态建设情况的报告":  # the section ends at the third paragraph
            assert [(s.first, s.last) for s in fmt.sections] == [(0, 2)]
        for index, paragraph in enumerate(document.paragraphs):
            info = fmt.info(index)
            assert info is not None, paragraph.text
            shown = [(r, run_text(r)) for r in paragraph_runs(info.element)]
            assert [(r.element, r.text) for r in info.runs] == [(r, text) for r, text in shown if text]
            assert "".join(r.text for r in info.runs) == paragraph.text[paragraph.num_prefix:]
            assert [r.start for r in info.runs] == [paragraph.num_prefix + sum(len(r.text) for r in info.runs[:k])
                                                    for k in range(len(info.runs))]


def test_a_record_of_another_tree_is_not_used(tmp_path, make_report):
    from ecocheck.loaders import load

    document, other = load(make_report()), load(make_report())
    document.meta["paragraph_elements"] = other.meta["paragraph_elements"]
    fmt = docmodel.build(document)
    assert not fmt.recorded
    assert fmt.sections and all(fmt.info(index) is None for index in range(len(document.paragraphs)))


def _plain_font_problem(fmt, faces, size_pt, tolerance, index, start, end):
    """FontCheck.problem without its shortcuts: every run's text is looked at, nothing is memoised."""
    from ecocheck_gbt9704.fonts import font_matches, has_east_asian

    face_bad, size_bad, extent = [], [], []
    for run, props in fmt.runs(index):
        a, b = max(run.start, start), min(run.end, end)
        if a >= b or run.text[a - run.start:b - run.start].isspace():
            continue
        bad_face = not font_matches(props.east_asia, faces) and has_east_asian(run.text[a - run.start:b - run.start],
                                                                              props.hint)
        bad_size = abs(props.size_pt - size_pt) > tolerance
        face_bad += [props] if bad_face else []
        size_bad += [props] if bad_size else []
        extent += [a, b] if bad_face or bad_size else []
    return (min(extent), max(extent), face_bad, size_bad) if extent else None


def test_font_check_equals_the_plain_run_by_run_check(make_report):
    """The memoised judgements and messages of FontCheck give what a plain run-by-run check gives."""
    from ecocheck_gbt9704.rules.common import FontCheck

    from ecocheck.loaders import load

    path = make_report({"paragraphs": {1: {"rpr": {"east_asia": "宋体", "size": 18, "bold": True}},
                                       3: {"runs": [{"text": "全局政治生态", "rpr": {"east_asia": "宋体"}},
                                                    {"text": "  ", "rpr": {"size": 12}},
                                                    {"text": "Overall 2024", "rpr": {"size": 12}},
                                                    {"text": "总体向好。", "rpr": {"size": 15.5}}]},
                                       4: {"rpr": {"east_asia": "宋体", "size": 12}}, 5: {"rpr": {"size": 12}}}})
    document = load(path)
    fmt = docmodel.build(document)
    fonts = ["仿宋_GB2312", "仿宋"]
    check = FontCheck(fmt, "正文", fonts, 16.0, 0.25)
    problems = 0
    for paragraph in document.paragraphs:
        text = paragraph.text
        for start, end in ((0, len(text)), (2, len(text) - 1), (len(text) // 2, len(text))):
            got = check.problem(paragraph.index, start, end)
            want = _plain_font_problem(fmt, fonts, 16.0, 0.25, paragraph.index, start, end)
            if want is None:
                assert got is None
                continue
            problems += 1
            assert (got.start, got.end, list(got.face_bad), list(got.size_bad)) == want
            fresh = FontCheck(fmt, "正文", fonts, 16.0, 0.25)  # nothing memoised yet
            assert check.message(got) == fresh.message(fresh.problem(paragraph.index, start, end))
    assert problems >= 4
