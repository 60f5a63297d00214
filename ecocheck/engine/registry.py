"""The rule registry: every rule from plugins, built-ins and YAML packs; selection."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import E_PACK, ConfigError
from .rule import FAMILIES, Rule


@dataclass
class Registry:
    """Every rule by code (built-in, plugins, YAML packs), and the problems met loading them."""

    rules: dict[str, Rule] = field(default_factory=dict)  # code -> rule
    problems: list[tuple[str, str]] = field(default_factory=list)  # (plugin, message) load problems

    def add(self, rule: Rule) -> None:
        """Register a rule whose ``source`` is already set; report invalid or duplicate ones."""
        try:
            rule.validate()
        except ValueError as exc:
            self.problems.append((rule.source, str(exc)))
            return
        if rule.code in self.rules:
            other = self.rules[rule.code]
            self.problems.append((rule.source, f"规则代码 {rule.code} 与 {other.source} 的 {other.name} 重复，已忽略"))
            return
        self.rules[rule.code] = rule

    def get(self, key: str) -> Rule | None:
        key = key.strip()
        if key.upper() in self.rules:
            return self.rules[key.upper()]
        for r in self.rules.values():
            if r.name == key:
                return r
        return None

    def sorted(self) -> list[Rule]:
        return [self.rules[c] for c in sorted(self.rules, key=lambda c: (list(FAMILIES).index(c[0]), c))]

    # -- selection ---------------------------------------------------------
    def matches(self, selector: str) -> list[Rule]:
        sel = selector.strip()
        if not sel:
            return []
        if sel.upper() == "ALL":
            return list(self.rules.values())
        up = sel.upper()
        if up[0] in FAMILIES and (len(up) == 1 or up[1:].isdigit()):
            return [r for r in self.rules.values() if r.code.startswith(up)]
        return [r for r in self.rules.values() if r.name == sel or r.source == sel or r.source == f"pack:{sel}"]

    def _opted(self, selector: str) -> list[Rule]:
        """Rules a selector turns on: an opt-in rule (``enabled_by_default`` false) only by its own code or
        name, or by ``ALL`` (which means every rule, as in ruff)."""
        sel = selector.strip()
        return [r for r in self.matches(sel)
                if getattr(r, "enabled_by_default", True) or sel.upper() in ("ALL", r.code) or sel == r.name]

    def select(self, select: list[str] | None, extend_select: list[str], ignore: list[str]) -> list[Rule]:
        if select is None:
            chosen = {r.code for r in self.rules.values() if getattr(r, "enabled_by_default", True)}
        else:
            chosen = {r.code for s in select for r in self._opted(s)}
        for s in extend_select:
            chosen.update(r.code for r in self._opted(s))
        for s in ignore:
            chosen.difference_update(r.code for r in self.matches(s))
        return [r for r in self.sorted() if r.code in chosen]


def build_registry(disabled_plugins: tuple[str, ...] = (), pack_dirs: tuple[str, ...] = ()) -> Registry:
    """Collect rules from every plugin (built-ins included) and every YAML pack."""
    from ..plugin.manager import get_host
    from .packs import load_pack, pack_files

    host = get_host(tuple(disabled_plugins))
    reg = Registry()
    for failure in host.failures:
        reg.problems.append((failure.name, failure.error))
    for source, _plugin, result in host.call_each("ecocheck_rules"):
        for item in result:
            rule = item() if isinstance(item, type) else item
            if not isinstance(rule, Rule):
                reg.problems.append((source, f"ecocheck_rules 返回了非 Rule 对象：{item!r}"))
                continue
            rule.source = source
            reg.add(rule)
    packs: list[tuple[str, Any]] = []
    for source, _plugin, result in host.call_each("ecocheck_rule_packs"):
        packs.extend((source, p) for p in result)
    for d in pack_dirs:
        if not Path(d).is_dir():
            raise ConfigError(E_PACK, f"规则包目录不存在：{d}", d)
        packs.extend(("config", p) for p in pack_files(d))
    for source, pack in packs:
        text = pack.read_text(encoding="utf-8") if source != "config" and hasattr(pack, "read_text") else None
        for rule in load_pack(str(pack), text):
            if source not in ("built-in", "config"):
                rule.source = f"{source} ({rule.source})"
            reg.add(rule)
    return reg
