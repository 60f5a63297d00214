"""Effective paragraph and run formatting, resolved the way Word resolves it.

Word builds a run's formatting in layers, lowest priority first
(ECMA-376 Part 1 §17.7.2):

1. document defaults (``w:docDefaults`` ``w:rPrDefault`` / ``w:pPrDefault``);
2. the paragraph style and the styles it is ``w:basedOn`` (run properties of a
   paragraph style apply to every run of the paragraph);
3. the run's character style (``w:rStyle``) and its ``w:basedOn`` chain;
4. direct formatting (the run's ``w:rPr`` / the paragraph's ``w:pPr``).

A paragraph without ``w:pStyle`` uses the default paragraph style
(``w:default="1"``); a run without ``w:rStyle`` the default character style.
Each attribute is inherited on its own: ``w:rFonts w:ascii`` from the run and
``w:eastAsia`` from the style is an ordinary mix.  At one level a theme font
attribute (``w:eastAsiaTheme``) wins over the explicit one (``w:eastAsia``);
theme fonts are looked up in theme1.xml (``a:minorFont``/``a:majorFont``:
``a:ea``, or when that is empty the ``a:font`` for the script of
``w:themeFontLang w:eastAsia`` in settings.xml: zh-CN → Hans).  ``w:b`` is a
toggle property: in styles it flips the value inherited so far, as direct
formatting it is absolute (§17.7.3).  Table styles and numbering-level
properties are not applied (the format rules skip table cells and numbering
labels).

:class:`StyleSheet` parses styles.xml, theme1.xml and settings.xml once per
document and caches the resolved style layers; :func:`stylesheet_for` keeps
one per :class:`~ecocheck.model.Document`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .ooxml import A, VAL, on_off, to_int, w

#: Font slots of w:rFonts and the theme attribute that overrides each
FONT_SLOTS = (("ascii", "asciiTheme"), ("hAnsi", "hAnsiTheme"), ("eastAsia", "eastAsiaTheme"), ("cs", "cstheme"))

#: w:themeFontLang w:eastAsia → DrawingML script tag of the supplemental theme font
_LANG_SCRIPTS = {"zh-cn": "Hans", "zh-sg": "Hans", "zh-tw": "Hant", "zh-hk": "Hant", "zh-mo": "Hant",
                 "ja-jp": "Jpan", "ko-kr": "Hang"}

DEFAULT_SIZE_PT = 10.0  # w:sz absent everywhere (ECMA-376 §17.3.2.38)


@dataclass(frozen=True, slots=True)
class FontRef:
    """A font named directly (``theme`` None) or through a theme slot (``minorEastAsia``)."""

    name: str | None
    theme: str | None = None


@dataclass(frozen=True, slots=True)
class RunProps:
    """Effective run formatting.  Font names are resolved (theme fonts looked up)."""

    east_asia: str | None = None
    ascii: str | None = None
    h_ansi: str | None = None
    hint: str | None = None
    size_pt: float = DEFAULT_SIZE_PT
    bold: bool = False
    east_asia_theme: str | None = None  # the theme slot the East Asian font came from, if any

    def font_for(self, slot: str) -> str | None:
        return {"eastAsia": self.east_asia, "ascii": self.ascii, "hAnsi": self.h_ansi}.get(slot)


@dataclass(frozen=True, slots=True)
class ParaProps:
    """Effective paragraph formatting (raw OOXML units)."""

    jc: str = "left"
    #: w:ind attributes by name (firstLine, firstLineChars, hanging, hangingChars, left, leftChars, right…)
    ind: dict[str, int] = field(default_factory=dict)
    line: int | None = None  # w:spacing w:line
    line_rule: str = "auto"
    snap_to_grid: bool = True
    style_id: str | None = None

    def first_line_chars(self, size_pt: float) -> float:
        """First-line indent in characters of ``size_pt`` (negative: hanging)."""
        ind = self.ind
        if ind.get("firstLineChars"):
            return ind["firstLineChars"] / 100
        if ind.get("hangingChars"):
            return -ind["hangingChars"] / 100
        if ind.get("firstLine"):
            return ind["firstLine"] / (size_pt * 20)
        if ind.get("hanging"):
            return -ind["hanging"] / (size_pt * 20)
        return 0.0

    def left_chars(self, size_pt: float) -> float:
        ind = self.ind
        if ind.get("leftChars"):
            return ind["leftChars"] / 100
        if ind.get("left"):
            return ind["left"] / (size_pt * 20)
        return 0.0


@dataclass(slots=True)
class _Style:
    sid: str
    stype: str
    name: str
    based_on: str | None
    ppr: Any
    rpr: Any


@dataclass(frozen=True, slots=True)
class _RunLayer:
    """Run properties as given by one layer: only what it sets."""

    fonts: tuple[tuple[str, FontRef], ...] = ()
    hint: str | None = None
    size_pt: float | None = None
    bold: bool | None = None


def _run_layer(rpr) -> _RunLayer:
    if rpr is None:
        return _RunLayer()
    fonts: list[tuple[str, FontRef]] = []
    hint = size = bold = None
    for c in rpr:
        tag = c.tag
        if tag == w("rFonts"):
            for slot, theme_attr in FONT_SLOTS:
                theme = c.get(w(theme_attr))
                if theme:
                    fonts.append((slot, FontRef(None, theme)))
                elif c.get(w(slot)):
                    fonts.append((slot, FontRef(c.get(w(slot)))))
            hint = c.get(w("hint")) or None
        elif tag == w("sz"):
            v = c.get(VAL)
            try:
                size = float(v) / 2 if v is not None else None
            except ValueError:
                size = None
        elif tag == w("b"):
            bold = on_off(c)
    return _RunLayer(tuple(fonts), hint, size, bold)


def _merge_run(base: _RunLayer, top: _RunLayer) -> _RunLayer:
    """``top`` over ``base``, attribute by attribute (bold: plain override, toggling is done by the caller)."""
    fonts = dict(base.fonts)
    fonts.update(top.fonts)
    return _RunLayer(tuple(fonts.items()), top.hint if top.hint is not None else base.hint,
                     top.size_pt if top.size_pt is not None else base.size_pt,
                     top.bold if top.bold is not None else base.bold)


_IND_ATTRS = ("firstLine", "firstLineChars", "hanging", "hangingChars", "left", "leftChars", "right", "rightChars")
_BIDI_NAMES = {"left": "start", "right": "end", "leftChars": "startChars", "rightChars": "endChars"}
_FIRST_GROUP = ("firstLine", "firstLineChars")
_HANGING_GROUP = ("hanging", "hangingChars")


@dataclass(frozen=True, slots=True)
class _ParaLayer:
    jc: str | None = None
    ind: tuple[tuple[str, int], ...] = ()
    line: int | None = None
    line_rule: str | None = None
    snap: bool | None = None


def _para_layer(ppr) -> _ParaLayer:
    if ppr is None:
        return _ParaLayer()
    jc = line = rule = snap = None
    ind: list[tuple[str, int]] = []
    for c in ppr:
        tag = c.tag
        if tag == w("jc"):
            jc = c.get(VAL)
        elif tag == w("ind"):
            for attr in _IND_ATTRS:
                value = to_int(c.get(w(attr)))
                if value is None and attr in _BIDI_NAMES:
                    value = to_int(c.get(w(_BIDI_NAMES[attr])))
                if value is not None:
                    ind.append((attr, value))
        elif tag == w("spacing"):
            line = to_int(c.get(w("line")))
            if line is not None:
                rule = c.get(w("lineRule")) or "auto"
        elif tag == w("snapToGrid"):
            snap = on_off(c)
    return _ParaLayer(jc, tuple(ind), line, rule, snap)


def _merge_para(base: _ParaLayer, top: _ParaLayer) -> _ParaLayer:
    ind = dict(base.ind)
    top_ind = dict(top.ind)
    # a first-line indent replaces an inherited hanging one and vice versa
    if any(k in top_ind for k in _FIRST_GROUP):
        for k in _HANGING_GROUP:
            ind.pop(k, None)
    if any(k in top_ind for k in _HANGING_GROUP):
        for k in _FIRST_GROUP:
            ind.pop(k, None)
    ind.update(top_ind)
    return _ParaLayer(top.jc if top.jc is not None else base.jc, tuple(ind.items()),
                      top.line if top.line is not None else base.line,
                      top.line_rule if top.line is not None else base.line_rule,
                      top.snap if top.snap is not None else base.snap)


class ThemeFonts:
    """Major/minor fonts of theme1.xml."""

    def __init__(self, root=None, east_asia_lang: str | None = None):
        self.fonts: dict[str, dict[str, str]] = {"major": {}, "minor": {}}
        self.script = _LANG_SCRIPTS.get((east_asia_lang or "").lower(), "Hans")
        if root is None:
            return
        for kind in ("major", "minor"):
            el = next(root.iter(A + f"{kind}Font"), None)
            if el is None:
                continue
            fonts = self.fonts[kind]
            for c in el:
                if c.tag in (A + "latin", A + "ea", A + "cs"):
                    fonts[c.tag[len(A):]] = c.get("typeface") or ""
                elif c.tag == A + "font" and c.get("script"):
                    fonts["script:" + c.get("script")] = c.get("typeface") or ""

    def resolve(self, theme: str) -> str | None:
        """Font name for a ``w:*Theme`` value such as ``minorEastAsia`` or ``majorHAnsi``."""
        kind = "major" if theme.startswith("major") else "minor"
        fonts = self.fonts[kind]
        if theme.endswith("EastAsia"):
            return fonts.get("ea") or fonts.get("script:" + self.script) or None
        if theme.endswith("Bidi"):
            return fonts.get("cs") or None
        return fonts.get("latin") or None


class StyleSheet:
    """styles.xml (+ theme and settings) of one document, with cached style layers."""

    def __init__(self, styles_root=None, theme_root=None, settings_root=None):
        self.styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        self.default_character: str | None = None
        self._run_defaults = _RunLayer()
        self._para_defaults = _ParaLayer()
        lang = None
        if settings_root is not None:
            tfl = settings_root.find(w("themeFontLang"))
            if tfl is not None:
                lang = tfl.get(w("eastAsia"))
        self.theme = ThemeFonts(theme_root, lang)
        self._chain_cache: dict[tuple[str, str], tuple[_RunLayer, bool | None]] = {}
        self._para_chain_cache: dict[str, _ParaLayer] = {}
        self._run_cache: dict[tuple, RunProps] = {}
        if styles_root is None:
            return
        defaults = styles_root.find(w("docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
            ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
            self._run_defaults = _run_layer(rpr)
            self._para_defaults = _para_layer(ppr)
        for el in styles_root.iterchildren(w("style")):  # styles are children of w:styles
            sid = el.get(w("styleId"))
            if not sid:
                continue
            stype = el.get(w("type")) or "paragraph"
            name_el = el.find(w("name"))
            based = el.find(w("basedOn"))
            style = _Style(sid, stype, name_el.get(VAL) if name_el is not None else sid,
                           based.get(VAL) if based is not None else None, el.find(w("pPr")), el.find(w("rPr")))
            self.styles.setdefault(sid, style)
            if (el.get(w("default")) or "").lower() in ("1", "true", "on"):
                if stype == "paragraph" and self.default_paragraph is None:
                    self.default_paragraph = sid
                elif stype == "character" and self.default_character is None:
                    self.default_character = sid

    # -- style chains -----------------------------------------------------
    def chain(self, sid: str | None, stype: str) -> list[_Style]:
        """The style and its basedOn ancestors, base first (cycles and wrong types cut off)."""
        out: list[_Style] = []
        seen: set[str] = set()
        while sid and sid not in seen:
            seen.add(sid)
            style = self.styles.get(sid)
            if style is None or style.stype != stype:
                break
            out.append(style)
            sid = style.based_on
        return out[::-1]

    def _style_run_layer(self, sid: str | None, stype: str) -> tuple[_RunLayer, bool | None]:
        """Merged run properties of a style chain, and its (nearest) bold value."""
        key = (sid or "", stype)
        cached = self._chain_cache.get(key)
        if cached is None:
            layer = _RunLayer()
            for style in self.chain(sid, stype):
                layer = _merge_run(layer, _run_layer(style.rpr))
            cached = self._chain_cache[key] = (layer, layer.bold)
        return cached

    def paragraph_style_id(self, p) -> str | None:
        ppr = p.find(w("pPr"))
        ps = ppr.find(w("pStyle")) if ppr is not None else None
        sid = ps.get(VAL) if ps is not None else None
        if sid is None or self.styles.get(sid) is None or self.styles[sid].stype != "paragraph":
            return self.default_paragraph
        return sid

    # -- resolution -------------------------------------------------------
    def paragraph_props(self, p) -> ParaProps:
        sid = self.paragraph_style_id(p)
        layer = self._para_chain_cache.get(sid or "")
        if layer is None:
            layer = self._para_defaults
            for style in self.chain(sid, "paragraph"):
                layer = _merge_para(layer, _para_layer(style.ppr))
            self._para_chain_cache[sid or ""] = layer
        layer = _merge_para(layer, _para_layer(p.find(w("pPr"))))
        return ParaProps(jc=_norm_jc(layer.jc), ind=dict(layer.ind), line=layer.line,
                         line_rule=layer.line_rule or "auto", snap_to_grid=layer.snap is not False, style_id=sid)

    def run_props(self, p, r, paragraph_style: str | None = None) -> RunProps:
        """Effective formatting of run ``r`` in paragraph ``p``."""
        psid = paragraph_style if paragraph_style is not None else self.paragraph_style_id(p)
        rpr = r.find(w("rPr")) if r is not None else None
        csid = None
        if rpr is not None:
            rs = rpr.find(w("rStyle"))
            csid = rs.get(VAL) if rs is not None else None
        if csid is None or csid not in self.styles or self.styles[csid].stype != "character":
            csid = self.default_character
        direct = _run_layer(rpr)
        key = (psid, csid, direct)
        cached = self._run_cache.get(key)
        if cached is None:
            cached = self._run_cache[key] = self._resolve_run(psid, csid, direct)
        return cached

    def _resolve_run(self, psid: str | None, csid: str | None, direct: _RunLayer) -> RunProps:
        p_layer, p_bold = self._style_run_layer(psid, "paragraph")
        c_layer, c_bold = self._style_run_layer(csid, "character")
        layer = _merge_run(_merge_run(self._run_defaults, p_layer), c_layer)
        layer = _merge_run(layer, direct)
        # toggle semantics for w:b (§17.7.3)
        bold = bool(self._run_defaults.bold)
        if direct.bold is not None:
            bold = direct.bold
        else:
            if p_bold:
                bold = not bold
            if c_bold:
                bold = not bold
        fonts = dict(layer.fonts)

        def name(slot: str) -> tuple[str | None, str | None]:
            ref = fonts.get(slot)
            if ref is None:
                return None, None
            if ref.theme:
                return self.theme.resolve(ref.theme), ref.theme
            return ref.name, None

        east_asia, ea_theme = name("eastAsia")
        return RunProps(east_asia=east_asia, ascii=name("ascii")[0], h_ansi=name("hAnsi")[0], hint=layer.hint,
                        size_pt=layer.size_pt if layer.size_pt is not None else DEFAULT_SIZE_PT, bold=bold,
                        east_asia_theme=ea_theme)

    def paragraph_mark_props(self, p) -> RunProps:
        """Run properties of the paragraph mark (``w:pPr/w:rPr``): the size of an empty paragraph."""
        ppr = p.find(w("pPr"))
        rpr = ppr.find(w("rPr")) if ppr is not None else None
        psid = self.paragraph_style_id(p)
        return self._resolve_run(psid, None, _run_layer(rpr))


def _norm_jc(jc: str | None) -> str:
    if jc in (None, "start"):
        return "left"
    if jc == "end":
        return "right"
    return jc
