"""The import arrow points one way: cli → fix → api → reporters → run → engine → config → outline → loaders → ooxml → model.

The same order as the import-linter contract in pyproject.toml; rules (Python rules, a plugin of the engine) and
plugin (the pluggy host) sit beside the layers and are held here too."""

import ast
from pathlib import Path

import pytest

import ecocheck

PKG = Path(ecocheck.__file__).resolve().parent

# module prefix -> prefixes it must never import
FORBIDDEN = {
    "ecocheck.model": ["ecocheck.loaders", "ecocheck.outline", "ecocheck.config", "ecocheck.engine", "ecocheck.run",
                       "ecocheck.rules", "ecocheck.api", "ecocheck.reporters", "ecocheck.cli", "ecocheck.fix",
                       "ecocheck.plugin", "ecocheck.ooxml"],
    # the OOXML layer (package, XML safety, names, the walk, styles) knows no .docx reader above it
    "ecocheck.ooxml": ["ecocheck.loaders", "ecocheck.outline", "ecocheck.config", "ecocheck.engine", "ecocheck.run",
                       "ecocheck.rules", "ecocheck.api", "ecocheck.reporters", "ecocheck.cli", "ecocheck.fix",
                       "ecocheck.plugin"],
    "ecocheck.limits": ["ecocheck"],  # imports nothing of ecocheck: every layer may use it
    "ecocheck.loaders": ["ecocheck.outline", "ecocheck.config", "ecocheck.engine", "ecocheck.run", "ecocheck.rules",
                         "ecocheck.api", "ecocheck.reporters", "ecocheck.cli", "ecocheck.fix"],
    "ecocheck.outline": ["ecocheck.config", "ecocheck.engine", "ecocheck.run", "ecocheck.rules", "ecocheck.api",
                         "ecocheck.reporters", "ecocheck.cli", "ecocheck.fix"],
    "ecocheck.config": ["ecocheck.engine", "ecocheck.run", "ecocheck.rules", "ecocheck.api", "ecocheck.reporters",
                        "ecocheck.cli", "ecocheck.fix"],
    "ecocheck.engine": ["ecocheck.run", "ecocheck.api", "ecocheck.reporters", "ecocheck.cli", "ecocheck.fix"],
    "ecocheck.rules": ["ecocheck.config", "ecocheck.run", "ecocheck.api", "ecocheck.reporters", "ecocheck.cli",
                       "ecocheck.fix"],
    "ecocheck.plugin": ["ecocheck.config", "ecocheck.run", "ecocheck.api", "ecocheck.reporters", "ecocheck.cli",
                        "ecocheck.fix", "ecocheck.rules"],
    "ecocheck.run": ["ecocheck.api", "ecocheck.reporters", "ecocheck.cli", "ecocheck.fix"],
    "ecocheck.reporters": ["ecocheck.api", "ecocheck.cli", "ecocheck.fix"],
    "ecocheck.api": ["ecocheck.cli"],
    "ecocheck.fix": ["ecocheck.cli"],
}


def _modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        name = ".".join(rel.parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        yield name, path


def _imports(name: str, path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            yield mod
            for alias in node.names:
                yield f"{mod}.{alias.name}"


@pytest.mark.parametrize("name,path", list(_modules()), ids=lambda x: x if isinstance(x, str) else "")
def test_layering(name, path):
    rules = [bad for layer, bads in FORBIDDEN.items() if name == layer or name.startswith(layer + ".") for bad in bads]
    offending = sorted({imp for imp in _imports(name, path)
                        for bad in rules if imp == bad or imp.startswith(bad + ".")})
    assert not offending, f"{name} imports {offending}"
