"""Findings as Word comments (批注) on a copy of the document.

:func:`annotate_file` writes ``draft.ecocheck.docx`` beside ``draft.docx``
(or where asked) with one comment per finding, anchored exactly on the
flagged text:

* a span finding is anchored on ``paragraph.text[start:end]``; runs are split
  at the anchor's ends and each half keeps a copy of the run's ``w:rPr``;
* a finding with no text about a section or item is anchored on its heading
  (label and heading text, from the outline), one about the whole document on
  the title line; other empty findings are point comments at their offset;
* a finding inside a Word auto-number label (which is not in the XML) becomes a
  point comment at the start of the paragraph's own text.

The input is only read.  Existing comments are kept and new comment ids never
collide with them; paragraph texts of the copy are identical to the input's.
A .txt/.md input becomes a .docx with one paragraph per line (Markdown
headings get Word heading styles), then is annotated the same way.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import posixpath
import re
from dataclasses import dataclass, field

from lxml import etree

from ecocheck.run.gcpause import gc_paused
from ecocheck.engine.timelimit import RuleTimeout, time_limit
from ecocheck.errors import E_TIME_LIMIT, LoadError
from ecocheck.model import Document, Finding, Outline

from ecocheck.ooxml.names import (
    COMMENT_RANGE_END,
    COMMENT_RANGE_START,
    COMMENT_REFERENCE,
    CT_NS,
    ID,
    P,
    R,
    REL_NS,
    RELATIONSHIP,
    T,
    W_NS,
    w,
)
from ecocheck.ooxml.package import EditablePackage

from . import docxpart as dx

AUTHOR = "ecocheck"
INITIALS = "EC"
SUFFIX = ".ecocheck.docx"

RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class AnnotateError(Exception):
    """The annotated copy could not be made; ``message`` is Chinese, one line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Anchor:
    finding: Finding
    paragraph: int
    start: int  # offsets in the paragraph text, label included (as in findings)
    end: int


@dataclass
class AnnotateResult:
    path: str
    output: str
    comments: int = 0
    skipped: list[tuple[Finding, str]] = field(default_factory=list)


def default_output(path: str) -> str:
    """``dir/draft.docx`` -> ``dir/draft.ecocheck.docx`` (also for .txt/.md)."""
    stem, _ext = os.path.splitext(path)
    return stem + SUFFIX


def comment_lines(f: Finding) -> list[str]:
    """The comment's paragraphs: code, severity and message; then the suggestion."""
    lines = [f"{f.code}（{f.severity.zh}）{f.message}"]
    suggestion = f.suggestion
    if not suggestion and f.fix is not None:
        suggestion = f.fix.title or (f"改为“{f.fix.replacement}”" if f.fix.replacement else "删除")
    if suggestion:
        lines.append(f"建议：{suggestion}")
    if f.fix is not None and f.fix.safe:
        lines.append("可用 ecocheck lint --fix 自动修复")
    return lines


# ---------------------------------------------------------------------------
# Anchors


def _title_index(doc: Document, outline: Outline | None) -> int | None:
    if outline is not None and outline.title is not None:
        return outline.title
    return next((p.index for p in doc.paragraphs if p.text.strip()), 0 if doc.paragraphs else None)


def _whole(doc: Document, index: int) -> tuple[int, int]:
    p = doc.paragraphs[index]
    end = len(p.text.rstrip())
    return p.num_prefix, max(p.num_prefix, end)


def _nodes_at(outline: Outline) -> dict:
    """The first node of the outline's walk at each ``(paragraph, start)``, made once per outline."""
    nodes = outline.cache.get("annotate:nodes")
    if nodes is None:
        nodes = outline.cache["annotate:nodes"] = {}
        for node in outline.walk():
            nodes.setdefault((node.paragraph, node.start), node)
    return nodes


