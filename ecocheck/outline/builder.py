"""Document → Outline.

1. The paragraph lexer classifies every paragraph into one token (TITLE,
   SALUTATION, H1..H5, TEXT) using the label terminals of the Lark grammar.
2. The Lark ``document`` grammar nests the tokens into sections.
3. A Transformer turns the parse tree into :class:`OutlineNode` objects.
4. Inline enumerations (一是…二是…) are attached as item children.
5. Level-1 sections get roles; the document gets a genre.

The builder never fails: any paragraph sequence yields an outline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import rxcache
from ..model import Document, Outline, OutlineNode, Paragraph, Span
from .genre_detect import GenreCues, detect_genre, forced, shipped_cues
from .grammar import item_regex, item_start_regex, label_regexes, parse_document
from .numerals import cn_to_int, int_to_cn
from .roles import SectionConfig, default_section_config
from .tables import attach_table_items

#: characters that end the run-in part of a heading ("（一）坚持…。正文")
_SENTENCE_END = "。！？!?"
_SENTENCE_END_RE = rxcache.compile(f"[{re.escape(_SENTENCE_END)}]")
#: what ends the heading of an inline item ("一是加强学习；…")
_ITEM_HEADING_END_RE = rxcache.compile(f"[{re.escape(_SENTENCE_END)}；;]")
_LEADING_WS = rxcache.compile(r"^[ \t\u3000\u00a0]*")
#: what may stand right before an inline item label (else it is inside a word: 统一是)
_ITEM_BEFORE = set("。；;：:，,！？!?、 \t\u3000（(“‘\"'—…")
_MAX_TITLE = 80
#: deepest nesting of inline item series inside one owner (一是…（一是…（一是…)))
MAX_ITEM_DEPTH = 3
#: where a heading label may start inside a paragraph (a heading run into the text before it:
#: "……报告如下：一、基本情况……"): right after a sentence end or a colon
_RUN_IN_AT = rxcache.compile(r"[。！？!?：:][ \t\u3000]*(?=[（(]?[一二三四五六七八九十]{1,3}[、）)])")
#: a heading run into a paragraph whose first clause is longer than this is cut after the
#: role synonym in that clause ("一、驻在部门政治生态基本情况驻在部门总体上……")
_MAX_RUN_IN_HEADING = 16
_CLAUSE_END_RE = rxcache.compile("[，,；;：:]")
#: two spaces or an ideographic space after a run-in heading: paragraphs pasted together
_RUN_IN_GAP_RE = rxcache.compile("[ \u3000]{2,}|\u3000")


@dataclass(slots=True)
class _Label:
    """A heading label found at the start of a paragraph."""

    level: int
    label: str
    ordinal: int | None
    style: str
    start: int  # offset of the label in paragraph text
    end: int
    run_in_lead: bool = False  # the label stands inside the paragraph, after text of its own


def label_style(level: int, m: re.Match) -> str:
    """A compact id of how the label is written, e.g. 'cn、', '（cn）', 'ar.', '(ar)'."""
    g = m.groupdict()
    sep = g.get("sep") or ""
    if level in (1, 3):
        base = "cn" if level == 1 else "ar"
        return f"{base}{sep}"
    if level in (2, 4):
        base = "cn" if level == 2 else "ar"
        return f"{g['open']}{base}{g['close']}{sep}"
    return f"circled{sep}"


def match_label(text: str, pos: int = 0) -> _Label | None:
    """Recognise a heading label at ``pos`` of a paragraph (after leading blanks)."""
    regs = label_regexes()
    for level in (2, 4, 1, 3, 5):  # bracketed forms first: （一） must not read as 一、
        m = regs[level].match(text, pos)
        if not m:
            continue
        end = m.end()
        rest = text[end:end + 1]
        sep = m.group("sep")
        if level == 3 and sep in "，,：:":
            # "5，6月份" reads as text; only the dot and 、 forms head a paragraph
            continue
        if level == 1 and sep in "，,：:" and not rest.strip():
            continue  # a lone "一，" is not a heading; "一，基本情况" is one with the wrong mark (S120)
        if level == 5 and not sep and not rest:
            continue
        return _Label(level, m.group(0), cn_to_int(m.group("num")), label_style(level, m), m.start(), end)
    return None


def _make_tokens(doc: Document, cfg: SectionConfig):
    """One lark Token per non-blank paragraph; its value is the paragraph index."""
    from lark import Token

    tokens: list = []
    labels: dict[int, _Label] = {}
    title = salutation = None
    seen_content = False
    text_seen = False  # a TEXT token was emitted (a salutation must come before any)
    first_heading_seen = False
    for p in doc.paragraphs:
        text = p.text
        if p.props.get("md_code"):
            tokens.append(Token("TEXT", str(p.index)))
            seen_content = text_seen = True  # a title after a code block would follow TEXT: refused
            continue
        if not text.strip() or p.props.get("directive"):  # blank, or a suppression directive line
            continue
        ws = _LEADING_WS.match(text).end()
        lab = match_label(text, ws)
        if p.md_heading and lab is None and not seen_content and p.md_heading == 1:
            title = p.index
            tokens.append(Token("TITLE", str(p.index)))
            seen_content = True
            continue
        if lab is None and p.md_heading >= 2:
            # an unlabelled Markdown heading: its ATX depth gives the level
            lab = _Label(min(p.md_heading - 1, 5), "", None, "md", ws, ws)
        if lab is not None:
            labels[p.index] = lab
            tokens.append(Token(f"H{lab.level}", str(p.index)))
            seen_content = True
            first_heading_seen = True
            continue
        if not seen_content and _looks_like_title(p, text):
            title = p.index
            tokens.append(Token("TITLE", str(p.index)))
            seen_content = True
            continue
        if not first_heading_seen and salutation is None and not text_seen and cfg.is_salutation(text.strip()):
            salutation = p.index
            tokens.append(Token("SALUTATION", str(p.index)))
            seen_content = True
            continue
        tokens.append(Token("TEXT", str(p.index)))
        seen_content = text_seen = True
    _recover_run_in(doc, tokens, labels)
    return tokens, labels, title, salutation


def _run_in_candidate(p: Paragraph) -> _Label | None:
    """The one 一、 or （一） label standing after a sentence end inside a text paragraph (None when
    there is none, or more than one: 一、…；二、… inside one paragraph is an enumeration, not headings)."""
    if p.table is not None or p.props.get("md_code"):
        return None
    found = None
    for m in _RUN_IN_AT.finditer(p.text):
        lab = match_label(p.text, m.end())
        if lab is None or lab.level not in (1, 2) or lab.ordinal is None:
            continue
        if lab.level == 1 and not lab.label.endswith("、"):
            continue
        nxt = p.text[lab.end:lab.end + 1]
        if not nxt or nxt in _SENTENCE_END or nxt in "，,、；;：:）)":
            continue
        if found is not None:
            return None
        found = lab
    if found is not None:
        # the next label of its series later in the same paragraph (一、…；二、…): an enumeration
        nxt = int_to_cn(found.ordinal + 1)
        if (f"{nxt}、" if found.level == 1 else f"{nxt}）") in p.text[found.end:]:
            return None
    return found


def _recover_run_in(doc: Document, tokens: list, labels: dict[int, _Label]) -> None:
    """Turn text paragraphs that hold a heading run into them into heading tokens, when the
    numbering around says so: the label continues the previous heading of its level (or is the
    first, 一, under a higher heading or none) and is continued by the next one (二 after 一), or
    it ends a series it continues.  A 一、 inside prose that no sequence backs stays prose."""
    cands: dict[int, _Label] = {}
    for k, tok in enumerate(tokens):
        if tok.type == "TEXT":
            lab = _run_in_candidate(doc.paragraphs[int(tok)])
            if lab is not None:
                cands[k] = lab
    if not cands:
        return
    # every label in token order, the candidates included (they back one another: 一、 run in, 二、 run in)
    seq = [(k, labels[int(t)]) for k, t in enumerate(tokens) if t.type.startswith("H")]
    seq += list(cands.items())
    seq.sort(key=lambda x: x[0])
    for pos, (k, lab) in enumerate(seq):
        if k not in cands:
            continue
        level, n = lab.level, lab.ordinal
        prev = next((x for _, x in reversed(seq[:pos]) if x.level <= level), None)
        nxt = next((x for _, x in seq[pos + 1:] if x.level <= level), None)
        prev_same = prev is not None and prev.level == level and prev.ordinal == n - 1
        first = n == 1 and (prev is None or prev.level < level)
        next_same = nxt is not None and nxt.level == level and nxt.ordinal == n + 1
        last = nxt is None or nxt.level < level
        if (first and next_same) or (prev_same and (next_same or last)):
            from lark import Token

            pi = int(tokens[k])
            lab.run_in_lead = True
            labels[pi] = lab
            tokens[k] = Token(f"H{level}", str(pi))


def _looks_like_title(p: Paragraph, text: str) -> bool:
    t = text.strip()
    if not t or len(t) > _MAX_TITLE:
        return False
    if t[-1] in "。；;，,：:、":
        return False
    if item_regex().match(t):
        return False
    if p.table is not None:
        return False
    return True


class _Builder:
    def __init__(self, doc: Document, labels: dict[int, _Label], cfg: SectionConfig):
        self.doc = doc
        self.labels = labels
        self.cfg = cfg
        self.node_of_paragraph: dict[int, OutlineNode] = {}

    # -- tree → nodes -----------------------------------------------------
    def convert(self, tree) -> tuple[list[int], list[OutlineNode]]:
        front, *secs = tree.children
        preamble = [int(t) for t in front.children if t.type == "TEXT"]
        return preamble, [self._section(s, None) for s in secs]

    def _section(self, tree, parent: OutlineNode | None) -> OutlineNode:
        head, *rest = tree.children
        node = self._heading_node(head, parent)
        for child in rest:
            if hasattr(child, "data"):
                node.children.append(self._section(child, node))
            else:
                i = int(child)
                node.body.append(i)
                node.body_spans.append(Span(i, 0, len(self.doc.paragraphs[i].text)))
                self.node_of_paragraph[i] = node
        return node

    def _heading_node(self, tok, parent: OutlineNode | None) -> OutlineNode:
        p = self.doc.paragraphs[int(tok)]
        lab = self.labels[p.index]
        text = p.text
        after = lab.end
        while after < len(text) and text[after] in " \t\u3000":
            after += 1
        end = len(text)
        run_in = False
        stop = _SENTENCE_END_RE.search(text, after)
        if stop is not None:
            end = stop.start()
            run_in = bool(text[end + 1:].strip())
        body_from = end + 1
        if lab.run_in_lead:
            gap = _RUN_IN_GAP_RE.search(text, after, end)
            if gap is not None and gap.start() > after:  # paragraphs pasted together with spaces
                end, body_from, run_in = gap.start(), gap.end(), True
            clause = _CLAUSE_END_RE.search(text, after, end)
            clause_end = clause.start() if clause is not None else end
            if clause_end - after > _MAX_RUN_IN_HEADING:
                cut = self.cfg.synonym_end(text, after, clause_end)
                if cut is not None and cut < clause_end:
                    end = body_from = cut
                    run_in = True
        heading = text[after:end].rstrip()
        heading_end = after + len(heading)
        node = OutlineNode(kind="heading", level=lab.level, label=lab.label, ordinal=lab.ordinal,
                           style=lab.style, heading=heading, paragraph=p.index, start=lab.start,
                           end=heading_end, line=p.line, column=p.column_offset + lab.start + 1,
                           parent=parent, run_in=run_in)
        if lab.run_in_lead:
            node.props["run_in_lead"] = True
        if run_in:
            node.body_spans.append(Span(p.index, body_from, len(text)))
        self.node_of_paragraph[p.index] = node
        return node


def _attach_items(doc: Document, outline: Outline, owners: list[tuple[OutlineNode | None, list[Span]]]) -> None:
    """Find inline enumerations in each owner's body and attach them as item nodes."""
    rx = item_regex()
    for owner, spans in owners:
        series: list[OutlineNode] = []  # paragraph-level items of this owner
        for span in spans:
            p = doc.paragraphs[span.paragraph]
            if p.props.get("md_code"):
                continue
            labels = list(_find_items(rx, p.text, span.start, span.end))
            if not labels:
                continue
            leading = span.start == 0 and p.text[:labels[0][0]].strip() == ""
            if leading:
                # a paragraph opening with an item continues the owner's paragraph-level series
                stack, parents, base_depth = [series], [owner], 1
            elif series:
                # inline items in a plain paragraph after an item paragraph belong to that item
                stack, parents, base_depth = [[]], [series[-1]], series[-1].level + 1
            else:
                stack, parents, base_depth = [series], [owner], 1
            for k, lab in enumerate(labels):
                nxt = labels[k + 1] if k + 1 < len(labels) else None
                level = 0 if (leading and k == 0) else _item_level(stack, lab[2])
                if level == len(parents):  # a nested series opened under the last item
                    parents.append(stack[level - 1][-1])
                del stack[level + 1:]
                del parents[level + 1:]
                node = _item_node(doc, p, lab, nxt, span.end, parents[level], depth=base_depth + level)
                _add_child(outline, parents[level], node)
                stack[level].append(node)
        # body paragraphs following an item paragraph belong to that item
    return None


