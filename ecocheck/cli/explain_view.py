"""Renders a rule's documentation for ``ecocheck explain``."""

from __future__ import annotations

from ..engine.rule import FAMILIES


def explain_text(rule) -> str:
    d = rule.doc
    lines = [f"{rule.code} {rule.name}", "",
             f"类别：{rule.code[0]}（{FAMILIES.get(rule.code[0], '')}）  默认级别：{rule.severity.label}"
             f"（{rule.severity.zh}）  来源：{rule.source}",
             f"概要：{rule.summary}", "",
             "## 检查什么", d.what.strip(), "",
             "## 为什么", d.why.strip(), "",
             "## 反例", d.bad.strip(), "",
             "## 正例", d.good.strip()]
    if d.options:
        lines += ["", "## 选项"]
        for name, desc in d.options.items():
            default = rule.options.get(name, None) if isinstance(rule.options, dict) else None
            suffix = f"（默认：{default}）" if default is not None else ""
            lines.append(f"- {name}：{desc}{suffix}")
    if d.references:
        lines += ["", "## 参考"] + [f"- {r}" for r in d.references]
    return "\n".join(lines)
