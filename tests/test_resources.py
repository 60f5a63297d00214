"""ecocheck.resources: package data folders without importlib.resources on the common path."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib.resources import files
from pathlib import Path

from ecocheck.resources import data_file, package_dir


def test_a_package_on_disk_is_its_folder():
    folder = package_dir("ecocheck.data")
    assert isinstance(folder, Path)
    assert folder == Path(str(files("ecocheck.data")))
    assert data_file("ecocheck.data", "sections.yaml").read_text(encoding="utf-8") == \
        files("ecocheck.data").joinpath("sections.yaml").read_text(encoding="utf-8")


def test_the_shipped_grammar_and_packs_are_found():
    assert data_file("ecocheck.grammars", "outline.lark").read_bytes().strip()
    assert "placeholders.yaml" in {p.name for p in package_dir("ecocheck.packs").iterdir()}


def test_a_zip_imported_package_falls_back_to_importlib_resources(tmp_path):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped_pkg/__init__.py", "")
        zf.writestr("zipped_pkg/words.yaml", "词: 1\n")
    code = ("from ecocheck.resources import package_dir, data_file\n"
            "folder = package_dir('zipped_pkg')\n"
            "print(type(folder).__module__.startswith('pathlib'), "
            "data_file('zipped_pkg', 'words.yaml').read_text(encoding='utf-8').strip(), "
            "sorted(p.name for p in folder.iterdir()))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                         env={"PYTHONPATH": str(archive), "PYTHONIOENCODING": "utf-8"}).stdout
    assert out.strip() == "False 词: 1 ['__init__.py', 'words.yaml']"