def _item_level(stack: list[list[OutlineNode]], ordinal: int | None) -> int:
    """Where an inline item goes: the innermost series it continues (last ordinal + 1);
    a restart at 一 nests under the last item (at most MAX_ITEM_DEPTH levels deep: a long
    run of restarting series is a flat list with repeated numbers, not a staircase);
    anything else stays at the innermost level (gaps and duplicates are for the
    numbering rules to report)."""
    if ordinal is not None:
        for li in range(len(stack) - 1, -1, -1):
            if stack[li] and stack[li][-1].ordinal == ordinal - 1:
                return li
    if ordinal == 1 and stack[-1] and len(stack) < MAX_ITEM_DEPTH:
        stack.append([])
        return len(stack) - 1
    return len(stack) - 1


def _add_child(outline: Outline, owner: OutlineNode | None, node: OutlineNode) -> None:
    if owner is None:
        outline.items.append(node)
    else:
        node.parent = owner
        owner.children.append(node)


def _find_items(rx, text: str, start: int, end: int):
    """Yield (offset, label, ordinal, family) for inline enumeration labels in text[start:end].

    The labels are ``rx.finditer(text, start, end)``'s matches, found by trying ``rx`` only
    where :func:`item_start_regex` says a label can start; like ``finditer``, a match that
    overlaps the previous one is skipped (and, as there, a match the checks below refuse
    still hides what it overlaps)."""
    searched_to = start  # where finditer would search next
    for candidate in item_start_regex().finditer(text, start, end):
        pos = candidate.start()
        if pos < searched_to:
            continue
        m = rx.match(text, pos, end)
        if m is None:
            continue
        searched_to = m.end()
        if pos > start:
            before = text[pos - 1]
            if before not in _ITEM_BEFORE:
                continue
        elif pos > 0 and text[pos - 1] not in _ITEM_BEFORE and text[:pos].strip():
            continue
        tail = text[m.end():m.end() + 1]
        if not tail or tail in "，。、；":
            continue
        kind = m.lastgroup  # the terminal's own group encloses its parts, so it closes last
        if kind == "item_shi":
            num, family = m.group("item_shi_num"), m.group("item_shi_kind")
        elif kind == "item_di":
            num, family = m.group("item_di_num"), "第"
        else:
            num, family = m.group("item_qi_num"), "其"
        yield pos, m.group(0), cn_to_int(num), family


