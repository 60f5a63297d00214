"""Build GB/T 9704 test documents from data (no binary fixtures).

:func:`build` takes a spec -- the correctly formatted report :data:`GOOD`
with changes merged in by :func:`variant` -- creates the document with
python-docx, then post-processes its XML: page setup, document grid, styles,
document defaults, theme fonts, settings, footer with a PAGE field.

Run formatting (``rpr``)::

    {"east_asia": "仿宋_GB2312", "ascii": "Times New Roman", "east_asia_theme": "minorEastAsia",
     "ascii_theme": "minorHAnsi", "hint": "eastAsia", "size": 16, "bold": True}

Paragraph formatting (``ppr``)::

    {"jc": "center", "first_line_chars": 200, "first_line": 640, "hanging": 640, "left": 0,
     "left_chars": 0, "line": 580, "line_rule": "exact", "snap_to_grid": False}

A paragraph is a string or ``{"text" | "runs", "style", "ppr", "rpr", "new_section"}``;
a run is ``{"text", "rpr", "style"}``.  ``new_section`` starts a new section
(page setup given as a dict like ``page``) before the paragraph.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"

# GB/T 9704 in OOXML: A4, margins 37/35/28/26 mm in twips, 22 lines of 29 pt
A4 = {"width": 11906, "height": 16838}
PAGE = {**A4, "top": 2098, "bottom": 1984, "left": 1588, "right": 1474, "header": 851, "footer": 992, "gutter": 0}
FANGSONG = {"east_asia": "仿宋_GB2312", "ascii": "Times New Roman", "h_ansi": "Times New Roman"}

GOOD: dict[str, Any] = {
    "page": PAGE,
    "grid": {"type": "lines", "linePitch": 579},
    "theme_font_lang": "zh-CN",
    "theme": {},
    "defaults": {},  # docDefaults: {"rpr": {...}, "ppr": {...}}
    "styles": {
        "Normal": {"rpr": {**FANGSONG, "size": 16},
                   "ppr": {"first_line_chars": 200, "first_line": 640, "line": 580, "line_rule": "exact",
                           "jc": "both"}},
        "公文一级标题": {"based_on": "Normal", "rpr": {"east_asia": "黑体"}},
        "Footer": {"ppr": {"first_line_chars": 0, "first_line": 0, "jc": "center"}},
    },
    "footer": {"runs": [{"text": "— "}, {"field": "PAGE"}, {"text": " —"}],
               "rpr": {"east_asia": "宋体", "ascii": "宋体", "h_ansi": "宋体", "size": 14}},
    "paragraphs": [
        {"text": "关于2024年度政治生态建设情况的报告",  # 1: title
         "ppr": {"jc": "center", "first_line_chars": 0, "first_line": 0},
         "rpr": {"east_asia": "方正小标宋简体", "size": 22}},
        "按照县纪委监委统一部署，现将我局2024年度政治生态建设情况报告如下。",  # 2
        {"text": "一、总体评价", "style": "公文一级标题"},  # 3
        "全局党员干部政治立场坚定，党风廉政建设责任制落实有力，政治生态总体向好。",  # 4
        {"text": "（一）政治建设有力推进", "rpr": {"east_asia": "楷体_GB2312"}},  # 5
        "局党组严格落实“第一议题”制度，全年集中学习24次。",  # 6
        "1.专项整治取得实效",  # 7: 3rd level, inherits 仿宋
        "开展违规吃喝专项整治，排查问题线索3条，全部办结。",  # 8
        "（1）整改问题12个",  # 9
        "对照巡察反馈意见逐条整改，建立长效机制5项。",  # 10
        {"runs": [{"text": "（二）作风建设持续深化。", "rpr": {"east_asia": "楷体_GB2312"}},  # 11: run-in heading
                  {"text": "全年开展作风建设专项检查4次，发现并整改问题17个。"}]},
        {"text": "二、存在的问题", "style": "公文一级标题"},  # 12
        {"text": "（一）责任落实还有差距", "rpr": {"east_asia": "楷体_GB2312"}},  # 13
        "个别支部书记抓党建的主责意识不强，压力传导层层递减。",  # 14
        {"text": "三、下一步工作措施", "style": "公文一级标题"},  # 15
        "坚持问题导向，压实管党治党政治责任，持续净化优化政治生态。",  # 16
        "特此报告。",  # 17
        "",  # 18: blank
        {"text": "中共青山县审计局党组", "ppr": {"jc": "right", "first_line_chars": 0, "first_line": 0}},  # 19
        {"text": "2025年1月10日", "ppr": {"jc": "right", "first_line_chars": 0, "first_line": 0}},  # 20
    ],
}


# ---------------------------------------------------------------------------
# specs


def merge(base: Any, change: Any) -> Any:
    """Deep-merge ``change`` into a copy of ``base``.

    Dicts merge key by key (a None value deletes the key); a list is changed
    element-wise by a dict with integer keys (``{3: {...}}``, 1-based as
    paragraph numbers are) or replaced by a list.
    """
    if isinstance(base, dict) and isinstance(change, dict):
        out = copy.deepcopy(base)
        for k, v in change.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = merge(out[k], v)
            else:
                out[k] = copy.deepcopy(v)
        return out
    if isinstance(base, list) and isinstance(change, dict):
        out = copy.deepcopy(base)
        for k, v in change.items():
            i = int(k) - 1
            item = out[i] if isinstance(out[i], dict) else {"text": out[i]}
            out[i] = merge(item, v)
        return out
    return copy.deepcopy(change)


def variant(change: dict | None = None, base: dict | None = None) -> dict:
    return merge(base if base is not None else GOOD, change or {})


# ---------------------------------------------------------------------------
# formatting writers


_PPR_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                   "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_RPR_AFTER_SZ = ("w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
                 "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def set_rpr(rpr, fmt: dict) -> None:
    """Write run formatting into a ``w:rPr`` (python-docx CT_RPr)."""
    if not fmt:
        return
    attrs = {"east_asia": "w:eastAsia", "ascii": "w:ascii", "h_ansi": "w:hAnsi", "hint": "w:hint",
             "east_asia_theme": "w:eastAsiaTheme", "ascii_theme": "w:asciiTheme", "h_ansi_theme": "w:hAnsiTheme"}
    if any(k in fmt for k in attrs):
        fonts = rpr.get_or_add_rFonts()
        for key, attr in attrs.items():
            if key in fmt:
                fonts.set(qn(attr), fmt[key])
    if "bold" in fmt:
        b = rpr.get_or_add_b()
        b.set(qn("w:val"), "1" if fmt["bold"] else "0")
    if "size" in fmt:
        sz = rpr.get_or_add_sz()
        sz.set(qn("w:val"), str(int(round(fmt["size"] * 2))))


def set_ppr(ppr, fmt: dict) -> None:
    """Write paragraph formatting into a ``w:pPr`` (python-docx CT_PPr)."""
    if not fmt:
        return
    if "snap_to_grid" in fmt:
        el = ppr.find(qn("w:snapToGrid"))
        if el is None:
            el = OxmlElement("w:snapToGrid")
            ppr.insert_element_before(el, *_PPR_AFTER_SNAP)
        el.set(qn("w:val"), "1" if fmt["snap_to_grid"] else "0")
    if "line" in fmt:
        spacing = ppr.get_or_add_spacing()
        spacing.set(qn("w:line"), str(fmt["line"]))
        spacing.set(qn("w:lineRule"), fmt.get("line_rule", "auto"))
    ind_attrs = {"first_line_chars": "w:firstLineChars", "first_line": "w:firstLine", "hanging": "w:hanging",
                 "hanging_chars": "w:hangingChars", "left": "w:left", "left_chars": "w:leftChars"}
    if any(k in fmt for k in ind_attrs):
        ind = ppr.get_or_add_ind()
        for key, attr in ind_attrs.items():
            if key in fmt:
                ind.set(qn(attr), str(fmt[key]))
    if "jc" in fmt:
        jc = ppr.get_or_add_jc()
        jc.set(qn("w:val"), fmt["jc"])


def _set_page(sect_pr, page: dict, grid: dict | None) -> None:
    sz = sect_pr.get_or_add_pgSz()
    for key in ("width", "height"):
        if key in page:
            sz.set(qn("w:w" if key == "width" else "w:h"), str(page[key]))
    if page.get("orient"):
        sz.set(qn("w:orient"), page["orient"])
    mar = sect_pr.get_or_add_pgMar()
    for key in ("top", "bottom", "left", "right", "header", "footer", "gutter"):
        if key in page:
            mar.set(qn(f"w:{key}"), str(page[key]))
    if page.get("number_format"):
        pg = sect_pr.find(qn("w:pgNumType"))
        if pg is None:
            pg = OxmlElement("w:pgNumType")
            sect_pr.insert_element_before(pg, "w:pgBorders", "w:lnNumType", "w:cols", "w:formProt", "w:vAlign",
                                          "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
                                          "w:docGrid", "w:printerSettings", "w:sectPrChange")
        pg.set(qn("w:fmt"), page["number_format"])
    grid_el = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        if grid_el is not None:
            sect_pr.remove(grid_el)
        return
    if grid_el is None:
        grid_el = OxmlElement("w:docGrid")
        sect_pr.insert_element_before(grid_el, "w:printerSettings", "w:sectPrChange")
    for key, value in grid.items():
        grid_el.set(qn(f"w:{key}"), str(value))


def _style(document, name: str, spec: dict):
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        kind = WD_STYLE_TYPE.CHARACTER if spec.get("type") == "character" else WD_STYLE_TYPE.PARAGRAPH
        style = styles.add_style(name, kind)
    if spec.get("based_on"):
        style.base_style = styles[spec["based_on"]]
    if spec.get("rpr"):
        set_rpr(style.element.get_or_add_rPr(), spec["rpr"])
    if spec.get("ppr"):
        set_ppr(style.element.get_or_add_pPr(), spec["ppr"])
    return style


def _defaults(document, spec: dict) -> None:
    root = document.styles.element
    defaults = root.find(qn("w:docDefaults"))
    if spec.get("rpr_only") is not None:  # replace the template's default run properties entirely
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for child in list(rpr):
            rpr.remove(child)
        set_rpr(rpr, spec["rpr_only"])
    if spec.get("rpr"):
        set_rpr(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), spec["rpr"])
    if spec.get("ppr"):
        set_ppr(defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")), spec["ppr"])


def _theme(document, spec: dict) -> None:
    if not spec:
        return
    part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/theme"))
    root = etree.fromstring(part.blob)
    a = "{%s}" % A_NS
    for key, value in spec.items():  # e.g. minor_ea: "", minor_hans: 仿宋_GB2312, major_latin: Arial
        kind, slot = key.split("_", 1)
        font = root.find(f".//{a}{kind}Font")
        if slot in ("ea", "latin", "cs"):
            font.find(a + slot).set("typeface", value)
        else:
            script = {"hans": "Hans", "hant": "Hant", "jpan": "Jpan"}[slot]
            el = next(f for f in font.findall(a + "font") if f.get("script") == script)
            el.set("typeface", value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings(document, lang: str | None) -> None:
    if not lang:
        return
    el = document.settings.element.find(qn("w:themeFontLang"))
    el.set(qn("w:eastAsia"), lang)


def _field_runs(paragraph, instr: str, result: str, rpr: dict) -> None:
    def run():
        r = paragraph.add_run()
        set_rpr(r._r.get_or_add_rPr(), rpr)
        return r._r

    begin = run()
    begin.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): "begin"}))
    code = run()
    text = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    text.text = f" {instr} "
    code.append(text)
    sep = run()
    sep.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): "separate"}))
    res = run()
    t = OxmlElement("w:t")
    t.text = result
    res.append(t)
    end = run()
    end.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): "end"}))


def _footer(document, spec: dict | None, header: bool = False) -> None:
    if not spec:
        return
    section = document.sections[0]
    story = section.header if header else section.footer
    paragraph = story.paragraphs[0]
    if spec.get("ppr"):
        set_ppr(paragraph._p.get_or_add_pPr(), spec["ppr"])
    base = spec.get("rpr", {})
    for run in spec.get("runs", []):
        fmt = {**base, **run.get("rpr", {})}
        if "field" in run:
            _field_runs(paragraph, run["field"], run.get("result", "1"), fmt)
        elif "simple_field" in run:
            fld = OxmlElement("w:fldSimple", {qn("w:instr"): f" {run['simple_field']} "})
            r = OxmlElement("w:r")
            fld.append(r)
            set_rpr(r.get_or_add_rPr(), fmt)
            t = OxmlElement("w:t")
            t.text = run.get("result", "1")
            r.append(t)
            paragraph._p.append(fld)
        else:
            r = paragraph.add_run(run["text"])
            set_rpr(r._r.get_or_add_rPr(), fmt)


def _paragraph(document, spec) -> None:
    if isinstance(spec, str):
        spec = {"text": spec}
    if "table" in spec:
        rows = spec["table"]
        table = document.add_table(len(rows), max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                run = table.cell(r, c).paragraphs[0].add_run(cell)
                set_rpr(run._r.get_or_add_rPr(), spec.get("rpr", {}))
        return
    if spec.get("new_section") is not None:
        document.add_section(WD_SECTION.NEW_PAGE)
        _set_page(document.sections[-1]._sectPr, spec["new_section"], None)
    paragraph = document.add_paragraph(style=spec.get("style"))
    if spec.get("ppr"):
        set_ppr(paragraph._p.get_or_add_pPr(), spec["ppr"])
    runs = spec.get("runs") or [{"text": spec.get("text", "")}]
    for run in runs:
        if not run.get("text"):
            continue
        r = paragraph.add_run(run["text"], style=run.get("style"))
        set_rpr(r._r.get_or_add_rPr(), {**spec.get("rpr", {}), **run.get("rpr", {})})


def apply_format(document, spec: dict) -> None:
    """Page setup, grid, defaults, styles, theme, settings and footer of ``spec`` on a python-docx document."""
    _defaults(document, spec.get("defaults") or {})
    for name, style_spec in (spec.get("styles") or {}).items():
        _style(document, name, style_spec)
    _theme(document, spec.get("theme") or {})
    _settings(document, spec.get("theme_font_lang"))
    _footer(document, spec.get("footer"))
    _footer(document, spec.get("header"), header=True)


def build(path: str | Path, spec: dict | None = None) -> Path:
    """Write the document described by ``spec`` (default: the correct report) to ``path``."""
    spec = spec if spec is not None else GOOD
    document = docx.Document()
    apply_format(document, spec)
    for p in spec.get("paragraphs", []):
        _paragraph(document, p)
    # page setup last: python-docx copies the body sectPr for new sections
    _set_page(document.sections[0]._sectPr if len(document.sections) > 1 else document.sections[-1]._sectPr,
              spec.get("page") or {}, spec.get("grid"))
    if len(document.sections) > 1:
        for s in document.sections[1:]:
            if s._sectPr.find(qn("w:docGrid")) is None and spec.get("grid"):
                _set_page(s._sectPr, {}, spec.get("grid"))
    path = Path(path)
    document.save(str(path))
    return path


def reformat(src: str | Path, dst: str | Path, spec: dict) -> Path:
    """Apply ``spec``'s page setup and styles to an existing .docx (e.g. one made by tools/make_docx.py)."""
    document = docx.Document(str(src))
    apply_format(document, spec)
    _set_page(document.sections[-1]._sectPr, spec.get("page") or {}, spec.get("grid"))
    document.save(str(dst))
    return Path(dst)
