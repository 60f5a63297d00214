"""The .docx loader, Word automatic numbering, and hostile inputs.

Every .docx is built at test time (tools/make_docx.py, python-docx, or raw
zip bytes): no binary fixtures.
"""

from __future__ import annotations

import io
import json
import random
import re
import struct
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))

from lxml import etree  # noqa: E402
from make_docx import build_docx, main as make_docx_main, split_label  # noqa: E402

from ecocheck.errors import (  # noqa: E402
    E_CORRUPT,
    E_EMPTY,
    E_ENCRYPTED,
    E_LEGACY,
    E_NOT_FOUND,
    E_TOO_LARGE,
    E_UNSAFE_XML,
    E_UNSUPPORTED,
    E_XML,
    LoadError,
)
from ecocheck.loaders.docx import Limits, load_docx, native_docx  # noqa: E402
from ecocheck.loaders.numbering import (  # noqa: E402
    ListNumbering,
    NumberingDefinitions,
    StyleNumbering,
    format_number,
    labels_for,
)
from ecocheck.ooxml.package import read_capped  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_DECL = f'xmlns:w="{W_NS}"'

REPORT = [
    "关于2024年度政治生态情况的报告",
    "一、总体评价",
    "（一）政治建设有力推进",
    "（二）作风建设持续深化",
    "1.专项整治取得实效",
    "（1）整改问题12个",
    "（2）建立制度3项",
    "2.日常监督更加有力",
    "二、存在的问题",
    "（一）责任落实不到位",
    "（二）制度执行不严格",
    "三、下一步工作打算",
    "特此报告。",
]


# ---------------------------------------------------------------------------
# helpers


def build(tmp_path: Path, specs, name: str = "t.docx", **kw) -> Path:
    return build_docx(specs, tmp_path / name, **kw)


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def rewrite(src: Path, dst: Path, replace: dict[str, bytes | None]) -> Path:
    """Copy a zip, replacing (bytes) or dropping (None) some members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        names = set()
        for info in zin.infolist():
            names.add(info.filename)
            data = replace.get(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in replace.items():
            if name not in names and data is not None:
                zout.writestr(name, data)
    return dst


def document_xml(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<w:document {W_DECL}><w:body>{body}</w:body></w:document>"
    ).encode("utf-8")


def docx_with_body(tmp_path: Path, body: str, **parts: bytes) -> Path:
    """A python-docx based package whose document.xml body is ``body``.

    ``parts`` replace other members: numbering=..., styles=... (word/<name>.xml).
    """
    base = build(tmp_path, ["x"], name="base.docx")
    replace = {"word/document.xml": document_xml(body)}
    for name, data in parts.items():
        replace[f"word/{name}.xml"] = data
    return rewrite(base, tmp_path / "raw.docx", replace)


def numbering_xml(*items: str) -> bytes:
    return f'<w:numbering {W_DECL}>{"".join(items)}</w:numbering>'.encode()


def lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def abstract(aid: int, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{extra}{"".join(levels)}</w:abstractNum>'


def num(nid: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def numbering_from(xml: bytes, styles: StyleNumbering | None = None) -> ListNumbering:
    return ListNumbering(NumberingDefinitions.from_xml(etree.fromstring(xml)), styles)


def numbered_p(text: str, num_id: int | str, ilvl: int | None = None, style: str | None = None) -> str:
    ilvl_xml = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:p><w:pPr>{style_xml}<w:numPr>{ilvl_xml}<w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
        f"<w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def expect_error(path: Path, code: str, limits: Limits | None = None) -> LoadError:
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(LoadError) as info:
        load_docx(str(path), limits)
    err = info.value
    assert err.code == code, err.message
    assert "\n" not in err.message
    assert re.search(r"[\u4e00-\u9fff]", err.message), err.message
    if before is not None:
        assert path.read_bytes() == before  # the input is never modified
    return err


# ---------------------------------------------------------------------------
# paragraphs, tables, text


def test_paragraph_order_with_table(tmp_path):
    path = build(tmp_path, [
        "标题",
        "前言。",
        {"table": [["A1", "B1"], ["A2", ["B2a", "B2b"]]]},
        "结尾。",
    ])
    doc = load_docx(str(path))
    assert doc.format == "docx" and doc.encoding is None and doc.native is None
    assert texts(doc) == ["标题", "前言。", "A1", "B1", "A2", "B2a", "B2b", "结尾。"]
    assert [p.index for p in doc.paragraphs] == list(range(8))
    assert [p.line for p in doc.paragraphs] == list(range(1, 9))
    assert [p.table for p in doc.paragraphs] == [
        None, None, (0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1), (0, 1, 1), None,
    ]
    assert doc.text == "\n".join(texts(doc))


def test_paragraph_and_run_elements_are_recorded(tmp_path):
    """meta["paragraph_elements"] holds each paragraph's w:p of the main part's tree, Run.element each run's w:r."""
    w = "{%s}" % W_NS
    body = ('<w:p><w:r><w:t>甲</w:t></w:r><w:hyperlink><w:r><w:t>乙</w:t></w:r></w:hyperlink><w:r/>'
            '<w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:ins><w:r><w:tab/></w:r></w:ins></w:p>'
            '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
            '<w:sdt><w:sdtContent><w:p/></w:sdtContent></w:sdt>')
    doc = load_docx(str(docx_with_body(tmp_path, body)))
    elements = doc.meta["paragraph_elements"]
    assert len(elements) == len(doc.paragraphs) == 3
    root = doc.meta["xml"][doc.meta["main_part"]]
    assert all(p.tag == w + "p" and p.getroottree().getroot() is root for p in elements)
    assert [[(r.text, r.element.getparent().tag) for r in p.runs] for p in doc.paragraphs] == [
        [("甲", w + "p"), ("乙", w + "hyperlink"), ("\t", w + "ins")], [("格", w + "p")], []]
    for p, element in zip(doc.paragraphs, elements):
        assert all(element in r.element.iterancestors() for r in p.runs)


