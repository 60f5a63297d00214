"""Make the release tag ``v<version>`` from the version in pyproject.toml.

    python tools/release.py          # check, then create the annotated tag v<version> at HEAD
    python tools/release.py --check  # only check (CI can run this)

Checks: the working tree is clean, pyproject.toml and ecocheck/__init__.py agree on the version, CHANGELOG.md
has a ``## <version>`` section, and no tag ``v<version>`` exists yet.  Pushing the tag is left to the maintainer
(``git push origin v<version>``).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'(?m)^version = "([^"]+)"', text).group(1)


def problems(ver: str) -> list[str]:
    out = []
    init = (ROOT / "ecocheck" / "__init__.py").read_text(encoding="utf-8")
    if f'__version__ = "{ver}"' not in init:
        out.append(f"ecocheck/__init__.py does not say __version__ = {ver!r}")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    if not re.search(rf"(?m)^## {re.escape(ver)}\b", changelog):
        out.append(f"CHANGELOG.md has no '## {ver}' section")
    git = ["git", "-C", str(ROOT)]
    if subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout.strip():
        out.append("the working tree has uncommitted changes")
    if subprocess.run([*git, "rev-parse", "-q", "--verify", f"refs/tags/v{ver}"], capture_output=True).returncode == 0:
        out.append(f"tag v{ver} exists already")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    ver = version()
    found = problems(ver)
    for p in found:
        print(f"release: {p}", file=sys.stderr)
    if found:
        return 1
    if not args.check:
        subprocess.run(["git", "-C", str(ROOT), "tag", "-a", f"v{ver}", "-m", f"ecocheck {ver}"], check=True)
        print(f"tagged v{ver}; push it with: git push origin v{ver}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
