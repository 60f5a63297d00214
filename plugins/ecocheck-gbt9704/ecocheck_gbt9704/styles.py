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
document and caches the resolved style layers and formatting;
:func:`ecocheck_gbt9704.docmodel.docx_format` keeps one per document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecocheck.ooxml.names import A, VAL, on_off, w

from .ooxml import child, to_int

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
    """A ``w:style``: its id, type, name, parent, and raw paragraph and run properties."""

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


_NO_RUN_LAYER = _RunLayer()

# ---------------------------------------------------------------------------
# Reading one layer.  A layer is read in two steps: ``*_key`` collects the raw attribute values it
# depends on (cheap: no objects but tuples), ``*_layer_of`` turns a key into a layer.  Equal keys give
# equal layers, so the key is an exact memo key for everything resolved from the element.

_RFONTS, _SZ, _B, _RSTYLE = w("rFonts"), w("sz"), w("b"), w("rStyle")
#: attributes of w:rFonts read: per FONT_SLOTS the explicit and the theme attribute, then w:hint
_RFONTS_ATTRS = tuple(w(name) for pair in FONT_SLOTS for name in pair) + (w("hint"),)


def _key(props, attrs: dict[str, tuple[str, ...]], vals: frozenset[str]) -> tuple:
    """``(tag, value)`` of every child of ``props`` (a w:rPr or w:pPr) that a layer reads, in order:
    for a tag in ``attrs`` the tuple of those attributes, for a tag in ``vals`` its ``w:val``."""
    if props is None:
        return ()
    out = []
    for c in props:
        tag = c.tag
        names = attrs.get(tag)
        if names is not None:
            out.append((tag, tuple(map(c.get, names))))
        elif tag in vals:
            out.append((tag, c.get(VAL)))
    return tuple(out)


_RUN_KEY_ATTRS = {_RFONTS: _RFONTS_ATTRS}
_RUN_KEY_VALS = frozenset((_SZ, _B, _RSTYLE))


def _run_key(rpr) -> tuple:
    """:func:`_key` of w:rStyle, w:rFonts (``_RFONTS_ATTRS``), w:sz and w:b."""
    return _key(rpr, _RUN_KEY_ATTRS, _RUN_KEY_VALS)


def _run_layer_of(key: tuple) -> _RunLayer:
    if not key:
        return _NO_RUN_LAYER
    fonts: list[tuple[str, FontRef]] = []
    hint = size = bold = None
    for tag, value in key:
        if tag == _RFONTS:  # value: ascii, asciiTheme, hAnsi, hAnsiTheme, …, cstheme, hint
            for (slot, _theme_attr), name, theme in zip(FONT_SLOTS, value[0::2], value[1::2]):
                if theme:
                    fonts.append((slot, FontRef(None, theme)))
                elif name:
                    fonts.append((slot, FontRef(name)))
            hint = value[-1] or None
        elif tag == _SZ:
            try:
                size = float(value) / 2 if value is not None else None
            except ValueError:
                size = None
        elif tag == _B:
            bold = on_off(value)
    return _RunLayer(tuple(fonts), hint, size, bold)


def _run_layer(rpr) -> _RunLayer:
    return _run_layer_of(_run_key(rpr))


def _character_style(key: tuple) -> str | None:
    """``w:val`` of the first w:rStyle in a run key."""
    return next((value for tag, value in key if tag == _RSTYLE), None)


def _merge_run(base: _RunLayer, top: _RunLayer) -> _RunLayer:
    """``top`` over ``base``, attribute by attribute (bold: plain override, toggling is done by the caller)."""
    fonts = dict(base.fonts)
    fonts.update(top.fonts)
    return _RunLayer(tuple(fonts.items()), top.hint if top.hint is not None else base.hint,
                     top.size_pt if top.size_pt is not None else base.size_pt,
                     top.bold if top.bold is not None else base.bold)


_IND_ATTRS = ("firstLine", "firstLineChars", "hanging", "hangingChars", "left", "leftChars", "right", "rightChars")
_BIDI_NAMES = {"left": "start", "right": "end", "leftChars": "startChars", "rightChars": "endChars"}
#: attributes of w:ind read: _IND_ATTRS, then the bidi aliases (read when the attribute itself is absent)
_IND_CLARK = tuple(w(attr) for attr in _IND_ATTRS) + tuple(w(alias) for alias in _BIDI_NAMES.values())
_BIDI_INDEX = {attr: len(_IND_ATTRS) + i for i, attr in enumerate(_BIDI_NAMES)}
_FIRST_GROUP = ("firstLine", "firstLineChars")
_HANGING_GROUP = ("hanging", "hangingChars")
_PSTYLE, _JC, _IND, _SPACING, _SNAP_TO_GRID = (w(t) for t in ("pStyle", "jc", "ind", "spacing", "snapToGrid"))
_SPACING_ATTRS = (w("line"), w("lineRule"))


