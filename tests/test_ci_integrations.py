"""The pre-commit hook and the CI snippets in docs/ parse and have the right shape."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def yaml_blocks(path: Path) -> list:
    text = path.read_text(encoding="utf-8")
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def test_pre_commit_hook():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "ecocheck"]
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["ecocheck", "lint"] and "--force-exclude" in hook["entry"]
    files = re.compile(hook["files"])
    exclude = re.compile(hook["exclude"])
    for name in ("报告.docx", "a/b.TXT", "notes.md", "x.markdown"):
        assert files.search(name) and not exclude.search(name), name
    for name in ("a.doc", "a.pdf", "docx.py"):
        assert not files.search(name), name
    assert exclude.search("dir/~$报告.docx") and exclude.search("报告.ecocheck.docx")


def test_github_workflows():
    blocks = [b for b in yaml_blocks(ROOT / "docs" / "ci.md") if isinstance(b, dict) and "jobs" in b]
    assert len(blocks) == 2
    sarif, annotations = blocks
    steps = sarif["jobs"]["ecocheck"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert any("--format sarif" in r and "--output ecocheck.sarif" in r for r in runs)
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload and upload[0]["with"]["sarif_file"] == "ecocheck.sarif"
    assert sarif["permissions"]["security-events"] == "write"
    assert any("--format github" in s.get("run", "") for s in annotations["jobs"]["ecocheck"]["steps"])


def test_gitlab_job():
    jobs = [b for b in yaml_blocks(ROOT / "docs" / "ci.md") if isinstance(b, dict) and "ecocheck" in b
            and "script" in b["ecocheck"]]
    assert len(jobs) == 1
    job = jobs[0]["ecocheck"]
    reports = job["artifacts"]["reports"]
    assert job["artifacts"]["when"] == "always"
    assert any(f"--format gitlab --output {reports['codequality']}" in line for line in job["script"])
    assert any(f"--format junit --output {reports['junit']}" in line for line in job["script"])


def test_pre_commit_snippet_names_the_hook():
    blocks = [b for b in yaml_blocks(ROOT / "docs" / "ci.md") if isinstance(b, dict) and "repos" in b]
    assert blocks[0]["repos"][0]["hooks"][0]["id"] == "ecocheck"


def test_configuration_example_uses_only_known_keys():
    from ecocheck.config.schema import KEYS

    (example,) = [b for b in yaml_blocks(ROOT / "docs" / "configuration.md") if isinstance(b, dict)]
    assert set(example) == set(KEYS)


@pytest.mark.parametrize("doc", ["ci.md", "configuration.md"])
def test_doc_commands_use_real_options(doc):
    from typer.testing import CliRunner

    from ecocheck.cli.app import app

    help_text = CliRunner().invoke(app, ["lint", "--help"], env={"COLUMNS": "200"}).stdout
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    for cmd in re.findall(r"ecocheck lint ([^\n`]*)", text):
        for opt in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", cmd):
            assert opt in help_text, (doc, opt)


def test_readme_ci_sections():
    """The README's own GitHub Actions and GitLab CI snippets parse and run ecocheck the right way."""
    blocks = [b for b in yaml_blocks(ROOT / "README.md") if isinstance(b, dict)]
    github = [b for b in blocks if "jobs" in b]
    gitlab = [b for b in blocks if "ecocheck" in b and "script" in b["ecocheck"]]
    assert len(github) == 1 and len(gitlab) == 1
    steps = github[0]["jobs"]["ecocheck"]["steps"]
    assert any("ecocheck lint" in s.get("run", "") and "--format github" in s["run"] for s in steps)
    job = gitlab[0]["ecocheck"]
    report = job["artifacts"]["reports"]["codequality"]
    assert any(f"--format gitlab --output {report}" in line for line in job["script"])
    assert job["artifacts"]["when"] == "always"


@pytest.mark.parametrize("doc", ["docs/ci.md", "README.md"])
def test_ci_snippets_install_from_a_git_copy_not_from_pypi(doc):
    # ecocheck is not on PyPI: ``pip install ecocheck`` would fail (or fetch someone else's package)
    from packaging.requirements import Requirement

    text = (ROOT / doc).read_text(encoding="utf-8")
    installs = re.findall(r"pip install (\"[^\"]+\"|\S+)", text)
    snippet_installs = [i for i in installs if "ecocheck" in i and not i.startswith((".", '"."', '".['))]
    assert snippet_installs, doc
    for spec in snippet_installs:
        requirement = Requirement(spec.strip('"'))
        assert requirement.name.startswith("ecocheck") and requirement.url.startswith("git+https://"), spec
