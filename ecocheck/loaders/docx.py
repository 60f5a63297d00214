"""Load a .docx file into the ecocheck data model.

The loader opens the package with :mod:`ecocheck.ooxml` (size limits, one copy of each part,
XML without DTDs) and builds the text model with :mod:`.docxbody`; python-docx is only opened
on demand (:func:`native_docx`) for format plugins.  Everything that can go wrong with an
untrusted file -- empty file, legacy or encrypted OLE container, broken zip, zip bomb, two
copies of a part, DOCTYPE/entity tricks, malformed XML -- becomes a
:class:`~ecocheck.errors.LoadError` with an E code and a one-line Chinese message.  Nothing
here writes to the input file.

Text model (what a reader sees in Word with revisions shown as final):

* ``w:t`` text, ``w:tab``/``w:ptab`` -> "\\t", line breaks (``w:br`` of type
  textWrapping, ``w:cr``) -> "\\n", ``w:noBreakHyphen`` -> "-"; page and column
  breaks, symbols (``w:sym``), field instructions (``w:instrText``), drawings
  and footnote marks contribute nothing;
* tracked insertions (``w:ins``, ``w:moveTo``) are text and are recorded as
  ``Revision(kind="ins")``; tracked deletions (``w:del``, ``w:moveFrom``) are
  not text and are recorded as ``Revision(kind="del")`` at the offset where
  they sit;
* Word automatic numbering labels are rendered (see :mod:`.numbering`) and
  prepended to the paragraph text.

Paragraphs are the body's ``w:p`` in document order, table cells included
(``Paragraph.table = (table no, row, cell)``, all 0-based, nested tables
numbered in document order), as well as paragraphs inside content controls
and block-level insertions; headers, footers and text boxes are not body
text.  ``Paragraph.props`` may carry ``ind_*``/``spacing_*``/``outline_level``
(raw twips / hundredths of a character) and, for numbered paragraphs,
``num_id``, ``num_level``, ``num_format``, ``num_value``.

``Document.meta``: ``parts`` (raw bytes of document, styles, numbering,
settings, theme, comments, header and footer parts, by part name),
``main_part``, ``footers``/``headers`` (their texts, one string each),
``xml`` (the parsed parts) and ``paragraph_elements`` (the ``w:p`` of every
paragraph, in paragraph order, from ``xml[main_part]``).  Every body ``Run``
but the numbering label keeps its ``w:r`` as ``Run.element``, so a format
plugin pairs paragraphs and runs with their XML without walking it again.
The elements are read-only.
"""

from __future__ import annotations

import io
import posixpath
import re
from typing import Any

from ecocheck.errors import E_CORRUPT, E_TOO_LARGE, E_UNSUPPORTED, LoadError
from ecocheck.limits import DEFAULT_LIMITS, Limits
from ecocheck.loaders.docxbody import Body, Styles, comments, plain_paragraphs
from ecocheck.loaders.numbering import ListNumbering, NumberingDefinitions
from ecocheck.model import Document
from ecocheck.ooxml.names import BODY, DOCUMENT, STRICT_W_NS
from ecocheck.ooxml.package import Package, open_package
from ecocheck.ooxml.safexml import parse_xml
from ecocheck.ooxml.styles import styles_subset

__all__ = ["Limits", "DEFAULT_LIMITS", "load_docx", "native_docx"]

_MAIN_PART = "word/document.xml"
_RT_OFFICE_DOCUMENT = "officeDocument"


# ---------------------------------------------------------------------------
# Public API


def load_docx(path: str, limits: Limits | None = None, *, data: bytes | None = None) -> Document:
    """Read a .docx file into a :class:`Document`.

    Raises :class:`LoadError` (never anything else) when the file cannot be
    read safely; the input file is only ever opened for reading.  With ``data``
    the package is read from those bytes and ``path`` only names it (``--fix``
    reloads its fixed copy so, with no temporary file to leave behind).
    """
    try:
        return _load(str(path), limits or DEFAULT_LIMITS, data)
    except LoadError:
        raise
    except MemoryError:
        raise LoadError(E_TOO_LARGE, "文档过大，内存不足，请拆分文档后再检查") from None
    except RecursionError:
        raise LoadError(E_CORRUPT, "文档结构嵌套过深，无法读取；请在 Word/WPS 中另存为 .docx 后再检查") from None
    except Exception as exc:  # noqa: BLE001 - every failure must become an E finding
        raise LoadError(
            E_CORRUPT,
            f"无法读取该 .docx 文件（{type(exc).__name__}），请用 Word/WPS 打开并另存为 .docx 后再检查",
        ) from exc


def native_docx(document: Document):
    """The python-docx ``Document`` for a loaded .docx, opened on first use.

    Format plugins call this; it is cached in ``document.native``.  The file
    has already passed :func:`load_docx`'s safety checks.
    """
    if document.native is None:
        if document.format != "docx":
            raise ValueError(f"not a .docx document: {document.path}")
        import docx  # python-docx; imported lazily, it is slow to import

        try:
            data = document.meta.get("package_bytes")
            document.native = docx.Document(io.BytesIO(data) if data is not None else document.path)
        except Exception as exc:  # noqa: BLE001
            raise LoadError(
                E_CORRUPT,
                f"python-docx 无法打开该文件（{type(exc).__name__}），请用 Word/WPS 另存为 .docx 后再检查",
            ) from exc
    return document.native