@dataclass(frozen=True, slots=True)
class _ParaLayer:
    """The paragraph properties one layer (defaults, a style, direct formatting) sets."""

    jc: str | None = None
    ind: tuple[tuple[str, int], ...] = ()
    line: int | None = None
    line_rule: str | None = None
    snap: bool | None = None


_NO_PARA_LAYER = _ParaLayer()


_PARA_KEY_ATTRS = {_IND: _IND_CLARK, _SPACING: _SPACING_ATTRS}
_PARA_KEY_VALS = frozenset((_PSTYLE, _JC, _SNAP_TO_GRID))


def _para_key(ppr) -> tuple:
    """:func:`_key` of w:pStyle, w:jc, w:ind (``_IND_CLARK``), w:spacing (``_SPACING_ATTRS``) and w:snapToGrid."""
    return _key(ppr, _PARA_KEY_ATTRS, _PARA_KEY_VALS)


def _para_layer_of(key: tuple) -> _ParaLayer:
    if not key:
        return _NO_PARA_LAYER
    jc = line = rule = snap = None
    ind: list[tuple[str, int]] = []
    for tag, value in key:
        if tag == _JC:
            jc = value
        elif tag == _IND:
            for i, attr in enumerate(_IND_ATTRS):
                number = to_int(value[i])
                if number is None and attr in _BIDI_INDEX:
                    number = to_int(value[_BIDI_INDEX[attr]])
                if number is not None:
                    ind.append((attr, number))
        elif tag == _SPACING:
            line = to_int(value[0])
            if line is not None:
                rule = value[1] or "auto"
        elif tag == _SNAP_TO_GRID:
            snap = on_off(value)
    return _ParaLayer(jc, tuple(ind), line, rule, snap)


def _para_layer(ppr) -> _ParaLayer:
    return _para_layer_of(_para_key(ppr))


def _paragraph_style(key: tuple) -> str | None:
    """``w:val`` of the first w:pStyle in a paragraph key."""
    return next((value for tag, value in key if tag == _PSTYLE), None)


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


_THEME_SLOTS = {A + "latin": "latin", A + "ea": "ea", A + "cs": "cs"}
_THEME_FONT = A + "font"


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
                tag = c.tag
                slot = _THEME_SLOTS.get(tag)
                if slot is not None:
                    fonts[slot] = c.get("typeface") or ""
                elif tag == _THEME_FONT and c.get("script"):
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


_TYPE, _NAME, _BASED_ON = (w(t) for t in ("type", "name", "basedOn"))
_PPR, _RPR = w("pPr"), w("rPr")


def _parse_style(sid: str, el) -> _Style:
    """A ``w:style`` element (its first ``w:name``, ``w:basedOn``, ``w:pPr`` and ``w:rPr`` children)."""
    found: dict[str, Any] = {}
    for c in el:
        if c.tag in (_NAME, _BASED_ON, _PPR, _RPR):
            found.setdefault(c.tag, c)
    name_el, based = found.get(_NAME), found.get(_BASED_ON)
    return _Style(sid, el.get(_TYPE) or "paragraph", name_el.get(VAL) if name_el is not None else sid,
                  based.get(VAL) if based is not None else None, found.get(_PPR), found.get(_RPR))