def test_nested_tables_are_numbered_in_document_order(tmp_path):
    path = build(tmp_path, [
        {"table": [["外1", ["外2", {"table": [["内1", "内2"]]}]]]},
        {"table": [["第二表"]]},
    ])
    doc = load_docx(str(path))
    cells = [(p.text, p.table) for p in doc.paragraphs]
    # python-docx puts the mandatory empty paragraph after a nested table.
    assert cells == [
        ("外1", (0, 0, 0)),
        ("外2", (0, 0, 1)),
        ("内1", (1, 0, 0)),
        ("内2", (1, 0, 1)),
        ("", (0, 0, 1)),
        ("第二表", (2, 0, 0)),
    ]


def test_text_is_exact(tmp_path):
    specs = ["  前导空格与结尾空格  ", "甲\t乙", "第一行\n第二行", "<&>\"'全角，标点；", ""]
    doc = load_docx(str(build(tmp_path, specs)))
    assert texts(doc) == specs


def test_inline_markup_text_rules(tmp_path):
    body = (
        '<w:p><w:r><w:br w:type="page"/></w:r><w:r><w:t>一、标题</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>甲</w:t><w:noBreakHyphen/><w:t>乙</w:t>"
        '<w:sym w:font="Wingdings" w:char="F0FC"/><w:cr/><w:t>丙</w:t>'
        '<w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/></w:r></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple></w:p>'
        '<w:p><w:hyperlink w:anchor="x"><w:r><w:t>链接</w:t></w:r></w:hyperlink>'
        "<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt>"
        '<w:smartTag w:uri="u" w:element="e"><w:r><w:t>标记</w:t></w:r></w:smartTag></w:p>'
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>块级控件段落</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        '<w:ins w:id="1" w:author="a"><w:p><w:r><w:t>块级插入段落</w:t></w:r></w:p></w:ins>'
        '<w:customXml w:element="c"><w:p><w:r><w:t>自定义XML段落</w:t></w:r></w:p></w:customXml>'
        "<w:sectPr/>"
    )
    doc = load_docx(str(docx_with_body(tmp_path, body)))
    assert texts(doc) == [
        "一、标题",  # a page break adds nothing
        "甲-乙\n丙\t",
        "39",  # field results are text, field codes are not
        "链接控件标记",
        "块级控件段落",
        "块级插入段落",
        "自定义XML段落",
    ]


def test_styles_alignment_and_props(tmp_path):
    path = build(tmp_path, [
        "关于某某的报告",
        {"text": "居中", "alignment": "center", "style": "Heading 2"},
        "正文",
    ], title_style="Title")
    doc = load_docx(str(path))
    assert [p.style for p in doc.paragraphs] == ["Title", "Heading 2", "Normal"]
    assert [p.alignment for p in doc.paragraphs] == [None, "center", None]


def test_a_duplicated_style_id_takes_its_first_definition(tmp_path):
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W_DECL}>'
              '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="H"><w:name w:val="heading 1"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="H"><w:name w:val="heading 2"/></w:style>'
              '</w:styles>').encode("utf-8")
    path = docx_with_body(tmp_path, '<w:p><w:pPr><w:pStyle w:val="H"/></w:pPr><w:r><w:t>一、标题</w:t></w:r></w:p>'
                                    '<w:p><w:r><w:t>正文</w:t></w:r></w:p>', styles=styles)
    doc = load_docx(str(path))
    assert [p.style for p in doc.paragraphs] == ["Heading 1", "Normal"]


