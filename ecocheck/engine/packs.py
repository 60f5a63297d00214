"""Declarative YAML rule packs.

A pack is a YAML file with a ``rules`` list.  Each rule ``extends`` one of a
small closed set of check kinds:

``existence``
    flag every occurrence of ``tokens`` (literal strings) or ``patterns``
    (regular expressions).
``substitution``
    ``swap`` maps a wrong form to the right one; each finding carries a fix.
    ``swap`` is either a mapping (``wrong: right`` or ``wrong: {to, guards…}``)
    or a list of ``{from, to, guards…}`` entries, which lets one wrong form
    appear several times with different context guards (the first entry whose
    guards hold wins).  An empty ``to`` means "delete".

Common keys: ``code``, ``name``, ``severity``, ``summary``, ``message``
(``{text}`` is the flagged text, ``{replacement}`` the right form; a Vale-style
``%s`` works too), ``suggestion``, ``scope``, ``formats``, ``genres``,
``exceptions`` (regexes: a match lying inside an exception match is dropped),
``config_options`` (``{extra_tokens: extra-placeholders}``: a list of the configuration appended to
an option), the context guards ``if_preceded_by`` / ``unless_preceded_by`` /
``if_followed_by`` / ``unless_followed_by`` (regexes tested right before or
after the match), ``ignorecase``, and ``doc`` (what / why / bad / good /
options).  Chinese has no word boundaries, so nothing is wrapped in ``\\b``:
boundaries are whatever the patterns and guards say.  ``enabled: false`` keeps a
rule out of the default selection (``select`` / ``extend-select`` turn it on).

Every list is user data.  From the config (``[rules.CODE]`` options) a user can:

``disable_entries``
    switch off entries: tokens, patterns (the pattern text as written in the
    pack) or swap keys (the wrong form);
``extra_tokens`` / ``extra_patterns``
    add literal strings / regexes to an existence rule;
``extra_swap``
    add ``wrong: right`` pairs (or ``wrong: {to, if_followed_by, …}``) to a
    substitution rule;
``extra_exceptions``
    add exception regexes (e.g. a proper name that looks like a typo).

A malformed pack raises :class:`ConfigError` naming the file, the line, the
rule and the key.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import rxcache, yamlio
from ..errors import E_PACK, ConfigError
from ..model import Fix, Severity
from .regexcheck import backtracking_risk
from .regexgate import line_local, one_char_items
from .rule import Rule, RuleContext, RuleDoc
from .scopes import scope_matches, valid_scope

KINDS = ("existence", "substitution")
COMMON_KEYS = {"code", "name", "extends", "severity", "summary", "message", "suggestion", "scope", "formats",
               "genres", "exceptions", "ignorecase", "doc", "source", "if_preceded_by", "unless_preceded_by",
               "if_followed_by", "unless_followed_by", "options", "enabled", "config_options"}
KIND_KEYS = {"existence": {"tokens", "patterns"}, "substitution": {"swap"}}
#: ``example`` is a sentence on which the entry must fire (tests/test_swap_examples.py); not used when linting
SWAP_KEYS = {"to", "if_preceded_by", "unless_preceded_by", "if_followed_by", "unless_followed_by", "safe", "note",
             "example"}
#: options a user may set in the config for any pack rule (see the module docstring)
USER_OPTIONS = ("disable_entries", "extra_tokens", "extra_patterns", "extra_swap", "extra_exceptions")
DOC_KEYS = {"what", "why", "bad", "good", "options", "references"}
GUARDS = ("if_preceded_by", "unless_preceded_by", "if_followed_by", "unless_followed_by")
_LOOKBEHIND_WINDOW = 24


class _LineDict(dict):
    """A mapping from a pack, with the line of each of its keys (``key_lines``)."""

    key_lines: dict


@lru_cache(maxsize=1)
def _line_loader() -> type:
    """A safe loader that remembers the line of every mapping (key ``__line__``) and of each of
    its keys (``key_lines``); built on first use, so that ``yaml`` is imported only when a pack
    is actually parsed (see :func:`load_yaml_with_lines`)."""
    import yaml

    def construct_mapping(loader, node, deep=False):
        mapping = _LineDict(yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep))
        mapping.key_lines = {}
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                mapping.key_lines.setdefault(key_node.value, key_node.start_mark.line + 1)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    line_loader = type("_LineLoader", (yamlio.loader(),), {})
    line_loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return line_loader


def key_line(mapping: Any, key: str, default: int | None) -> int | None:
    """The line of ``key`` in a mapping loaded from YAML (``default`` when unknown)."""
    return getattr(mapping, "key_lines", {}).get(key, default)


def _encode_lines(obj: Any) -> Any:
    """Plain data for the YAML cache: a line-marked mapping becomes ``(items, key_lines)`` (YAML
    never produces a tuple, so a tuple always means one)."""
    if isinstance(obj, _LineDict):
        return ({k: _encode_lines(v) for k, v in obj.items()}, obj.key_lines)
    if isinstance(obj, dict):
        return {k: _encode_lines(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_encode_lines(v) for v in obj]
    return obj


def _decode_lines(obj: Any) -> Any:
    if isinstance(obj, tuple):
        items, key_lines = obj
        mapping = _LineDict({k: _decode_lines(v) for k, v in items.items()})
        mapping.key_lines = dict(key_lines)
        return mapping
    if isinstance(obj, dict):
        return {k: _decode_lines(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode_lines(v) for v in obj]
    return obj


def load_yaml_with_lines(text: str, path: str) -> Any:
    """A pack's YAML with line marks; the same text parsed by an earlier run comes from the cache."""
    return yamlio.cached("pack-lines", text, lambda t: _parse_with_lines(t, path), _encode_lines, _decode_lines)


