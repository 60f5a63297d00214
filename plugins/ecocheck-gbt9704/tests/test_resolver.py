"""The effective-formatting resolver (ecocheck_gbt9704.styles) on hand-written OOXML."""

from lxml import etree

from ecocheck.ooxml.names import W_NS
from ecocheck.ooxml.walk import paragraph_runs, run_text
from ecocheck_gbt9704.ooxml import paragraph_fields
from ecocheck_gbt9704.styles import StyleSheet

W = f'xmlns:w="{W_NS}"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def xml(text: str):
    return etree.fromstring(text.encode("utf-8"))


def styles(defaults: str = "", body: str = ""):
    return xml(f"<w:styles {W}><w:docDefaults>{defaults}</w:docDefaults>{body}</w:styles>")


def para(inner: str):
    return xml(f"<w:p {W}>{inner}</w:p>")


THEME = xml(f"""<a:theme {A}><a:themeElements><a:fontScheme name="x">
  <a:majorFont><a:latin typeface="Cambria"/><a:ea typeface=""/><a:cs typeface=""/>
    <a:font script="Hans" typeface="黑体"/><a:font script="Jpan" typeface="ＭＳ ゴシック"/></a:majorFont>
  <a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/>
    <a:font script="Hans" typeface="仿宋_GB2312"/><a:font script="Jpan" typeface="ＭＳ 明朝"/></a:minorFont>
</a:fontScheme></a:themeElements></a:theme>""")

NORMAL = '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>{}</w:style>'
DEFAULT_FONT = '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>'


def settings(lang: str):
    return xml(f'<w:settings {W}><w:themeFontLang w:val="en-US" w:eastAsia="{lang}"/></w:settings>')


def run_props(sheet, p):
    r = p.find(f"{{{W_NS}}}r")
    return sheet.run_props(p, r)


def test_direct_run_font_wins():
    sheet = StyleSheet(styles('<w:rPrDefault><w:rPr><w:rFonts w:eastAsia="宋体"/><w:sz w:val="24"/></w:rPr></w:rPrDefault>'))
    p = para('<w:r><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr><w:t>一</w:t></w:r>')
    props = run_props(sheet, p)
    assert (props.east_asia, props.size_pt) == ("黑体", 12.0)


def test_attributes_inherit_one_by_one():
    body = NORMAL.format('<w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr>')
    sheet = StyleSheet(styles(body=body))
    p = para('<w:r><w:rPr><w:rFonts w:ascii="Arial"/></w:rPr><w:t>正文</w:t></w:r>')
    props = run_props(sheet, p)
    assert (props.ascii, props.east_asia, props.size_pt) == ("Arial", "仿宋_GB2312", 16.0)


def test_based_on_chain_and_char_style():
    body = (NORMAL.format('<w:rPr><w:rFonts w:eastAsia="宋体"/><w:sz w:val="21"/></w:rPr>')
            + '<w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="32"/></w:rPr></w:style>'
            + '<w:style w:type="paragraph" w:styleId="C"><w:basedOn w:val="B"/><w:rPr><w:rFonts w:eastAsia="仿宋"/></w:rPr></w:style>'
            + '<w:style w:type="character" w:styleId="K"><w:rPr><w:rFonts w:eastAsia="楷体"/></w:rPr></w:style>')
    sheet = StyleSheet(styles(body=body))
    p = para('<w:pPr><w:pStyle w:val="C"/></w:pPr><w:r><w:t>甲</w:t></w:r>'
             '<w:r><w:rPr><w:rStyle w:val="K"/></w:rPr><w:t>乙</w:t></w:r>')
    runs = p.findall(f"{{{W_NS}}}r")
    first, second = (sheet.run_props(p, r) for r in runs)
    assert (first.east_asia, first.size_pt) == ("仿宋", 16.0)
    assert (second.east_asia, second.size_pt) == ("楷体", 16.0)


def test_no_pstyle_uses_default_paragraph_style_and_unknown_style_falls_back():
    sheet = StyleSheet(styles(body=NORMAL.format('<w:rPr><w:rFonts w:eastAsia="仿宋"/></w:rPr>')))
    assert run_props(sheet, para('<w:r><w:t>甲</w:t></w:r>')).east_asia == "仿宋"
    p = para('<w:pPr><w:pStyle w:val="Missing"/></w:pPr><w:r><w:t>甲</w:t></w:r>')
    assert run_props(sheet, p).east_asia == "仿宋"