def find_anchor(f: Finding, doc: Document, outline: Outline | None) -> Anchor | str:
    """Where the comment for ``f`` goes, or the reason it cannot be placed."""
    paragraphs = doc.paragraphs
    if f.paragraph is None:
        index = _title_index(doc, outline)
        if index is None:
            return "文档没有段落，无法放置批注"
        return Anchor(f, index, *_whole(doc, index))
    if not 0 <= f.paragraph < len(paragraphs):
        return "段落位置超出文档范围"
    p = paragraphs[f.paragraph]
    prefix = p.num_prefix
    if f.end > f.start:
        if p.text[f.start:f.end] != f.text:
            return "问题文字与文档内容不一致（文件可能已被修改）"
        if f.end <= prefix:  # inside the auto-number label: at the paragraph's own text
            return Anchor(f, p.index, prefix, prefix)
        return Anchor(f, p.index, max(f.start, prefix), f.end)
    # empty text: a section/item finding (at its label) or the document (at the title)
    if outline is not None and not (f.paragraph == outline.title and f.start == 0):
        node = _nodes_at(outline).get((f.paragraph, f.start))
        if node is not None:
            a, b = max(node.start, prefix), min(node.end, len(p.text))
            if b > a:
                return Anchor(f, p.index, a, b)
    if f.start <= prefix:  # about the paragraph as a whole
        return Anchor(f, p.index, *_whole(doc, p.index))
    return Anchor(f, p.index, f.start, f.start)  # a point inside the paragraph


# ---------------------------------------------------------------------------
# Inserting comments


def _w(tag: str, **attrs) -> etree._Element:
    el = etree.Element(w(tag))
    for k, v in attrs.items():
        el.set(w(k), v)
    return el


def _comment_element(cid: int, lines: list[str], date: str) -> etree._Element:
    comment = _w("comment", id=str(cid), author=AUTHOR, date=date, initials=INITIALS)
    for k, line in enumerate(lines):
        p = etree.SubElement(comment, P)
        if k == 0:
            r = etree.SubElement(p, R)
            etree.SubElement(r, w("annotationRef"))
        r = etree.SubElement(p, R)
        t = etree.SubElement(r, T)
        dx.set_text(t, _XML_INVALID.sub("\ufffd", line))
    return comment


class _Runs:
    """The runs of a paragraph map by the offset they start and end at (run spans are not empty
    and follow each other, so both are unique)."""

    __slots__ = ("pmap", "starting", "ending")

    def __init__(self, pmap: dx.ParagraphMap):
        self.pmap = pmap
        self.starting = {s.start: s.run for s in pmap.runs}
        self.ending = {s.end: s.run for s in pmap.runs}


def _place(runs: _Runs, start: int, end: int, cid: int) -> None:
    """Insert commentRangeStart/End and the reference run around ``[start, end)`` (run boundaries)."""
    rs = _w("commentRangeStart", id=str(cid))
    re_ = _w("commentRangeEnd", id=str(cid))
    ref = etree.Element(R)
    etree.SubElement(ref, COMMENT_REFERENCE).set(ID, str(cid))
    first = runs.starting.get(start)
    if start == end:
        if first is not None:
            for el in (rs, re_, ref):
                first.addprevious(el)
            return
        last = runs.ending.get(start)
        if last is not None:
            for el in (ref, re_, rs):
                last.addnext(el)
            return
        for el in (rs, re_, ref):
            runs.pmap.element.append(el)
        return
    if first is None:  # cannot happen once boundaries are ensured
        raise AnnotateError("批注起点不在文字边界上")
    first.addprevious(rs)
    last = runs.ending[end]
    last.addnext(ref)
    last.addnext(re_)


def _existing_ids(*roots) -> int:
    high = -1
    for root in roots:
        if root is None:
            continue
        for el in root.iter(w("comment"), COMMENT_RANGE_START, COMMENT_RANGE_END, COMMENT_REFERENCE):
            try:
                high = max(high, int(el.get(ID, "")))
            except ValueError:
                continue
    return high