class StyleSheet:
    """styles.xml (+ theme and settings) of one document, with cached style layers and resolved formatting.

    Styles are indexed up front and parsed when first used (python-docx's template alone declares
    some 160).  Resolved :class:`ParaProps` and :class:`RunProps` are memoised by the raw values of the
    direct formatting (``_para_key`` / ``_run_key``, plus the paragraph style for a run), so each
    distinct formatting of a document is resolved once; the returned objects are shared and must not
    be modified.  A stylesheet belongs to one document: it is built with the document's format view
    (:func:`ecocheck_gbt9704.docmodel.docx_format`) and never outlives it.
    """

    def __init__(self, styles_root=None, theme_root=None, settings_root=None):
        self._elements: dict[str, Any] = {}  # style id -> the first w:style with that id
        self._styles: dict[str, _Style] = {}  # parsed on first use
        self.default_paragraph: str | None = None
        self.default_character: str | None = None
        self._run_defaults = _RunLayer()
        self._para_defaults = _ParaLayer()
        lang = None
        if settings_root is not None:
            tfl = settings_root.find(w("themeFontLang"))
            if tfl is not None:
                lang = tfl.get(w("eastAsia"))
        self._theme_source = (theme_root, lang)
        self._theme: ThemeFonts | None = None
        self._chain_cache: dict[tuple[str, str], tuple[_RunLayer, bool | None]] = {}
        self._para_chain_cache: dict[str, _ParaLayer] = {}
        self._run_cache: dict[tuple, RunProps] = {}  # (paragraph style, _run_key of the run's w:rPr)
        self._para_cache: dict[tuple, ParaProps] = {}  # _para_key of the paragraph's w:pPr (it names the style)
        if styles_root is None:
            return
        defaults = styles_root.find(w("docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
            ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
            self._run_defaults = _run_layer(rpr)
            self._para_defaults = _para_layer(ppr)
        from ecocheck.ooxml.styles import index_styles

        self._elements, defaults = index_styles(styles_root)
        self.default_paragraph = defaults.get("paragraph")
        self.default_character = defaults.get("character")

    @property
    def theme(self) -> ThemeFonts:
        """The theme fonts, read when a theme font is first resolved."""
        if self._theme is None:
            self._theme = ThemeFonts(*self._theme_source)
        return self._theme

    # -- style chains -----------------------------------------------------
    def style(self, sid: str | None) -> _Style | None:
        """The style with id ``sid`` (the first one if styles.xml repeats the id), or None."""
        if not sid:
            return None
        style = self._styles.get(sid)
        if style is None:
            el = self._elements.get(sid)
            if el is None:
                return None
            style = self._styles[sid] = _parse_style(sid, el)
        return style

    def _is(self, sid: str | None, stype: str) -> bool:
        style = self.style(sid)
        return style is not None and style.stype == stype

    def chain(self, sid: str | None, stype: str) -> list[_Style]:
        """The style and its basedOn ancestors, base first (cycles and wrong types cut off)."""
        out: list[_Style] = []
        seen: set[str] = set()
        while sid and sid not in seen:
            seen.add(sid)
            style = self.style(sid)
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

    def _style_para_layer(self, sid: str | None) -> _ParaLayer:
        """Document defaults merged with the paragraph style chain of ``sid``."""
        layer = self._para_chain_cache.get(sid or "")
        if layer is None:
            layer = self._para_defaults
            for style in self.chain(sid, "paragraph"):
                layer = _merge_para(layer, _para_layer(style.ppr))
            self._para_chain_cache[sid or ""] = layer
        return layer

    def paragraph_style_id(self, p) -> str | None:
        ppr = child(p, _PPR)
        ps = child(ppr, _PSTYLE) if ppr is not None else None
        return self._valid_paragraph_style(ps.get(VAL) if ps is not None else None)

    def _valid_paragraph_style(self, sid: str | None) -> str | None:
        return sid if self._is(sid, "paragraph") else self.default_paragraph

    # -- resolution -------------------------------------------------------
    def paragraph_props(self, p) -> ParaProps:
        """Effective formatting of paragraph ``p`` (a shared object: do not modify it)."""
        key = _para_key(child(p, _PPR))
        props = self._para_cache.get(key)
        if props is None:
            sid = self._valid_paragraph_style(_paragraph_style(key))
            layer = _merge_para(self._style_para_layer(sid), _para_layer_of(key))
            props = self._para_cache[key] = ParaProps(
                jc=_norm_jc(layer.jc), ind=dict(layer.ind), line=layer.line, line_rule=layer.line_rule or "auto",
                snap_to_grid=layer.snap is not False, style_id=sid)
        return props

    def run_props(self, p, r, paragraph_style: str | None = None) -> RunProps:
        """Effective formatting of run ``r`` in paragraph ``p`` (a shared object: do not modify it)."""
        psid = paragraph_style if paragraph_style is not None else self.paragraph_style_id(p)
        return self._run_props(psid, _run_key(child(r, _RPR) if r is not None else None))

    def formatted_runs(self, runs, paragraph_style: str | None) -> tuple:
        """``(run, RunProps)`` for every run (objects with an ``element``) of a paragraph whose effective
        style is ``paragraph_style`` (``ParaProps.style_id``: None when it has none)."""
        return tuple((run, self._run_props(paragraph_style, _run_key(child(run.element, _RPR)))) for run in runs)

    def _run_props(self, psid: str | None, key: tuple) -> RunProps:
        """The run formatting for paragraph style ``psid`` and run key ``key``, resolved once per pair."""
        props = self._run_cache.get((psid, key))
        if props is None:
            csid = _character_style(key)
            if not self._is(csid, "character"):
                csid = self.default_character
            props = self._run_cache[psid, key] = self._resolve_run(psid, csid, _run_layer_of(key))
        return props

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


def _norm_jc(jc: str | None) -> str:
    if jc in (None, "start"):
        return "left"
    if jc == "end":
        return "right"
    return jc