def test_based_on_cycle_terminates():
    body = ('<w:style w:type="paragraph" w:styleId="A"><w:basedOn w:val="B"/><w:rPr><w:sz w:val="30"/></w:rPr></w:style>'
            '<w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="A"/></w:style>')
    sheet = StyleSheet(styles(body=body))
    p = para('<w:pPr><w:pStyle w:val="B"/></w:pPr><w:r><w:t>甲</w:t></w:r>')
    assert run_props(sheet, p).size_pt == 15.0


def test_size_defaults_to_ten_points():
    assert run_props(StyleSheet(styles()), para('<w:r><w:t>甲</w:t></w:r>')).size_pt == 10.0


def test_theme_font_by_theme_font_lang():
    defaults = '<w:rPrDefault><w:rPr><w:rFonts w:eastAsiaTheme="minorEastAsia" w:asciiTheme="minorHAnsi"/></w:rPr></w:rPrDefault>'
    p = para('<w:r><w:t>甲</w:t></w:r>')
    zh = run_props(StyleSheet(styles(defaults), THEME, settings("zh-CN")), p)
    assert (zh.east_asia, zh.ascii, zh.east_asia_theme) == ("仿宋_GB2312", "Calibri", "minorEastAsia")
    assert run_props(StyleSheet(styles(defaults), THEME, settings("ja-JP")), p).east_asia == "ＭＳ 明朝"
    assert run_props(StyleSheet(styles(defaults), THEME, None), p).east_asia == "仿宋_GB2312"  # no setting: Hans


def test_theme_attribute_beats_explicit_at_same_level_but_not_a_higher_level():
    defaults = '<w:rPrDefault><w:rPr><w:rFonts w:eastAsia="宋体" w:eastAsiaTheme="majorEastAsia"/></w:rPr></w:rPrDefault>'
    sheet = StyleSheet(styles(defaults), THEME, settings("zh-CN"))
    assert run_props(sheet, para('<w:r><w:t>甲</w:t></w:r>')).east_asia == "黑体"
    p = para('<w:r><w:rPr><w:rFonts w:eastAsia="楷体"/></w:rPr><w:t>甲</w:t></w:r>')
    assert run_props(sheet, p).east_asia == "楷体"


def test_bold_toggles_in_styles_but_direct_is_absolute():
    body = ('<w:style w:type="paragraph" w:styleId="H"><w:rPr><w:b/></w:rPr></w:style>'
            '<w:style w:type="character" w:styleId="S"><w:rPr><w:b/></w:rPr></w:style>')
    sheet = StyleSheet(styles(body=body))
    bold_para = '<w:pPr><w:pStyle w:val="H"/></w:pPr>'
    assert run_props(sheet, para(bold_para + '<w:r><w:t>甲</w:t></w:r>')).bold is True
    # paragraph style bold + character style bold: toggled off
    p = para(bold_para + '<w:r><w:rPr><w:rStyle w:val="S"/></w:rPr><w:t>甲</w:t></w:r>')
    assert run_props(sheet, p).bold is False
    p = para(bold_para + '<w:r><w:rPr><w:rStyle w:val="S"/><w:b w:val="1"/></w:rPr><w:t>甲</w:t></w:r>')
    assert run_props(sheet, p).bold is True
    p = para(bold_para + '<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>甲</w:t></w:r>')
    assert run_props(sheet, p).bold is False


def test_paragraph_props_inherit_and_first_line_replaces_hanging():
    body = (NORMAL.format('<w:pPr><w:spacing w:line="580" w:lineRule="exact"/><w:ind w:hanging="420"/><w:jc w:val="both"/></w:pPr>')
            + '<w:style w:type="paragraph" w:styleId="T"><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>')
    sheet = StyleSheet(styles('<w:pPrDefault><w:pPr><w:spacing w:after="200" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault>', body))
    props = sheet.paragraph_props(para('<w:pPr><w:ind w:firstLineChars="200"/></w:pPr>'))
    assert (props.jc, props.line, props.line_rule) == ("both", 580, "exact")
    assert props.ind == {"firstLineChars": 200}
    assert props.first_line_chars(16) == 2
    titled = sheet.paragraph_props(para('<w:pPr><w:pStyle w:val="T"/></w:pPr>'))
    assert titled.jc == "center" and titled.first_line_chars(16) == -420 / 320