def _item_node(doc: Document, p: Paragraph, lab, nxt, span_end: int, owner, depth: int) -> OutlineNode:
    pos, label, ordinal, family = lab
    stop = nxt[0] if nxt is not None else span_end
    text = p.text
    after = pos + len(label)
    m = _ITEM_HEADING_END_RE.search(text, after, stop)
    end = m.start() if m is not None else stop
    heading = text[after:end].rstrip().rstrip("，,、：:；;").rstrip()
    style = {"是": "X是", "要": "X要", "第": "第X，", "其": "其X，"}[family]
    node = OutlineNode(kind="item", level=depth, label=label, ordinal=ordinal, style=style,
                       heading=heading, paragraph=p.index, start=pos, end=after + len(heading),
                       line=p.line, column=p.column_offset + pos + 1, parent=owner)
    node.body_spans.append(Span(p.index, after, stop))
    node.props["family"] = family
    return node


def _collect_owners(outline: Outline) -> list[tuple[OutlineNode | None, list[Span]]]:
    owners: list[tuple[OutlineNode | None, list[Span]]] = []
    pre = [Span(i, 0, len(outline.document.paragraphs[i].text)) for i in outline.preamble]
    owners.append((None, pre))
    for node in list(outline.walk()):
        if node.kind == "heading":
            owners.append((node, list(node.body_spans)))
    return owners