def _comments_part(pkg: EditablePackage, main: str) -> tuple[str, etree._Element]:
    """(part name, root) of the comments part, creating it (rels, content types) if missing."""
    folder = posixpath.dirname(main)
    for rtype, name in pkg.relationships(main):
        if rtype == RT_COMMENTS:
            root = pkg.parse(name)
            if root is not None:
                return name, root
    rels_name = pkg.rels_name(main)
    rels = pkg.parse(rels_name)
    # a new part: word/comments.xml (or comments1.xml, … if taken)
    n = 0
    name = posixpath.join(folder, "comments.xml")
    while pkg.name(name) is not None:
        n += 1
        name = posixpath.join(folder, f"comments{n}.xml")
    if rels is None:
        rels = etree.Element("{%s}Relationships" % REL_NS, nsmap={None: REL_NS})
    ids = {rel.get("Id") for rel in rels}
    k = len(ids) + 1
    while f"rId{k}" in ids:
        k += 1
    etree.SubElement(rels, RELATIONSHIP, Id=f"rId{k}", Type=RT_COMMENTS,
                     Target=posixpath.relpath(name, folder) if folder else name)
    pkg.write_xml(rels_name, rels)
    types = pkg.parse("[Content_Types].xml")
    if types is None:
        raise AnnotateError("文档缺少 [Content_Types].xml，无法添加批注")
    etree.SubElement(types, "{%s}Override" % CT_NS, PartName="/" + name, ContentType=CT_COMMENTS)
    pkg.write_xml("[Content_Types].xml", types)
    root = etree.Element(w("comments"), nsmap={"w": W_NS})
    return name, root


def annotate_docx_bytes(data: bytes, main: str, texts: list[str], prefixes: list[int], anchors: list[Anchor],
                        date: str | None = None) -> tuple[bytes, int, list[tuple[Finding, str]]]:
    """Add one comment per anchor to the .docx ``data``.

    ``texts``/``prefixes``: the loaded paragraph texts and auto-number label
    lengths, used to check that every paragraph maps onto the XML.  Returns
    (new bytes, comments added, [(finding, reason)] not placed).
    """
    pkg = EditablePackage(data)
    root = pkg.parse(main)
    if root is None:
        raise AnnotateError("找不到 word/document.xml")
    maps = dx.paragraph_maps(root)
    if len(maps) != len(texts):
        raise AnnotateError("文档段落与检查时不一致，无法定位批注")
    skipped: list[tuple[Finding, str]] = []
    by_paragraph: dict[int, list[Anchor]] = {}
    mapped: dict[int, bool] = {}  # paragraph -> its XML text is the loaded text
    for a in anchors:
        ok = mapped.get(a.paragraph)
        if ok is None:
            ok = mapped[a.paragraph] = maps[a.paragraph].text == texts[a.paragraph][prefixes[a.paragraph]:]
        if not ok:
            skipped.append((a.finding, "该段落的结构无法识别，未放置批注"))
            continue
        by_paragraph.setdefault(a.paragraph, []).append(a)
    if not by_paragraph:
        return data, 0, skipped
    comments_name, comments = _comments_part(pkg, main)
    next_id = _existing_ids(root, comments) + 1
    date = date or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    added = 0
    for index in sorted(by_paragraph):
        group = by_paragraph[index]
        prefix = prefixes[index]
        cuts = [x - prefix for a in group for x in (a.start, a.end)]
        runs = _Runs(dx.ensure_boundaries(maps[index].element, cuts))
        for a in group:
            _place(runs, a.start - prefix, a.end - prefix, next_id)
            comments.append(_comment_element(next_id, comment_lines(a.finding), date))
            next_id += 1
            added += 1
    pkg.write_xml(main, root)
    pkg.write_xml(comments_name, comments)
    return pkg.to_bytes(), added, skipped


# ---------------------------------------------------------------------------
# Plain text -> .docx