def test_first_line_chars_beat_twips_unless_zero():
    sheet = StyleSheet(styles())
    assert sheet.paragraph_props(para('<w:pPr><w:ind w:firstLine="320" w:firstLineChars="200"/></w:pPr>')) \
        .first_line_chars(16) == 2
    assert sheet.paragraph_props(para('<w:pPr><w:ind w:firstLine="640" w:firstLineChars="0"/></w:pPr>')) \
        .first_line_chars(16) == 2


def test_runs_mirror_the_loader_text_model():
    p = para('<w:r><w:t>甲</w:t><w:tab/></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del>'
             '<w:ins><w:r><w:t>增</w:t></w:r></w:ins><w:hyperlink><w:r><w:t>链</w:t></w:r></w:hyperlink>'
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    shown = [run_text(r) for r in paragraph_runs(p)]
    assert [text for text in shown if text] == ["甲\t", "增", "链", "7"]


def test_fields_complex_split_instruction_and_simple():
    p = para('<w:r><w:t>— </w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
             '<w:r><w:instrText> \\* Arabic </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t> —</w:t></w:r>'
             '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple>')
    page, pages = paragraph_fields(p)
    assert (page.name, page.format_switches, page.before, page.result, page.after) == ("PAGE", ["Arabic"], "— ", "3", " —9")
    assert (pages.name, pages.result, pages.before) == ("NUMPAGES", "9", "— 3 —")


def test_resolution_is_memoised_by_the_direct_formatting_and_the_styles_it_names():
    body = (NORMAL.format('<w:rPr><w:sz w:val="24"/></w:rPr>')
            + '<w:style w:type="paragraph" w:styleId="H"><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="32"/></w:rPr>'
              '<w:pPr><w:jc w:val="center"/></w:pPr></w:style>'
            + '<w:style w:type="character" w:styleId="S"><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>')
    sheet = StyleSheet(styles(body=body))
    run = '<w:r><w:rPr><w:b/></w:rPr><w:t>甲</w:t></w:r>'
    styled_run = '<w:r><w:rPr><w:rStyle w:val="S"/><w:b/></w:rPr><w:t>甲</w:t></w:r>'
    heading = '<w:pPr><w:pStyle w:val="H"/></w:pPr>'
    plain, again = run_props(sheet, para(run)), run_props(sheet, para(run))
    assert plain is again  # equal formatting is resolved once and shared
    assert (plain.size_pt, plain.east_asia) == (12.0, None)
    assert run_props(sheet, para(styled_run)).east_asia == "黑体"  # the character style is part of the key
    assert run_props(sheet, para(heading + run)).size_pt == 16.0  # and so is the paragraph style
    assert sheet.paragraph_props(para(heading)).jc == "center"
    assert sheet.paragraph_props(para('<w:pPr><w:jc w:val="right"/></w:pPr>')).jc == "right"
    assert sheet.paragraph_props(para("")) is sheet.paragraph_props(para("<w:pPr/>"))


def test_a_runs_size_is_its_own_even_when_it_compares_equal_to_another():
    sheet = StyleSheet(styles())
    sizes = [run_props(sheet, para(f'<w:r><w:rPr><w:sz w:val="{v}"/></w:rPr><w:t>甲</w:t></w:r>')).size_pt
             for v in ("0", "-0")]
    assert [str(s) for s in sizes] == ["0.0", "-0.0"]  # printed differently in messages


def test_styles_are_read_when_first_used():
    body = NORMAL.format("") + '<w:style w:type="paragraph" w:styleId="X"><w:name w:val="x"/></w:style>'
    sheet = StyleSheet(styles(body=body))
    assert sheet.default_paragraph == "Normal" and sheet._styles == {}
    assert sheet.style("X").name == "x" and sheet.style("missing") is None and sheet.style(None) is None
    assert set(sheet._styles) == {"X"}