def build_outline(doc: Document, genre: str | None = None, cfg: SectionConfig | None = None,
                  genres: tuple[GenreCues, ...] | None = None) -> Outline:
    """The outline of ``doc``.  ``genre`` sets the genre; otherwise it is detected from the cues of
    ``genres`` (the engine passes the profiles of the run; default: the shipped ones)."""
    cfg = cfg or default_section_config()
    tokens, labels, title, salutation = _make_tokens(doc, cfg)
    builder = _Builder(doc, labels, cfg)
    if tokens:
        from lark.exceptions import UnexpectedInput

        try:
            tree = parse_document(tokens)
        except UnexpectedInput:  # the lexer should never produce a refused sequence; if it does,
            # drop the title and salutation: a sequence of H1..H5 and TEXT always parses
            from lark import Token

            title = salutation = None
            tokens = [Token("TEXT", t.value) if t.type in ("TITLE", "SALUTATION") else t for t in tokens]
            tree = parse_document(tokens)
        preamble, sections = builder.convert(tree)
    else:
        preamble, sections = [], []
    outline = Outline(document=doc, genre="report", title=title, salutation=salutation,
                      preamble=preamble, sections=sections, node_of_paragraph=builder.node_of_paragraph)
    _attach_items(doc, outline, _collect_owners(outline))
    # top-level sections carry the roles (一、 normally; the highest level present otherwise)
    for node in sections:
        node.role = cfg.role_of(node.heading)
        for sub in node.walk():
            sub.role = node.role
    attach_table_items(outline, cfg)  # after the roles: a table's items take their column's role
    cues = genres if genres is not None else shipped_cues()
    decision = detect_genre(outline, cues, cfg)
    if genre:
        decision = forced(decision, genre, next((c.label for c in cues if c.name == genre), ""), "option")
    outline.genre = decision.genre
    outline.genre_decision = decision
    return outline
