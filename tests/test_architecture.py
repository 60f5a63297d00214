"""The import arrow points one way: cli → fix → api → reporters → run → engine → config → outline → loaders → ooxml → model.

The layers are the import-linter contract in pyproject.toml (which CI runs as ``lint-imports``, see
:func:`test_the_import_linter_contract_is_kept`); docs/developing.md's layer table lists them in the same order.
This test reads the contract and checks every module's own imports against it, and holds the packages beside
the layers: rules (the built-in rules, a plugin of the engine), plugin (the pluggy host) and limits."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ecocheck

PKG = Path(ecocheck.__file__).resolve().parent
ROOT = Path(__file__).resolve().parents[1]


def _contract_layers() -> list[str]:
    """The layers of the import-linter contract, highest first."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in data["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return contract["layers"]


LAYERS = _contract_layers()
# beside the layers: module prefix -> prefixes it must never import
BESIDE = {
    "ecocheck.limits": ["ecocheck"],  # imports nothing of ecocheck: every layer may use it
    "ecocheck.rules": ["ecocheck.config", "ecocheck.run", "ecocheck.api", "ecocheck.reporters", "ecocheck.cli",
                       "ecocheck.fix"],
    "ecocheck.plugin": ["ecocheck.config", "ecocheck.run", "ecocheck.api", "ecocheck.reporters", "ecocheck.cli",
                        "ecocheck.fix", "ecocheck.rules"],
}
# a layer never imports the layers above it, nor the built-in rules (below the model: nor the plugin host)
FORBIDDEN = {layer: LAYERS[:k] + ["ecocheck.rules"] for k, layer in enumerate(LAYERS)}
FORBIDDEN["ecocheck.model"].append("ecocheck.plugin")
FORBIDDEN["ecocheck.ooxml"].append("ecocheck.plugin")  # the OOXML layer knows no .docx reader above it
FORBIDDEN.update(BESIDE)


def test_the_layers_are_the_ones_the_docs_draw():
    assert LAYERS == ["ecocheck.cli", "ecocheck.fix", "ecocheck.api", "ecocheck.reporters", "ecocheck.run",
                      "ecocheck.engine", "ecocheck.config", "ecocheck.outline", "ecocheck.loaders", "ecocheck.ooxml",
                      "ecocheck.model"]
    table = (ROOT / "docs" / "developing.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \w+ \| `ecocheck/(\w+)(?:/|\.py)`", table, re.M)
    drawn = [f"ecocheck.{name}" for name in rows if f"ecocheck.{name}" in LAYERS]
    assert drawn == LAYERS[::-1], "docs/developing.md's layer table lists the contract's layers, lowest first"


def test_the_import_linter_contract_is_kept():
    """What CI runs: ``lint-imports`` over the installed package (indirect imports included)."""
    pytest.importorskip("importlinter")
    exe = Path(sys.executable).with_name("lint-imports")
    res = subprocess.run([str(exe), "--config", str(ROOT / "pyproject.toml")], capture_output=True, text=True,
                         cwd=ROOT, check=False, timeout=300)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert "1 kept, 0 broken" in res.stdout


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