# ---------------------------------------------------------------------------
# Loading


def _load(path: str, limits: Limits, data: bytes | None = None) -> Document:
    with open_package(path, limits, data=data) as pkg:
        doc = _read_package(pkg, path)
    if data is not None:
        doc.meta["package_bytes"] = data
    return doc


def _type(rtype: str) -> str:
    """A relationship type's last URI segment (``styles``, ``officeDocument``, …)."""
    return rtype.rsplit("/", 1)[-1]


# Relationship types (last URI segment) whose parts are kept in meta["parts"].
_KEPT_PART_TYPES = ("styles", "numbering", "settings", "theme", "comments", "footer", "header")
_CONVENTIONAL_PART = re.compile(r"^(%s)\d*\.xml$" % "|".join(_KEPT_PART_TYPES), re.IGNORECASE)


def _read_package(pkg: Package, path: str) -> Document:
    main = _MAIN_PART
    for rtype, target in pkg.relationships(""):
        if _type(rtype) == _RT_OFFICE_DOCUMENT and pkg.has(target):
            main = target
            break
    main_data = pkg.read(main)
    if main_data is None:
        raise LoadError(
            E_CORRUPT,
            "压缩包中没有 word/document.xml，不是 Word 文档；请确认文件类型，或在 Word/WPS 中另存为 .docx 后再检查",
        )
    parts: dict[str, bytes] = {main: main_data}
    root = pkg.parse(main, main_data)
    if root.tag != DOCUMENT:
        if root.tag == "{%s}document" % STRICT_W_NS:
            raise LoadError(E_UNSUPPORTED, "这是 Strict Open XML 格式的文档，请在 Word 中另存为“Word 文档(*.docx)”后再检查")
        raise LoadError(E_CORRUPT, "文件已损坏（document.xml 不是 Word 正文），请用 Word/WPS 打开修复并另存为 .docx 后再检查")
    body_el = root.find(BODY)

    related = _related_parts(pkg, main)
    for rtype in _KEPT_PART_TYPES:
        for name in related.get(rtype, ()):
            data = pkg.read(name)
            if data is not None:
                parts[name] = data
    # styles.xml only as far as the document uses it: its tree is the subset's (pkg.parse below
    # then keeps it); a cut that does not parse leaves the whole part to decide
    name = next((n for n in related.get("styles", ()) if n in parts), None)
    if name is not None:
        subset = styles_subset(parts[name], main_data, (d for n, d in parts.items() if n not in (name, main)))
        if subset is not None and subset is not parts[name]:
            try:
                pkg.roots[name] = parse_xml(subset, name, pkg.parser)
            except LoadError:
                pass
    # parse every kept part now: a malformed settings.xml or theme is one E finding here, not an
    # exception in the format plugin that reads it later
    for name, data in parts.items():
        pkg.parse(name, data)

    def parsed(rtype: str):
        names = [n for n in related.get(rtype, ()) if n in parts]
        return pkg.parse(names[0], parts[names[0]]) if names else None

    styles = Styles(parsed("styles"))
    numbering_root = parsed("numbering")
    numbering = (
        ListNumbering(NumberingDefinitions.from_xml(numbering_root), styles.numbering)
        if numbering_root is not None
        else None
    )
    body = Body(styles, numbering)
    if body_el is not None:
        body.blocks(body_el, None)
    body.finish()

    found = comments(parsed("comments"), body)
    meta: dict[str, Any] = {
        "parts": parts,
        # parsed (safe) trees of the parts read above; treat as read-only.  styles.xml's holds only the
        # styles in use (styles_subset); meta["parts"] keeps the whole part's bytes
        "xml": pkg.roots,
        "main_part": main,
        "paragraph_elements": body.elements,
        "footers": _story_texts(pkg, parts, related.get("footer", ())),
        "headers": _story_texts(pkg, parts, related.get("header", ())),
    }
    return Document(
        path=path,
        format="docx",
        paragraphs=body.paragraphs,
        encoding=None,
        comments=found,
        revisions=body.revisions,
        native=None,
        meta=meta,
    )


def _related_parts(pkg: Package, main: str) -> dict[str, list[str]]:
    """Part names by relationship type for the main document part (sorted, existing)."""
    related: dict[str, list[str]] = {}
    for rtype, target in pkg.relationships(main):
        if pkg.has(target):
            related.setdefault(_type(rtype), []).append(target)
    if not related:
        # No relationships part: fall back to Word's conventional part names
        # (word/styles.xml, word/footer2.xml, word/theme/theme1.xml, ...).
        folder = posixpath.dirname(main)
        for name in pkg.names():
            if posixpath.dirname(name) in (folder, posixpath.join(folder, "theme")):
                m = _CONVENTIONAL_PART.match(posixpath.basename(name))
                if m:
                    related.setdefault(m.group(1), []).append(name)
    for names in related.values():
        names.sort(key=_natural_key)
    return related


def _natural_key(name: str) -> tuple:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (len(digits), digits, name)


def _story_texts(pkg: Package, parts: dict[str, bytes], names) -> list[str]:
    out = []
    for name in names:
        if name in parts:
            out.append("\n".join(plain_paragraphs(pkg.parse(name, parts[name]))))
    return out


