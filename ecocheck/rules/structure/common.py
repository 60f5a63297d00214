"""What the structure rules share: the genre profile and section names, outline walks, label findings, the
standards the messages cite."""

from __future__ import annotations

from ... import rxcache
from ...outline.genres import genre_profile
from ...model import Fix, OutlineNode
from ...outline.roles import ROLE_NAMES, default_section_config


GB9704 = "GB/T 9704-2012《党政机关公文格式》§7.3.3（结构层次序数）"
GB15834 = "GB/T 15834-2011《标点符号用法》§4.5.3.3"
SKELETON = "docs/references.md「报告的结构」（公开材料中的常见结构与标题写法）"
NUMBERING = "docs/references.md「层次序数」"


# -- shared helpers -----------------------------------------------------------------
def profile(ctx):
    return genre_profile(ctx.config, ctx.outline.genre, ctx.outline)


def section_config(ctx):
    extra = getattr(ctx.config, "sections", None) or None
    return default_section_config().extended(extra)


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


def synonyms_of(ctx, role: str) -> list[str]:
    return list(section_config(ctx).synonyms.get(role, []))


def memo(ctx, key: str, compute):
    """``compute()`` once per document: several rules of this module share the same walks."""
    cache = ctx.outline.cache
    key = f"structure:{key}"
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def all_nodes(ctx) -> list[OutlineNode]:
    """Every outline node in document order (``outline.walk()``, listed once per document)."""
    return memo(ctx, "nodes", lambda: list(ctx.outline.walk()))


def present_roles(ctx) -> set[str]:
    """Roles of the top-level sections; a heading naming two roles (存在问题及整改措施) has both."""
    return memo(ctx, "present_roles", lambda: _present_roles(ctx))


def _present_roles(ctx) -> set[str]:
    cfg = section_config(ctx)
    roles = set()
    for sec in ctx.outline.sections:
        if sec.kind != "heading":
            continue
        roles.add(sec.role)
        for role, syns in cfg.synonyms.items():
            if any(x in sec.heading for x in syns):
                roles.add(role)
    return roles


def label_text(node: OutlineNode) -> str:
    return node.label or node.heading[:12]


def children_of(ctx, node: OutlineNode | None) -> list[OutlineNode]:
    if node is None:
        return list(ctx.outline.items) + list(ctx.outline.sections)
    return list(node.children)


def all_parents(ctx):
    """None (the document root) and every node, in document order."""
    yield None
    yield from all_nodes(ctx)


def is_auto_number(ctx, node: OutlineNode) -> bool:
    p = ctx.document.paragraphs[node.paragraph]
    return p.num_prefix > 0 and node.start < p.num_prefix


def label_finding(ctx, node: OutlineNode, message: str, replacement: str, title: str):
    safe = not is_auto_number(ctx, node)
    fix = Fix(replacement=replacement, title=title, safe=safe)
    suggestion = None if safe else "该序号是 Word 自动编号，请在“编号格式”中修改"
    return ctx.node_finding(node, message, flag_label=True, fix=fix, suggestion=suggestion)


NEW_PART = rxcache.compile(r"^(附件|附表|附：|第[一二三四五六七八九十]{1,3}(部分|章|篇|节|单元))")