def test_footers_and_headers_are_not_body_text(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("正文第一段")
    d.sections[0].footer.paragraphs[0].text = "第 1 页"
    d.sections[0].header.paragraphs[0].text = "内部资料"
    path = tmp_path / "footer.docx"
    d.save(str(path))
    doc = load_docx(str(path))
    assert texts(doc) == ["正文第一段"]
    assert doc.meta["footers"] == ["第 1 页"]
    assert doc.meta["headers"] == ["内部资料"]


def test_meta_parts_and_native(tmp_path):
    path = build(tmp_path, [{"text": "正文", "comment": {"author": "甲", "text": "意见"}}], auto_number=True)
    doc = load_docx(str(path))
    parts = doc.meta["parts"]
    for name in ("word/document.xml", "word/styles.xml", "word/numbering.xml", "word/settings.xml",
                 "word/theme/theme1.xml", "word/comments.xml"):
        assert isinstance(parts[name], bytes), name
    assert doc.meta["main_part"] == "word/document.xml"
    native = native_docx(doc)
    assert native is doc.native and native_docx(doc) is native
    assert [p.text for p in native.paragraphs] == ["正文"]


def test_package_without_document_relationships_uses_conventional_names(tmp_path):
    path = build(tmp_path, ["一、甲", {"text": "乙", "comment": {"author": "甲", "text": "意见"}}], auto_number=True)
    doc = load_docx(str(rewrite(path, tmp_path / "norels.docx", {"word/_rels/document.xml.rels": None})))
    assert texts(doc) == ["一、甲", "乙"]
    assert [c.text for c in doc.comments] == ["意见"]
    assert "word/numbering.xml" in doc.meta["parts"]


# ---------------------------------------------------------------------------
# automatic numbering


def test_auto_numbered_document_reads_like_the_typed_one(tmp_path):
    typed = load_docx(str(build(tmp_path, REPORT, name="typed.docx")))
    auto_path = build(tmp_path, REPORT, name="auto.docx", auto_number=True)
    auto = load_docx(str(auto_path))
    assert texts(auto) == texts(typed) == REPORT

    # The labels really are Word numbering, not typed text.
    import docx

    stored = [p.text for p in docx.Document(str(auto_path)).paragraphs]
    assert stored[1] == "总体评价" and stored[5] == "整改问题12个"

    for p in auto.paragraphs:
        found = split_label(p.text)
        if found is None:
            assert p.num_prefix == 0 and not any(r.auto_number for r in p.runs)
            continue
        label = found[2]
        assert p.num_prefix == len(label)
        first = p.runs[0]
        assert first.auto_number and first.text == label and (first.start, first.end) == (0, len(label))
        assert p.runs[1].start == len(label)  # typed runs are shifted behind the label
        assert p.props["num_level"] == found[0]
    assert typed.paragraphs[1].num_prefix == 0


def test_second_level_restarts_under_next_first_level(tmp_path):
    doc = load_docx(str(build(tmp_path, ["一、甲", "（一）子", "（二）子", "二、乙", "（一）子"], auto_number=True)))
    assert texts(doc) == ["一、甲", "（一）子", "（二）子", "二、乙", "（一）子"]
    assert [p.props.get("num_value") for p in doc.paragraphs] == [1, 1, 2, 2, 1]


def test_typed_sequence_that_skips_still_displays_as_typed(tmp_path):
    specs = ["一、甲", "三、丙", "（一）子", "（三）子", "四、丁", "（一）子"]
    doc = load_docx(str(build(tmp_path, specs, auto_number=True)))
    assert texts(doc) == specs


def test_auto_numbering_inside_table_cells(tmp_path):
    specs = ["一、表前", {"table": [["（一）格内", "普通"]]}, "二、表后"]
    doc = load_docx(str(build(tmp_path, specs, auto_number=True)))
    assert texts(doc) == ["一、表前", "（一）格内", "普通", "二、表后"]


def test_style_linked_numbering(tmp_path):
    specs = [
        "报告",
        "一、总体评价",
        "（一）政治建设",
        {"text": "二、存在问题", "style": "一级标题"},  # custom style based on Heading 1
        "（一）问题",
        "1.细节",
    ]
    path = build(tmp_path, specs, auto_number="style", styles={"一级标题": "Heading 1"})
    doc = load_docx(str(path))
    assert texts(doc) == ["报告", "一、总体评价", "（一）政治建设", "二、存在问题", "（一）问题", "1.细节"]
    assert [p.style for p in doc.paragraphs] == ["Normal", "Heading 1", "Heading 2", "一级标题", "Heading 2", "Heading 3"]
    assert b"<w:numPr>" not in doc.meta["parts"]["word/document.xml"]  # all numbering comes from styles


def test_numbering_with_raw_xml(tmp_path):
    numbering = numbering_xml(
        abstract(0, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2"), lvl(2, "lowerLetter", "(%3)")),
        abstract(1, lvl(0, "bullet", "•")),
        num(1, 0), num(2, 1),
    )
    body = (
        numbered_p("甲", 1, 0) + numbered_p("乙", 1, 1) + numbered_p("丙", 1, 2) + numbered_p("丁", 1, 1)
        + numbered_p("戊", 1, 0) + numbered_p("己", 1, 1) + numbered_p("点", 2, 0) + numbered_p("无", 0, 0)
    )
    doc = load_docx(str(docx_with_body(tmp_path, body, numbering=numbering)))
    assert texts(doc) == ["1.甲", "1.1乙", "(a)丙", "1.2丁", "2.戊", "2.1己", "•点", "无"]


# ---------------------------------------------------------------------------
# numbering unit tests


@pytest.mark.parametrize("value, expected", [
    (1, "一"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"),
    (99, "九十九"), (100, "一○○"), (105, "一○五"),
])
def test_chinese_counting(value, expected):
    assert format_number(value, "chineseCounting") == expected


@pytest.mark.parametrize("value, expected", [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (100, "一百"), (105, "一百〇五"),
    (110, "一百一十"), (123, "一百二十三"), (1000, "一千"), (1001, "一千〇一"), (1010, "一千〇一十"),
    (1200, "一千二百"), (1205, "一千二百〇五"), (1234, "一千二百三十四"),
])
def test_chinese_counting_thousand(value, expected):
    assert format_number(value, "chineseCountingThousand") == expected


@pytest.mark.parametrize("fmt, value, expected", [
    ("chineseLegalSimplified", 1, "壹"), ("chineseLegalSimplified", 10, "壹拾"),
    ("chineseLegalSimplified", 11, "壹拾壹"), ("chineseLegalSimplified", 20, "贰拾"),
    ("chineseLegalSimplified", 105, "壹佰零伍"), ("chineseLegalSimplified", 110, "壹佰壹拾"),
    ("chineseLegalSimplified", 1001, "壹仟零壹"),
    ("ideographTraditional", 1, "甲"), ("ideographTraditional", 10, "癸"), ("ideographTraditional", 11, "11"),
    ("ideographZodiac", 1, "子"), ("ideographZodiac", 12, "亥"), ("ideographZodiac", 13, "13"),
    ("ideographDigital", 105, "一〇五"),
    ("upperLetter", 1, "A"), ("upperLetter", 26, "Z"), ("upperLetter", 27, "AA"), ("upperLetter", 28, "BB"),
    ("lowerLetter", 53, "aaa"),
    ("upperRoman", 4, "IV"), ("upperRoman", 14, "XIV"), ("upperRoman", 1994, "MCMXCIV"), ("lowerRoman", 9, "ix"),
    ("decimalEnclosedCircle", 1, "①"), ("decimalEnclosedCircle", 20, "⑳"), ("decimalEnclosedCircle", 21, "21"),
    ("decimalEnclosedCircleChinese", 3, "③"), ("decimalEnclosedParen", 2, "⑵"), ("decimalEnclosedFullstop", 2, "⒉"),
    ("decimalFullWidth", 12, "１２"), ("decimalZero", 5, "05"), ("decimalZero", 12, "12"),
    ("decimal", 7, "7"), ("none", 3, ""), ("bullet", 3, ""), ("someFutureFormat", 4, "4"),
])
def test_format_number(fmt, value, expected):
    assert format_number(value, fmt) == expected


def test_counters_restart_deeper_levels_and_respect_lvl_restart():
    xml = numbering_xml(
        abstract(0, lvl(0, "chineseCounting", "%1、"), lvl(1, "chineseCounting", "（%2）"),
                 lvl(2, "decimal", "%3.", extra='<w:lvlRestart w:val="0"/>')),
        num(1, 0),
    )
    n = numbering_from(xml)
    seq = [("1", 0, None), ("1", 1, None), ("1", 2, None), ("1", 1, None), ("1", 2, None),
           ("1", 0, None), ("1", 1, None), ("1", 2, None)]
    # level 1 restarts under each level-0 item; level 2 (lvlRestart 0) never restarts
    assert labels_for(n, seq) == ["一、", "（一）", "1.", "（二）", "2.", "二、", "（一）", "3."]


def test_lvl_restart_only_after_named_level():
    xml = numbering_xml(
        abstract(0, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%2)"),
                 lvl(2, "lowerLetter", "%3.", extra='<w:lvlRestart w:val="1"/>')),
        num(1, 0),
    )
    n = numbering_from(xml)
    seq = [("1", 0, None), ("1", 2, None), ("1", 1, None), ("1", 2, None), ("1", 0, None), ("1", 2, None)]
    # level 2 restarts after level 0 only, not after level 1
    assert labels_for(n, seq) == ["1.", "a.", "1)", "b.", "2.", "a."]


def test_nums_sharing_an_abstract_continue_unless_start_override():
    xml = numbering_xml(
        abstract(0, lvl(0, "decimal", "%1.")),
        num(1, 0), num(2, 0),
        num(3, 0, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'),
    )
    n = numbering_from(xml)
    seq = [("1", 0, None), ("1", 0, None), ("2", 0, None), ("3", 0, None), ("3", 0, None), ("1", 0, None)]
    assert labels_for(n, seq) == ["1.", "2.", "3.", "1.", "2.", "4."]


def test_start_values_and_level_override():
    xml = numbering_xml(
        abstract(0, lvl(0, "decimal", "%1.", start=5), lvl(1, "decimal", "%1.%2")),
        num(1, 0, '<w:lvlOverride w:ilvl="1"><w:lvl w:ilvl="1"><w:start w:val="3"/>'
                  '<w:numFmt w:val="upperLetter"/><w:lvlText w:val="[%2]"/></w:lvl></w:lvlOverride>'),
        num(2, 0),
    )
    n = numbering_from(xml)
    assert labels_for(n, [("2", 1, None), ("2", 0, None), ("1", 1, None)]) == ["5.1", "5.", "[C]"]


def test_is_legal_renders_every_level_decimal():
    xml = numbering_xml(
        abstract(0, lvl(0, "chineseCounting", "第%1章"), lvl(1, "chineseCounting", "%1.%2", extra="<w:isLgl/>")),
        num(1, 0),
    )
    n = numbering_from(xml)
    assert labels_for(n, [("1", 0, None), ("1", 1, None), ("1", 1, None)]) == ["第一章", "1.1", "1.2"]


def test_num_id_zero_and_unknown_ids_give_no_label():
    xml = numbering_xml(abstract(0, lvl(0, "decimal", "%1.")), num(1, 0))
    styles = StyleNumbering(num_pr={"H1": ("1", 0)})
    n = numbering_from(xml, styles)
    seq = [(None, None, "H1"), ("0", None, "H1"), ("9", 0, None), ("1", 5, None), (None, None, None)]
    assert labels_for(n, seq) == ["1.", "", "", "", ""]


def test_style_numbering_follows_based_on_chain_and_pstyle_link():
    xml = numbering_xml(
        abstract(0, lvl(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="H1"/>'),
                 lvl(1, "chineseCounting", "（%2）", extra='<w:pStyle w:val="H2"/>')),
        num(7, 0),
    )
    styles = StyleNumbering(
        num_pr={"H1": ("7", None), "H2": ("7", 1)},
        based_on={"MyHeading": "H1", "H1": "Normal", "Loop": "Loop"},
    )
    n = numbering_from(xml, styles)
    # MyHeading inherits numId from H1; the level comes from the lvl linked to H1.
    assert n.resolve(None, None, "MyHeading") == ("7", 0)
    assert labels_for(n, [(None, None, "MyHeading"), (None, None, "H2"), (None, 1, "H1"), (None, None, "Loop")]) == [
        "一、", "（一）", "（二）", ""]


def test_num_style_link_is_followed():
    xml = numbering_xml(
        abstract(0, lvl(0, "upperRoman", "%1."), extra='<w:styleLink w:val="ListStyle"/>'),
        abstract(1, extra='<w:numStyleLink w:val="ListStyle"/>'),
        num(1, 0), num(2, 1),
    )
    n = numbering_from(xml, StyleNumbering(num_pr={"ListStyle": ("1", None)}))
    assert labels_for(n, [("2", 0, None), ("2", 0, None)]) == ["I.", "II."]


def test_unused_shallower_level_shows_its_start_and_alternate_content_format():
    xml = numbering_xml(
        abstract(0, lvl(0, "decimal", "%1", start=3),
                 '<w:lvl w:ilvl="1" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                 '<w:start w:val="1"/><mc:AlternateContent><mc:Choice Requires="w14">'
                 '<w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice>'
                 '<mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent>'
                 '<w:lvlText w:val="%1-%2"/></w:lvl>'),
        num(1, 0),
    )
    n = numbering_from(xml)
    assert labels_for(n, [("1", 1, None)]) == ["3-01"]


# ---------------------------------------------------------------------------
# runs, comments, revisions


def test_runs_keep_direct_formatting(tmp_path):
    spec = {"runs": [
        {"text": "加粗", "bold": True, "highlight": "yellow", "font_east_asia": "仿宋_GB2312", "size_pt": 16},
        {"text": "斜体", "italic": True, "font_ascii": "Times New Roman", "size_pt": 10.5},
        {"text": "底纹", "shading": "FFFF00"},
        {"text": "白底", "shading": "FFFFFF"},
        {"text": "强调", "style": "Strong", "bold": False},
    ]}
    doc = load_docx(str(build(tmp_path, [spec])))
    p = doc.paragraphs[0]
    assert p.text == "加粗斜体底纹白底强调"
    runs = p.runs
    assert [(r.text, r.start, r.end) for r in runs] == [
        ("加粗", 0, 2), ("斜体", 2, 4), ("底纹", 4, 6), ("白底", 6, 8), ("强调", 8, 10)]
    assert (runs[0].bold, runs[0].highlight) == (True, "yellow")
    assert (runs[0].font_east_asia, runs[0].size_pt) == ("仿宋_GB2312", 16.0)
    assert (runs[1].italic, runs[1].font_ascii, runs[1].size_pt, runs[1].bold) == (True, "Times New Roman", 10.5, None)
    assert runs[2].highlight == "FFFF00"
    assert runs[3].highlight is None
    assert (runs[4].style, runs[4].bold) == ("Strong", False)
    assert all(r.revision is None and not r.auto_number for r in runs)


def test_default_fonts_apply_to_every_run(tmp_path):
    doc = load_docx(str(build(tmp_path, ["正文一", "正文二"], font_east_asia="仿宋_GB2312", size_pt=16)))
    assert {(r.font_east_asia, r.size_pt) for p in doc.paragraphs for r in p.runs} == {("仿宋_GB2312", 16.0)}


def test_comments_are_anchored(tmp_path):
    specs = [
        "第一段",
        {"text": "一、落实主体责任不到位", "comment": {"author": "张三", "text": "措辞再斟酌\n建议改写", "anchor": "主体责任"}},
        {"text": "整段批注", "comment": {"author": "李四", "text": "整段"}},
    ]
    doc = load_docx(str(build(tmp_path, specs, auto_number=True)))
    assert texts(doc)[1] == "一、落实主体责任不到位"
    first, second = doc.comments
    assert (first.author, first.text) == ("张三", "措辞再斟酌\n建议改写")
    assert (first.paragraph, first.end_paragraph) == (1, 1)
    # offsets include the rendered numbering label
    assert doc.paragraphs[1].text[first.start:first.end] == "主体责任"
    assert (second.author, second.paragraph, second.start, second.end) == ("李四", 2, 0, 4)


def test_comment_with_only_a_reference_is_anchored_at_the_reference(tmp_path):
    path = build(tmp_path, [{"text": "甲乙丙", "comment": {"author": "王五", "text": "看这里", "anchor": "乙"}}])
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml")
    xml = re.sub(rb"<w:commentRange(Start|End)[^>]*/>", b"", xml)
    doc = load_docx(str(rewrite(path, tmp_path / "ref.docx", {"word/document.xml": xml})))
    (c,) = doc.comments
    # the reference run follows the anchored run "乙"
    assert (c.paragraph, c.start, c.end, c.end_paragraph) == (0, 2, 2, 0)


def test_tracked_changes(tmp_path):
    spec = {
        "text": "删除这几个字保留",
        "delete": {"author": "李四", "text": "这几个字", "date": "2024-03-01T08:00:00Z"},
        "insert": {"author": "王五", "text": "新增", "after": "保留"},
    }
    doc = load_docx(str(build(tmp_path, ["前文", spec])))
    p = doc.paragraphs[1]
    assert p.text == "删除保留新增"
    deleted, inserted = doc.revisions
    assert (deleted.kind, deleted.author, deleted.text, deleted.paragraph) == ("del", "李四", "这几个字", 1)
    assert (deleted.start, deleted.end, deleted.date) == (2, 2, "2024-03-01T08:00:00Z")
    assert (inserted.kind, inserted.author, inserted.text, inserted.paragraph, inserted.start, inserted.end) == (
        "ins", "王五", "新增", 1, 4, 6)
    assert [(r.text, r.revision) for r in p.runs] == [("删除", None), ("保留", None), ("新增", "ins")]


def test_insertion_inside_numbered_paragraph_and_deletion_inside_insertion(tmp_path):
    body = (
        '<w:p><w:r><w:t>甲</w:t></w:r><w:ins w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">'
        '<w:r><w:t>乙</w:t></w:r><w:del w:id="2" w:author="B"><w:r><w:delText>丙</w:delText></w:r></w:del>'
        '<w:r><w:t>丁</w:t></w:r></w:ins>'
        '<w:moveFrom w:id="3" w:author="C"><w:r><w:delText>移走</w:delText></w:r></w:moveFrom>'
        '<w:moveTo w:id="4" w:author="C"><w:r><w:t>移来</w:t></w:r></w:moveTo></w:p>'
    )
    doc = load_docx(str(docx_with_body(tmp_path, body)))
    assert texts(doc) == ["甲乙丁移来"]
    got = [(r.kind, r.author, r.text, r.start, r.end) for r in doc.revisions]
    assert got == [
        ("del", "B", "丙", 2, 2), ("ins", "A", "乙丁", 1, 3), ("del", "C", "移走", 3, 3), ("ins", "C", "移来", 3, 5),
    ]


def test_make_docx_cli(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("报告\n一、总体评价\n（一）政治建设\n\n二、问题\n", encoding="utf-8")
    out = tmp_path / "out.docx"
    assert make_docx_main([str(src), str(out), "--auto-number", "--title-style", "Title",
                           "--font", "仿宋_GB2312", "--size", "16"]) == 0
    doc = load_docx(str(out))
    assert texts(doc) == ["报告", "一、总体评价", "（一）政治建设", "", "二、问题"]
    assert [p.num_prefix for p in doc.paragraphs] == [0, 2, 3, 0, 2]
    assert doc.paragraphs[0].style == "Title"
    assert doc.paragraphs[1].runs[1].font_east_asia == "仿宋_GB2312"

    spec = tmp_path / "src.json"
    spec.write_text(json.dumps(["表前", {"table": [["甲", "乙"]]}], ensure_ascii=False), encoding="utf-8")
    assert make_docx_main([str(spec), str(tmp_path / "json.docx")]) == 0
    assert texts(load_docx(str(tmp_path / "json.docx"))) == ["表前", "甲", "乙"]


# ---------------------------------------------------------------------------
# hostile and broken inputs


def test_missing_file_and_directory(tmp_path):
    expect_error(tmp_path / "nope.docx", E_NOT_FOUND)
    expect_error(tmp_path, E_NOT_FOUND)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    expect_error(path, E_EMPTY)


def test_not_a_zip(tmp_path):
    path = tmp_path / "text.docx"
    path.write_bytes("这只是一段文字，不是 Word 文档。".encode("utf-8"))
    expect_error(path, E_CORRUPT)


def test_rtf_and_xml_renamed_to_docx(tmp_path):
    rtf = tmp_path / "rtf.docx"
    rtf.write_bytes(b"{\\rtf1\\ansi hello}")
    expect_error(rtf, E_UNSUPPORTED)
    xml = tmp_path / "xml.docx"
    xml.write_bytes(b'<?xml version="1.0"?><w:wordDocument/>')
    expect_error(xml, E_UNSUPPORTED)


def test_truncated_zip(tmp_path):
    good = build(tmp_path, REPORT).read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(good[: len(good) // 2])
    expect_error(path, E_CORRUPT)


def test_damaged_member_data(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", document_xml("<w:p><w:r><w:t>" + "正文" * 2000 + "</w:t></w:r></w:p>"))
    data = bytearray(buf.getvalue())
    start = 30 + len("word/document.xml")  # first local header is at 0
    for i in range(start + 50, start + 80):
        data[i] ^= 0x5A
    path = tmp_path / "damaged.docx"
    path.write_bytes(bytes(data))
    expect_error(path, E_CORRUPT)


def test_ole_container_with_encrypted_package(tmp_path):
    needle = "EncryptedPackage".encode("utf-16-le")
    # Place the stream name across the loader's 1 MiB read boundary.
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * (1024 * 1024 - 8 - 10)
    path = tmp_path / "encrypted.docx"
    path.write_bytes(head + needle + b"\0" * 512)
    expect_error(path, E_ENCRYPTED)


def test_ole_container_without_encrypted_package_is_legacy(tmp_path):
    path = tmp_path / "legacy.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096 + "WordDocument".encode("utf-16-le"))
    err = expect_error(path, E_LEGACY)
    assert ".doc" in err.message


def test_zip_without_document_xml(tmp_path):
    path = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    expect_error(path, E_CORRUPT)


def test_malformed_document_xml(tmp_path):
    base = build(tmp_path, ["x"])
    path = rewrite(base, tmp_path / "bad.docx", {"word/document.xml": document_xml("<w:p><w:r><w:t>未闭合</w:r></w:p>")})
    err = expect_error(path, E_XML)
    assert err.message.startswith("document.xml 不是合法的 XML")


def test_malformed_styles_xml(tmp_path):
    base = build(tmp_path, ["x"])
    path = rewrite(base, tmp_path / "bad.docx", {"word/styles.xml": b"<w:styles"})
    err = expect_error(path, E_XML)
    assert err.message.startswith("styles.xml")


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
    f"<w:document {W_DECL}><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
)


def test_doctype_entity_bomb(tmp_path):
    base = build(tmp_path, ["x"])
    path = rewrite(base, tmp_path / "bomb.docx", {"word/document.xml": BILLION_LAUGHS.encode("utf-8")})
    expect_error(path, E_UNSAFE_XML)


def test_doctype_in_utf16_part_and_external_entity(tmp_path):
    base = build(tmp_path, ["x"])
    xxe = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w:styles [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<w:styles {W_DECL}><w:style w:styleId='a'><w:name w:val='&x;'/></w:style></w:styles>"
    )
    path = rewrite(base, tmp_path / "xxe.docx", {"word/styles.xml": xxe.encode("utf-16")})
    expect_error(path, E_UNSAFE_XML)


def test_doctype_in_relationships(tmp_path):
    base = build(tmp_path, ["x"])
    rels = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')
    path = rewrite(base, tmp_path / "rels.docx", {"_rels/.rels": rels})
    expect_error(path, E_UNSAFE_XML)


def test_part_that_inflates_beyond_the_limit(tmp_path):
    base = build(tmp_path, ["x"])
    big = document_xml("<w:p><w:r><w:t>" + "a" * 300_000 + "</w:t></w:r></w:p>")
    path = rewrite(base, tmp_path / "big.docx", {"word/document.xml": big})
    err = expect_error(path, E_TOO_LARGE, Limits(max_part_bytes=100_000))
    assert "document.xml" in err.message and "KB" in err.message
    expect_error(path, E_TOO_LARGE, Limits(max_total_bytes=200_000))
    # ratio: 300 KB of "a" deflates to a few hundred bytes
    expect_error(path, E_TOO_LARGE, Limits(ratio_floor_bytes=10_000, max_ratio=50))
    assert load_docx(str(path)).paragraphs[0].text == "a" * 300_000  # default limits accept it


def test_too_many_entries(tmp_path):
    base = build(tmp_path, ["x"])
    path = rewrite(base, tmp_path / "many.docx", {f"junk/{i}.bin": b"" for i in range(30)})
    expect_error(path, E_TOO_LARGE, Limits(max_entries=20))


def test_declared_size_that_lies(tmp_path):
    base = build(tmp_path, ["x"])
    big = document_xml("<w:p><w:r><w:t>" + "a" * 500_000 + "</w:t></w:r></w:p>")
    honest = rewrite(base, tmp_path / "honest.docx", {"word/document.xml": big})
    limits = Limits(max_part_bytes=450_000)  # the template's styles parts are ~440 KB
    expect_error(honest, E_TOO_LARGE, limits)
    data = bytearray(honest.read_bytes())
    # Patch the central-directory entry of document.xml to declare 100 bytes.
    name = b"word/document.xml"
    pos = 0
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + name_len] == name:
            break
        pos += 4
    struct.pack_into("<I", data, pos + 24, 100)
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(data))
    # Declared checks pass (100 bytes); inflation stops at the declared size and fails.
    expect_error(path, E_CORRUPT, limits)


def test_actual_read_is_capped_whatever_the_declared_size():
    with pytest.raises(LoadError) as info:
        read_capped(io.BytesIO(b"x" * 1_000_000), "word/document.xml", 300_000)
    assert info.value.code == E_TOO_LARGE
    assert read_capped(io.BytesIO(b"x" * 1000), "word/document.xml", 1000) == b"x" * 1000


def test_strict_open_xml_is_refused_with_advice(tmp_path):
    base = build(tmp_path, ["x"])
    strict = b'<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body/></w:document>'
    path = rewrite(base, tmp_path / "strict.docx", {"word/document.xml": strict})
    expect_error(path, E_UNSUPPORTED)


def test_random_damage_never_escapes_as_a_traceback(tmp_path):
    good = build(tmp_path, REPORT + [{"table": [["a", "b"]]}], auto_number=True).read_bytes()
    rng = random.Random(20240601)
    path = tmp_path / "fuzz.docx"
    for _ in range(60):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        try:
            load_docx(str(path))
        except LoadError as err:
            assert "\n" not in err.message