def text_to_docx(doc: Document) -> tuple[bytes, list[str]]:
    """A .docx with one paragraph per line of a .txt/.md Document; (bytes, paragraph texts)."""
    import docx  # python-docx

    out = docx.Document()
    texts = []
    for p in doc.paragraphs:
        text = _XML_INVALID.sub("\ufffd", p.text)
        para = out.add_paragraph()
        if p.md_heading:
            try:
                para.style = out.styles[f"Heading {min(p.md_heading, 9)}"]
            except KeyError:
                pass
        if text:
            para.add_run(text)
        texts.append(text)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue(), texts


# ---------------------------------------------------------------------------
# Files


def limits_of(config):
    """The loader limits of a Config (None: defaults)."""
    from ecocheck.limits import Limits

    return Limits.of(getattr(config, "limits", None))


def rule_seconds(config) -> float:
    """The rules' time limit (``limits.rule-seconds``) of a Config, which --fix and --annotate share."""
    from ecocheck.loaders.docx import DEFAULT_LIMITS

    return (limits_of(config) or DEFAULT_LIMITS).rule_seconds


def _outline(doc: Document, config) -> Outline | None:
    try:
        from ecocheck.api import outline_document
        from ecocheck.config import Config

        return outline_document(doc, config or Config())
    except Exception:  # noqa: BLE001 - headings are a nicety; anchors fall back to paragraphs
        return None


def annotate_file(path: str, findings: list[Finding], output: str | None = None, *, config=None,
                  date: str | None = None, source=None) -> AnnotateResult:
    """Write an annotated .docx copy of ``path`` with ``findings`` as comments.

    Raises :class:`AnnotateError` (Chinese message) when the copy cannot be
    made; never writes to ``path``.  With ``source`` (:class:`ecocheck.inputs.Source`:
    standard input) the document is read from it and ``path`` is its name.
    """
    from ecocheck.fileio import write_atomic
    from ecocheck.inputs import read_input
    from ecocheck.loaders import load

    output = output or default_output(path)
    if os.path.realpath(output) == os.path.realpath(path):
        raise AnnotateError("批注副本不能覆盖原文件")
    try:
        if source is not None:
            doc, data = source.load(limits_of(config)), source.read(limits_of(config))
        else:
            doc = load(path, limits_of(config))  # a regular file within the limits (E011, E009)
            data = read_input(path, limits_of(config))
    except LoadError as err:
        raise AnnotateError(f"{err.code} {err.message}") from None
    except OSError as exc:
        raise AnnotateError(f"无法读取文件：{exc.strerror or exc}") from None
    result = AnnotateResult(path=path, output=output)
    outline = _outline(doc, config)
    seconds = rule_seconds(config)
    try:
        with gc_paused(), time_limit(seconds):  # the lint's pause of the collector (run/gcpause.py)
            anchors: list[Anchor] = []
            for f in findings:
                where = find_anchor(f, doc, outline)
                if isinstance(where, str):
                    result.skipped.append((f, where))
                else:
                    anchors.append(where)
            if doc.format == "docx":
                main = doc.meta.get("main_part", "word/document.xml")
                texts = [p.text for p in doc.paragraphs]
                prefixes = [p.num_prefix for p in doc.paragraphs]
            else:
                data, texts = text_to_docx(doc)
                main = "word/document.xml"
                prefixes = [0] * len(texts)
            new, result.comments, skipped = annotate_docx_bytes(data, main, texts, prefixes, anchors, date)
    except AnnotateError:
        raise
    except RuleTimeout:
        raise AnnotateError(f"{E_TIME_LIMIT} 生成批注副本超过时间上限（{seconds:g} 秒，配置 limits.rule-seconds），"
                            "未生成；请拆分文档后再试") from None
    except LoadError as err:
        raise AnnotateError(f"{err.code} {err.message}") from None
    except MemoryError:
        raise AnnotateError("E009 生成批注副本所需内存超过上限（limits.max-memory-mib）") from None
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
        raise AnnotateError(f"无法生成批注副本（{type(exc).__name__}: {exc}）") from None
    result.skipped.extend(skipped)
    try:
        write_atomic(output, new)
    except OSError as exc:
        raise AnnotateError(f"无法写入 {output}：{exc.strerror or exc}") from None
    return result