def _parse_with_lines(text: str, path: str) -> Any:
    import yaml

    try:
        yamlio.check_bounds(text)  # depth, recursion, alias expansion: before anything is built
        return yaml.load(text, Loader=_line_loader())  # noqa: S506 - SafeLoader subclass
    except yamlio.YamlBoundsError as exc:
        raise ConfigError(E_PACK, f"YAML 结构超出上限：{exc.message}", path, exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(E_PACK, f"YAML 语法错误：{problem}", path, line) from None


def strip_lines(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: strip_lines(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [strip_lines(v) for v in obj]
    return obj


def compile_user_regex(pattern: str, where: str, path: str, line: int | None, flags: int = 0) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(E_PACK, f"{where}：正则表达式必须是非空字符串", path, line)
    risk = backtracking_risk(pattern, flags)  # (a+)+, (x|x)*y, (\s*,\s*)+ … (see engine/regexcheck.py)
    if risk:
        raise ConfigError(E_PACK, f"{where}：正则 {pattern!r} 含{risk}，可能导致灾难性回溯（运行极慢），请改写", path, line)
    try:
        return rxcache.compile(pattern, flags)
    except re.error as exc:
        raise ConfigError(E_PACK, f"{where}：正则 {pattern!r} 无效（{exc}）", path, line) from None


class _Guards:
    """Context conditions tested around a match."""

    def __init__(self, spec: dict, where: str, path: str, line: int | None):
        self.before_yes = self.before_no = self.after_yes = self.after_no = None
        #: ``if_preceded_by`` as written, when it can serve in a lookbehind (see PackRule._swap_regex)
        self.before_yes_fixed: str | None = None
        for key in GUARDS:
            if spec.get(key) is None:
                continue
            pat = spec[key]
            kline = key_line(spec, key, line)
            if key.endswith("preceded_by"):
                rx = compile_user_regex(f"(?:{pat})\\Z", f"{where} {key}", path, kline)
                if key == "if_preceded_by" and one_char_items(pat):
                    self.before_yes_fixed = pat
            else:
                rx = compile_user_regex(pat, f"{where} {key}", path, kline)
            setattr(self, {"if_preceded_by": "before_yes", "unless_preceded_by": "before_no",
                           "if_followed_by": "after_yes", "unless_followed_by": "after_no"}[key], rx)

    def __bool__(self) -> bool:
        return any((self.before_yes, self.before_no, self.after_yes, self.after_no))

    def ok(self, text: str, start: int, end: int) -> bool:
        if self.before_yes or self.before_no:
            before = text[max(0, start - _LOOKBEHIND_WINDOW):start]
            if self.before_yes and not self.before_yes.search(before):
                return False
            if self.before_no and self.before_no.search(before):
                return False
        if self.after_yes and not self.after_yes.match(text, end):
            return False
        if self.after_no and self.after_no.match(text, end):
            return False
        return True


class PackRule(Rule):
    """A rule defined in a YAML pack."""

    def __init__(self, spec: dict, path: str, pack: str):
        self.path = path
        self.pack = pack
        line = spec.get("__line__")
        code = spec.get("code")
        where = f"规则 {code or '（缺少 code）'}"
        self.source = f"pack:{pack}"
        kind = spec.get("extends")
        if kind not in KINDS:
            raise ConfigError(E_PACK, f"{where}：extends 必须是 {' / '.join(KINDS)}，而不是 {kind!r}", path, line)
        allowed = COMMON_KEYS | KIND_KEYS[kind]
        for key in spec:
            if key != "__line__" and key not in allowed:
                raise ConfigError(E_PACK, f"{where}：未知键 {key!r}（{kind} 可用：{', '.join(sorted(allowed))}）",
                                  path, key_line(spec, key, line))
        for key in ("code", "name", "summary", "message", "doc"):
            if not spec.get(key):
                raise ConfigError(E_PACK, f"{where}：缺少必填键 {key!r}", path, line)
        self.kind = kind
        self.code = str(spec["code"])
        self.name = str(spec["name"])
        try:
            self.severity = Severity.parse(spec.get("severity", "warning"))
        except ValueError:
            raise ConfigError(E_PACK, f"{where}：severity 必须是 error / warning / info", path, line) from None
        self.summary = str(spec["summary"])
        self.message = str(spec["message"]).replace("%s", "{text}")
        self.suggestion = spec.get("suggestion")
        self.scope = spec.get("scope", "text")
        if not isinstance(self.scope, str) or not valid_scope(self.scope):
            raise ConfigError(E_PACK, f"{where}：scope {self.scope!r} 无效（text / heading / body / title / "
                              "preamble / section:<角色>）", path, line)
        self.formats = tuple(spec["formats"]) if spec.get("formats") else None
        self.genres = tuple(spec["genres"]) if spec.get("genres") else None
        self.options = dict(strip_lines(spec.get("options") or {}))
        self.config_options = {str(k): str(v) for k, v in strip_lines(spec.get("config_options") or {}).items()}
        if self.config_options:
            from ..config.schema import KEYS

            unknown = [v for v in self.config_options.values() if v not in KEYS]
            if unknown:
                raise ConfigError(E_PACK, f"{where}：config_options 中未知的配置键 {unknown[0]!r}", path, line)
        enabled = spec.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(E_PACK, f"{where}：enabled 必须是 true 或 false", path, line)
        self.enabled_by_default = enabled
        self._flags = 0
        self._compiled: dict[str, Any] = {}
        doc = spec["doc"]
        if not isinstance(doc, dict):
            raise ConfigError(E_PACK, f"{where}：doc 必须是映射（what / why / bad / good）", path, line)
        for key in doc:
            if key != "__line__" and key not in DOC_KEYS:
                raise ConfigError(E_PACK, f"{where}：doc 中未知键 {key!r}", path, doc.get("__line__", line))
        for key in ("what", "why", "bad", "good"):
            if not doc.get(key):
                raise ConfigError(E_PACK, f"{where}：doc 缺少 {key!r}", path, doc.get("__line__", line))
        self.doc = RuleDoc(what=doc["what"], why=doc["why"], bad=doc["bad"], good=doc["good"],
                           options=strip_lines(doc.get("options") or {}),
                           references=list(doc.get("references") or []))
        flags = re.IGNORECASE if spec.get("ignorecase") else 0
        self._flags = flags
        self.guards = _Guards(spec, where, path, line) or None  # as a swap entry's: None when it has none
        self.exceptions: list[tuple[re.Pattern, tuple[str, ...] | None]] = []
        for exc in _as_list(spec.get("exceptions"), where, "exceptions", path, line):
            formats = None
            if isinstance(exc, dict):
                bad = [k for k in exc if k not in ("pattern", "formats", "__line__")]
                if bad or "pattern" not in exc:
                    raise ConfigError(E_PACK, f"{where}：exceptions 项必须是正则字符串或 {{pattern, formats}}",
                                      path, exc.get("__line__", line))
                formats = tuple(exc.get("formats") or ()) or None
                exc = exc["pattern"]
            self.exceptions.append((compile_user_regex(exc, f"{where} exceptions", path,
                                                       key_line(spec, "exceptions", line), flags | re.M),
                                    formats))
        if kind == "existence":
            tokens = [str(t) for t in _as_list(spec.get("tokens"), where, "tokens", path, line)]
            patterns = [str(p) for p in _as_list(spec.get("patterns"), where, "patterns", path, line)]
            if not tokens and not patterns:
                raise ConfigError(E_PACK, f"{where}：existence 需要 tokens 或 patterns", path, line)
            self.tokens = tokens
            self.patterns = patterns
            self.regex = self._existence_regex(tokens, patterns, where, path, key_line(spec, "patterns", line))
            self.swap = {}
        else:
            self.tokens = self.patterns = []
            self.swap = self._parse_swap(spec.get("swap"), where, path, line)
            self.regex = self._swap_regex(self.swap)

    def _existence_regex(self, tokens, patterns, where, path, line) -> re.Pattern:
        """One alternation of the tokens and patterns.  It is checked and compiled as a whole (compiling
        each pattern on its own too would double the start-up cost of the packs); only when that fails
        are the patterns compiled one by one, so that the error names the pattern at fault."""
        alts = [re.escape(t) for t in sorted(set(tokens), key=lambda t: (-len(t), t))] + [f"(?:{p})" for p in patterns]
        if not alts:  # every entry switched off: a regex that never matches
            return re.compile(r"(?!)")
        if not all(patterns):
            raise ConfigError(E_PACK, f"{where} patterns：正则表达式必须是非空字符串", path, line)
        try:
            return compile_user_regex("|".join(alts), where, path, line, self._flags)
        except ConfigError:
            for p in patterns:
                compile_user_regex(p, f"{where} patterns", path, line, self._flags)
            raise

    def _swap_regex(self, swap: dict) -> re.Pattern:
        keys = sorted((k for k in swap if k), key=len, reverse=True)
        if not keys:
            return re.compile(r"(?!)")
        plain = rxcache.compile("|".join(re.escape(k) for k in keys), self._flags)
        if self._flags & re.IGNORECASE or any(len(k) != 1 for k in keys):
            return plain
        # one-character keys: each key's if_preceded_by, where it is a fixed sequence of single
        # characters, goes into the regex as a lookbehind after the key, e.g. 、(?<=(?:[”》])、) for
        # T405, so that ``re`` passes over the 1,667 enumeration commas of a long report that no
        # guard would let through instead of handing each to _Guards.ok.  The findings are the same:
        # * the guards are still checked for every match: the lookbehind only has to hold wherever
        #   they do.  It does: if_preceded_by holds when the characters before the match, within the
        #   paragraph, match the pattern; a lookbehind sees the same characters in the scanned text
        #   (the paragraph, or the paragraphs joined by line breaks; ``re`` looks behind ``pos``).
        # * a match dropped early cannot uncover another: every match is one character, and
        #   ``finditer`` tries the next position after a match just as after a failed try.
        # Case-insensitive rules keep the plain regex (a match may then stand for another key).
        alts = [re.escape(k) + self._lookbehinds(k, swap[k]) for k in keys]
        folded = rxcache.compile("|".join(alts), self._flags)
        if line_local(plain) and not line_local(folded):
            return plain  # a lookbehind that can see a line break would cost the one-scan path
        return folded

    def _lookbehinds(self, key: str, entries: list[dict]) -> str:
        """Lookbehinds that hold wherever the rule's and some entry's ``if_preceded_by`` hold after
        the one-character ``key`` (empty where there is none to fold)."""
        k = re.escape(key)
        out = ""
        if self.guards is not None and self.guards.before_yes_fixed:
            out += f"(?<=(?:{self.guards.before_yes_fixed}){k})"
        fixed = [e["guards"].before_yes_fixed if e["guards"] else None for e in entries]
        if all(fixed):  # an entry without one lets the key through anywhere
            out += "(?:" + "|".join(f"(?<=(?:{p}){k})" for p in dict.fromkeys(fixed)) + ")"
        return out

    @classmethod
    def _parse_swap(cls, swap: Any, where: str, path: str, line: int | None) -> dict[str, list[dict]]:
        """``swap`` (mapping or list of ``{from, to, …}``) as wrong form -> list of entries."""
        out: dict[str, list[dict]] = {}
        if isinstance(swap, dict) and [k for k in swap if k != "__line__"]:
            for wrong, right in swap.items():
                if wrong == "__line__":
                    continue
                out.setdefault(str(wrong), []).append(
                    cls._swap_entry(str(wrong), right, where, path, swap.get("__line__", line)))
            return out
        if isinstance(swap, list) and swap:
            for item in swap:
                iline = item.get("__line__", line) if isinstance(item, dict) else line
                if not isinstance(item, dict) or not item.get("from") or "to" not in item:
                    raise ConfigError(E_PACK, f"{where}：swap 列表的每一项都必须是含 from 和 to 的映射", path, iline)
                entry = {k: v for k, v in item.items() if k != "from"}
                wrong = str(item["from"])
                out.setdefault(wrong, []).append(cls._swap_entry(wrong, entry, where, path, iline))
            return out
        raise ConfigError(E_PACK, f"{where}：substitution 需要非空的 swap 映射（错误写法: 正确写法）或 "
                          "{from, to} 列表", path, line)

    @staticmethod
    def _swap_entry(wrong: str, right: Any, where: str, path: str, line: int | None) -> dict:
        if right is None:
            right = ""
        if isinstance(right, (str, int, float)):
            return {"to": [str(right)], "guards": None, "safe": True, "note": None}
        if isinstance(right, list):
            return {"to": [str(r) for r in right], "guards": None, "safe": False, "note": None}
        if not isinstance(right, dict) or "to" not in right:
            raise ConfigError(E_PACK, f"{where}：swap 中 {wrong!r} 的值必须是字符串、列表或含 to 的映射", path, line)
        eline = right.get("__line__", line)
        for key in right:
            if key != "__line__" and key not in SWAP_KEYS:
                raise ConfigError(E_PACK, f"{where}：swap 中 {wrong!r} 有未知键 {key!r}", path, eline)
        to = right["to"]
        if to is None:
            to = ""
        options = [str(t) for t in to] if isinstance(to, list) else [str(to)]
        guards = _Guards(right, f"{where} swap {wrong!r}", path, eline)
        return {"to": options, "guards": guards or None, "safe": bool(right.get("safe", len(options) == 1)),
                "note": right.get("note"), "example": right.get("example")}

    # -- checking ----------------------------------------------------------
    def validate_options(self, options: dict[str, Any], config: Any = None) -> None:
        """Compile the user's entries (extra_patterns, …) now: raise ConfigError if one is bad.

        Called when a configuration is resolved, so that a bad or catastrophic regex in the
        config stops the run as a config error instead of crashing the rule on every file.
        """
        self._effective_options({**self.options, **options}, config)

    def _effective(self, ctx: RuleContext) -> tuple[re.Pattern, dict, list[tuple[re.Pattern, Any]]]:
        return self._effective_options(ctx.options, ctx.config)

    def _effective_options(self, options: dict[str, Any], config: Any
                           ) -> tuple[re.Pattern, dict, list[tuple[re.Pattern, Any]]]:
        """Regex, swap table and exceptions after the user's options (cached per option set)."""
        opts = {k: options.get(k) for k in USER_OPTIONS if options.get(k)}
        if not opts:
            return self.regex, self.swap, self.exceptions
        key = repr(sorted((k, repr(v)) for k, v in opts.items()))
        hit = self._compiled.get(key)
        if hit is not None:
            return hit
        where = f"配置中规则 {self.code} 的选项"
        src = config.path if config is not None and getattr(config, "path", None) else "配置"
        disabled = {str(x) for x in _as_list(opts.get("disable_entries"), where, "disable_entries", src, None)}
        exceptions = list(self.exceptions)
        for pat in _as_list(opts.get("extra_exceptions"), where, "extra_exceptions", src, None):
            exceptions.append((compile_user_regex(str(pat), f"{where} extra_exceptions", src, None,
                                                  self._flags | re.M), None))
        if self.kind == "existence":
            tokens = [t for t in self.tokens if t not in disabled]
            tokens += [str(t) for t in _as_list(opts.get("extra_tokens"), where, "extra_tokens", src, None)]
            patterns = [p for p in self.patterns if p not in disabled]
            for pat in _as_list(opts.get("extra_patterns"), where, "extra_patterns", src, None):
                compile_user_regex(str(pat), f"{where} extra_patterns", src, None, self._flags)
                patterns.append(str(pat))
            regex = self._existence_regex(tokens, patterns, where, src, None)
            swap = self.swap
        else:
            swap = {k: v for k, v in self.swap.items() if k not in disabled}
            extra = opts.get("extra_swap")
            if extra:
                if not isinstance(extra, (dict, list)):
                    raise ConfigError(E_PACK, f"{where}：extra_swap 必须是映射（错误写法: 正确写法）或列表", src)
                for wrong, entries in self._parse_swap(extra, where, src, None).items():
                    swap[wrong] = entries + [e for e in swap.get(wrong, [])]
            regex = self._swap_regex(swap)
        result = (regex, swap, exceptions)
        self._compiled[key] = result
        return result

    def check(self, ctx: RuleContext):
        paragraphs = ctx.document.paragraphs
        regex, swap, all_exceptions = self._effective(ctx)
        fmt = ctx.document.format
        exceptions = [rx for rx, formats in all_exceptions if formats is None or fmt in formats]
        excepted: dict[int, _Intervals] = {}  # per paragraph, built at its first match
        guards = self.guards
        for pi, offset, m in scope_matches(ctx.outline, self.scope, regex):
            s, e = m.start() - offset, m.end() - offset
            if s == e:
                continue
            text = paragraphs[pi].text
            if exceptions:
                if pi not in excepted:
                    excepted[pi] = _Intervals((x.start(), x.end()) for rx in exceptions for x in rx.finditer(text))
                if excepted[pi].covers(s, e):
                    continue
            if guards is not None and not guards.ok(text, s, e):
                continue
            found = m.group(0)
            if self.kind == "existence":
                msg = self.message.format(text=found, replacement="")
                yield ctx.finding(pi, s, e, msg, suggestion=self.suggestion)
                continue
            entries = swap.get(found) or self._lookup_ci(swap, found)
            for entry in entries or ():
                if entry["guards"] is None or entry["guards"].ok(text, s, e):
                    break
            else:
                continue
            options = entry["to"]
            replacement = options[0] if len(options) == 1 else "”或“".join(options)
            msg = self.message.format(text=found, replacement=replacement)
            fix = None
            if len(options) == 1:
                title = f"改为“{options[0]}”" if options[0] else f"删除“{found}”"
                fix = Fix(options[0], title=title, safe=entry["safe"])
            suggestion = self.suggestion or (f"改为“{replacement}”" if replacement else f"删除“{found}”")
            if entry.get("note"):
                suggestion = f"{suggestion}（{entry['note']}）"
            yield ctx.finding(pi, s, e, msg, fix=fix, suggestion=suggestion)

    def _lookup_ci(self, swap: dict, found: str):
        if not self._flags & re.IGNORECASE:
            return None
        low = found.lower()
        for k, v in swap.items():
            if k.lower() == low:
                return v
        return None


class _Intervals:
    """Exception matches of one paragraph: is a span inside one of them?  O(log n) per question,
    so a paragraph with thousands of matches and exceptions stays linear overall."""

    def __init__(self, spans):
        ordered = sorted(spans)
        self.starts = [a for a, _b in ordered]
        self.reach: list[int] = []  # furthest end among the intervals starting at or before each one
        furthest = -1
        for _a, b in ordered:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def covers(self, start: int, end: int) -> bool:
        k = bisect_right(self.starts, start)
        return k > 0 and self.reach[k - 1] >= end


def _as_list(value: Any, where: str, key: str, path: str, line: int | None) -> list:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [value]
    if not isinstance(value, list):
        raise ConfigError(E_PACK, f"{where}：{key} 必须是列表", path, line)
    return value


#: a rule pack file larger than this is refused (the shipped ones are a few KiB)
MAX_PACK_BYTES = 8 * 1024 * 1024


def pack_files(directory: str) -> list[str]:
    """The pack files of an ``extra-rule-packs`` directory: ``*.yaml`` then ``*.yml``, sorted."""
    base = Path(directory)
    return [str(p) for p in sorted(base.glob("*.yaml")) + sorted(base.glob("*.yml"))]


def load_pack(path: str | Path, text: str | None = None) -> list[PackRule]:
    """Load one YAML pack file into rules; raise ConfigError on any defect."""
    from ..errors import LoadError
    from ..inputs import read_regular

    path = str(path)
    if text is None:
        try:
            text = read_regular(path, MAX_PACK_BYTES).decode("utf-8")
        except LoadError as err:
            raise ConfigError(E_PACK, f"无法读取规则包：{err.message}", path) from None
        except UnicodeDecodeError as exc:
            raise ConfigError(E_PACK, f"无法读取规则包：{exc}", path) from None
    data = load_yaml_with_lines(text, path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ConfigError(E_PACK, "规则包必须是含 rules 列表的映射", path, 1)
    for key in data:
        if key not in ("pack", "description", "source", "rules", "__line__"):
            raise ConfigError(E_PACK, f"规则包顶层未知键 {key!r}（可用：pack, description, source, rules）", path,
                              data.get("__line__"))
    pack = str(data.get("pack") or Path(path).stem)
    out = []
    for spec in data["rules"]:
        if not isinstance(spec, dict):
            raise ConfigError(E_PACK, "rules 中的每一项都必须是映射", path, data.get("__line__"))
        rule = PackRule(spec, path, pack)
        try:
            rule.validate()
        except ValueError as exc:
            raise ConfigError(E_PACK, f"规则 {rule.code}：{exc}", path, spec.get("__line__")) from None
        out.append(rule)
    return out
