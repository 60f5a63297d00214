"""The installed package (not the checkout) carries its grammar, packs and data."""

import json
import os
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

import ecocheck


def _editable() -> bool:
    direct = distribution("ecocheck").read_text("direct_url.json")
    return bool(direct and json.loads(direct).get("dir_info", {}).get("editable"))


def test_package_resources_ship_inside_the_package():
    from importlib.resources import files

    assert files("ecocheck.grammars").joinpath("outline.lark").is_file()
    assert files("ecocheck.packs").joinpath("placeholders.yaml").is_file()
    assert files("ecocheck.data").joinpath("sections.yaml").is_file()


def test_tests_run_against_the_installed_wheel(root):
    if _editable():
        pytest.skip("editable development install")
    installed = Path(ecocheck.__file__).resolve().parent
    assert installed != (root / "ecocheck").resolve(), installed
    assert "site-packages" in installed.parts


def test_cli_from_another_directory(tmp_path, root):
    draft = tmp_path / "draft.txt"
    draft.write_text("某局报告\n一、基本情况\n现有党员**人。\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("ecocheck")
    env = {**os.environ, "PYTHONPATH": ""}
    res = subprocess.run([str(exe), "lint", "draft.txt", "-f", "json"], cwd=tmp_path, capture_output=True,
                         text=True, env=env)
    assert res.returncode == 1, res.stderr
    data = json.loads(res.stdout)
    assert "H301" in [f["code"] for f in data["files"][0]["findings"]]
    res = subprocess.run([sys.executable, "-m", "ecocheck", "--version"], cwd=tmp_path, capture_output=True,
                         text=True, env=env)
    assert res.returncode == 0 and res.stdout.strip() == f"ecocheck {ecocheck.__version__}"
