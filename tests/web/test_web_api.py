"""The workbench's HTTP API (``ecocheck serve``): the same findings as the CLI, downloads, safety rules.

The application runs in-process (Starlette's test client) with its real worker processes.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2; httpx works with every version
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from ecocheck.web.app import Settings, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "s3cret-token-for-tests"


def client_for(folder: Path, **settings) -> TestClient:
    app = create_app(Settings(port=PORT, jobs=2, base_dir=str(folder), **settings))
    return TestClient(app, base_url=BASE)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="module")
def client(folder):
    with client_for(folder) as c:
        yield c


def cli_json(folder: Path, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "ecocheck", *args], cwd=folder, capture_output=True, text=True)
    return json.loads(out.stdout)


def upload(client, path: str, name: str, data: bytes, **kw):
    return client.post(path, files={"file": (name, data)}, **kw)


# ---------------------------------------------------------------------------
# Same findings, same outline as the CLI


@pytest.mark.parametrize("source", ["draft", "report_placeholders.txt", "markdown_report.md", "report_typos.txt"])
def test_lint_gives_the_cli_findings_and_outline(client, folder, draft_docx, source):
    src = draft_docx if source == "draft" else ROOT / "fixtures" / source
    name = src.name
    (folder / name).write_bytes(src.read_bytes())  # the CLI checks the same bytes under the same name
    resp = upload(client, "/api/lint", name, src.read_bytes())
    assert resp.status_code == 200
    body = resp.json()
    assert body["report"] == cli_json(folder, "lint", name, "--format", "json", "--no-cache")
    assert body["outline"] == cli_json(folder, "outline", name, "--format", "json")
    assert body["report"]["files"][0]["findings"], "each of these drafts has something to fix"
    # every finding sits on a paragraph of the document view, on exactly its text
    paras = {p["line"]: p for p in body["document"]}
    for f in body["report"]["files"][0]["findings"]:
        p = paras[f["line"]]
        if f["text"] and f["end_line"] == f["line"]:
            start = f["column"] - 1 - p.get("offset", 0)
            assert p["text"][start:start + len(f["text"])] == f["text"]


def test_configuration_of_the_folder_serve_was_started_in(tmp_path):
    """The nearest config file and its per-file-ignores apply to an upload as to the file in that folder."""
    (tmp_path / "ecocheck.yaml").write_text('per-file-ignores:\n  "草稿*.txt": [H301]\nignore: [S105]\n',
                                            encoding="utf-8")
    text = "一、基本情况\n现有党员**人，其中在职党员XX人。\n".encode()
    with client_for(tmp_path) as c:
        for name in ("草稿一.txt", "定稿.txt"):
            (tmp_path / name).write_bytes(text)
            body = upload(c, "/api/lint", name, text).json()
            assert body["report"] == cli_json(tmp_path, "lint", name, "--format", "json", "--no-cache")
            codes = {f["code"] for f in body["report"]["files"][0]["findings"]}
            assert "S105" not in codes
            assert ("H301" in codes) == (name == "定稿.txt")


# ---------------------------------------------------------------------------
# Judged by the name it was uploaded under (config keyed by file name or glob)

NAMED_CONFIG = ('per-file-ignores:\n  "草稿*.txt": [T403]\n  "*.docx": [H301]\n'
                'genre:\n  "*讲话*": speech\n')


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    """A served folder whose config is keyed by file names (per-file-ignores, a per-glob genre)."""
    folder = tmp_path_factory.mktemp("named")
    (folder / "ecocheck.yaml").write_text(NAMED_CONFIG, encoding="utf-8")
    with client_for(folder) as c:
        yield folder, c


def cli_fix(folder: Path, name: str, data: bytes) -> bytes:
    """What ``ecocheck lint NAME --fix`` leaves in a file called ``name`` in ``folder``."""
    work = folder / "fixcli"
    work.mkdir(exist_ok=True)
    (work / name).write_bytes(data)
    subprocess.run([sys.executable, "-m", "ecocheck", "lint", name, "--fix", "-q", "--no-cache",
                    "--config", str(folder / "ecocheck.yaml")], cwd=work, capture_output=True)
    out = (work / name).read_bytes()
    (work / name).unlink()
    return out


@pytest.mark.parametrize("name", ["草稿一.txt", "定稿.txt"])
def test_fix_honours_per_file_ignores_of_the_upload_name(named, name):
    folder, c = named
    text = "关于2024年度工作的报告\n一、基本情况\n我们认真开展工作,取得了成效.\n".encode()
    (folder / name).write_bytes(text)
    lint = upload(c, "/api/lint", name, text).json()
    assert lint["report"] == cli_json(folder, "lint", name, "--format", "json", "--no-cache")
    resp = upload(c, "/api/fix", name, text)
    assert resp.status_code == 200
    assert resp.content == cli_fix(folder, name, text)
    ignored = name.startswith("草稿")
    assert (resp.content == text) == ignored  # T403 (half-width punctuation) is off for 草稿*.txt only
    assert (resp.headers["x-ecocheck-fixes"] == "0") == ignored


def test_docx_glob_and_per_glob_genre_apply_to_lint_fix_and_annotate(named, draft_docx):
    import docx

    folder, c = named
    data = draft_docx.read_bytes()
    for name in ("局党组讲话（初稿）.docx", draft_docx.name):
        (folder / name).write_bytes(data)
        body = upload(c, "/api/lint", name, data).json()
        assert body["report"] == cli_json(folder, "lint", name, "--format", "json", "--no-cache")
        assert body["outline"] == cli_json(folder, "outline", name, "--format", "json")
        codes = {f["code"] for f in body["report"]["files"][0]["findings"]}
        assert "H301" not in codes  # *.docx: H301 off, though the draft is full of **
        assert (body["outline"]["genre"] == "speech") == ("讲话" in name)
        annotated = upload(c, "/api/annotate", name, data)
        assert annotated.status_code == 200
        comments = [x for x in docx.Document(io.BytesIO(annotated.content)).comments if x.author == "ecocheck"]
        assert len(comments) == len(body["report"]["files"][0]["findings"])
        assert not any("H301" in x.text for x in comments)
        fixed = upload(c, "/api/fix", name, data)
        assert fixed.status_code == 200
        assert fixed.content == cli_fix(folder, name, data)


def test_long_chinese_file_name(client, draft_docx):
    """A name of 100+ Chinese characters is over 255 bytes, more than a file system allows in a name:
    the upload is still checked, fixed and annotated under it (the name never becomes a path)."""
    name = "关于" + "某某单位" * 30 + "政治生态情况的报告（征求意见稿）.docx"
    kept = name[:120 - len(".docx")] + ".docx"  # as safe_name shortens it
    data = draft_docx.read_bytes()
    body = upload(client, "/api/lint", name, data).json()
    assert body["report"]["files"][0]["path"] == kept
    assert body["report"]["files"][0]["findings"] and body["outline"]["path"] == kept
    fixed = upload(client, "/api/fix", name, data)
    assert fixed.status_code == 200 and quote(kept[:-5] + ".fixed.docx") in fixed.headers["content-disposition"]
    annotated = upload(client, "/api/annotate", name, data)
    assert annotated.status_code == 200 and quote(kept[:-5] + ".ecocheck.docx") in annotated.headers["content-disposition"]


def test_outline_json_has_one_home():
    """The API and ``ecocheck outline --format json`` render an outline with the same function (the
    parametrized test above compares their output on real files)."""
    from ecocheck.cli import outline_view
    from ecocheck.reporters import outline_json
    from ecocheck.web import work

    assert outline_view.outline_json is outline_json.outline_json
    assert not hasattr(work, "outline_json") and not hasattr(work, "_node_json")  # no second copy


def test_draft_shows_leftovers_in_cells_and_the_missing_measure(client, draft_docx):
    body = upload(client, "/api/lint", draft_docx.name, draft_docx.read_bytes()).json()
    findings = body["report"]["files"][0]["findings"]
    cells = {p["line"] for p in body["document"] if "table" in p}
    leftovers = [f for f in findings if f["code"] == "H301"]
    assert {f["text"] for f in leftovers} >= {"**", "*"}
    assert any(f["line"] in cells for f in leftovers), "the ** in the table cell is found in place"
    pairing = body["outline"]["pairing"]
    assert len(pairing) == 4
    assert [p["problem"][:3] for p in pairing if p["measure"] is None] == ["（四）"]
    assert any(f["code"] == "P202" and "（四）" in f["message"] for f in findings)


def test_annotate_gives_a_word_copy_with_comments(client, draft_docx):
    import docx

    lint = upload(client, "/api/lint", draft_docx.name, draft_docx.read_bytes()).json()
    resp = upload(client, "/api/annotate", draft_docx.name, draft_docx.read_bytes())
    assert resp.status_code == 200
    assert "filename*=UTF-8''" in resp.headers["content-disposition"]
    assert resp.headers["content-disposition"].endswith(
        "%E5%88%9D%E7%A8%BF%EF%BC%89.ecocheck.docx")  # …（初稿）.ecocheck.docx
    comments = [c for c in docx.Document(io.BytesIO(resp.content)).comments if c.author == "ecocheck"]
    assert len(comments) == int(resp.headers["x-ecocheck-comments"]) == len(lint["report"]["files"][0]["findings"])
    assert any("**" in c.text and "H301" in c.text for c in comments)


def test_fix_gives_the_fixed_copy_named_after_the_original(client, folder):
    text = "关于2024年度工作的报告\n一、基本情况\n我们认真开展工作,取得了成效.\n".encode()
    cli_dir = folder / "fixcli"
    cli_dir.mkdir()
    (cli_dir / "草稿.txt").write_bytes(text)
    subprocess.run([sys.executable, "-m", "ecocheck", "lint", "草稿.txt", "--fix", "-q"], cwd=cli_dir,
                   capture_output=True)
    resp = upload(client, "/api/fix", "草稿.txt", text)
    assert resp.status_code == 200
    assert "%E8%8D%89%E7%A8%BF.fixed.txt" in resp.headers["content-disposition"]
    assert int(resp.headers["x-ecocheck-fixes"]) > 0
    assert resp.content == (cli_dir / "草稿.txt").read_bytes() != text


def test_rules_and_explain(client):
    rules = client.get("/api/rules").json()
    assert {"H301", "P202", "S105"} <= {r["code"] for r in rules}
    doc = client.get("/api/explain/H301").json()
    assert doc["code"] == "H301" and doc["what"] and doc["bad"] and doc["good"]
    assert client.get("/api/explain/placeholder").json()["code"] == "H301"
    missing = client.get("/api/explain/Z999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E200"


def test_page_and_static_files_are_local_only(client):
    page = client.get("/")
    assert page.status_code == 200 and "公文检查工作台" in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    for name in ("app.js", "app.css"):
        body = client.get(f"/static/{name}").text
        assert "http://" not in body and "https://" not in body and "@import" not in body
    assert "http" not in page.text.replace('lang="zh-CN"', "")
    assert client.get("/static/../app.py").status_code == 404


# ---------------------------------------------------------------------------
# Unreadable files: the CLI's E code


@pytest.mark.parametrize("name,data", [
    ("旧格式.doc", b"\xd0\xcf\x11\xe0 legacy"),
    ("损坏.docx", b"PK\x03\x04 not really a zip"),
    ("空白.txt", b""),
    ("乱码.txt", b"\xff\xfe\x00\xd8\x00\xdc" * 3 + b"\x81"),
])
def test_unreadable_file_gets_the_cli_error(client, folder, name, data):
    (folder / name).write_bytes(data)
    cli = cli_json(folder, "lint", name, "--format", "json", "--no-cache")
    cli_finding = cli["files"][0]["findings"][0]
    resp = upload(client, "/api/lint", name, data)
    assert resp.status_code == 422
    body = resp.json()
    assert body["error"] == {"code": cli_finding["code"], "message": cli_finding["message"]}
    assert body["report"] == cli
    for path in ("/api/annotate", "/api/fix"):
        r = upload(client, path, name, data)
        assert r.status_code == 422 and r.json()["error"]["code"] == cli_finding["code"]


def test_request_without_a_file(client):
    r = client.post("/api/lint", data={"other": "x"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E304"
    r = client.post("/api/lint", content=b"plain", headers={"content-type": "text/plain"})
    assert r.status_code == 400


# ---------------------------------------------------------------------------
# Safety


def test_foreign_host_is_refused(client):
    for host in ("evil.example", f"evil.example:{PORT}", "127.0.0.1:1", "192.168.1.5:8765"):
        r = client.get("/api/info", headers={"host": host})
        assert r.status_code == 403 and r.json()["error"]["code"] == "E301", host
        assert "DNS" in r.json()["error"]["message"]
    assert client.get("/", headers={"host": "evil.example"}).status_code == 403
    for host in (f"localhost:{PORT}", f"127.0.0.1:{PORT}"):
        assert client.get("/api/info", headers={"host": host}).status_code == 200


def test_cross_origin_post_is_refused(client, draft_docx):
    data = draft_docx.read_bytes()
    for headers in ({"origin": "http://evil.example"}, {"origin": "null"},
                    {"origin": f"http://localhost:{PORT + 1}"}, {"sec-fetch-site": "cross-site"}):
        r = upload(client, "/api/lint", "a.docx", data, headers=headers)
        assert r.status_code == 403 and r.json()["error"]["code"] == "E302", headers
    ok = upload(client, "/api/lint", "a.docx", data, headers={"origin": BASE, "sec-fetch-site": "same-origin"})
    assert ok.status_code == 200


def test_oversize_upload_gets_413_in_chinese(tmp_path):
    (tmp_path / "ecocheck.yaml").write_text("limits:\n  max-text-bytes: 4096\n", encoding="utf-8")
    with client_for(tmp_path) as c:
        assert c.get("/api/info").json()["max_upload_bytes"] == 4096
        big = ("一、基本情况\n" + "我们认真开展工作。" * 400).encode()
        r = upload(c, "/api/lint", "大文件.txt", big)
        assert r.status_code == 413
        assert r.json()["error"] == {"code": "E009", "message": "文件过大（上限 4 KiB），请拆分后再检查"}
        # declared too large: refused before the body is read
        r = c.post("/api/lint", content=b"x", headers={"content-type": "multipart/form-data; boundary=b",
                                                        "content-length": str(10 ** 9)})
        assert r.status_code == 413
        small = ("一、基本情况\n" + "我们认真开展工作。" * 100).encode()
        assert upload(c, "/api/lint", "小文件.txt", small).status_code == 200


def test_token_mode(tmp_path, draft_docx):
    with client_for(tmp_path, token=TOKEN) as c:
        data = draft_docx.read_bytes()
        refused = upload(c, "/api/lint", "a.docx", data)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "E303"
        assert c.get("/").status_code == 401
        assert c.get("/api/rules", headers={"authorization": "Bearer wrong-token-xxxxxx"}).status_code == 401
        assert upload(c, "/api/lint", "a.docx", data, headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
        # the page opened with ?token= sets a cookie and drops the token from the address
        r = c.get(f"/?token={TOKEN}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"
        assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
        assert c.get("/").status_code == 200
        assert upload(c, "/api/lint", "a.docx", data).status_code == 200
        c.cookies.clear()
        assert c.get("/?token=wrong-token-xxxxxx", follow_redirects=False).status_code == 401


def test_serving_beyond_loopback_needs_a_token(tmp_path):
    from ecocheck.web.server import ServeError, check_token

    for host in ("0.0.0.0", "192.168.1.5", "::"):
        with pytest.raises(ServeError, match="令牌"):
            check_token(host, None)
    with pytest.raises(ServeError, match="太短"):
        check_token("0.0.0.0", "short")
    check_token("0.0.0.0", TOKEN)
    check_token("127.0.0.1", None)
    env = {k: v for k, v in os.environ.items() if k != "ECOCHECK_TOKEN"}
    out = subprocess.run([sys.executable, "-m", "ecocheck", "serve", "--host", "0.0.0.0", "--no-browser"],
                         cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2 and "E200" in out.stderr and "令牌" in out.stderr


def test_bound_to_every_interface_the_token_guards(tmp_path):
    with client_for(tmp_path, host="0.0.0.0", token=TOKEN) as c:
        auth = {"authorization": f"Bearer {TOKEN}"}
        assert c.get("/api/info", headers={"host": "ecocheck.intranet:8765", **auth}).status_code == 200
        assert c.get("/api/info", headers={"host": "ecocheck.intranet:8765"}).status_code == 401


def test_temporary_folder_removed_and_no_document_text_logged(tmp_path, draft_docx, caplog, monkeypatch):
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    caplog.set_level(logging.DEBUG)
    with client_for(tmp_path) as c:
        for path in ("/api/lint", "/api/annotate", "/api/fix"):
            assert upload(c, path, "保密草稿.docx", draft_docx.read_bytes()).status_code == 200
        assert upload(c, "/api/lint", "坏.docx", b"PK broken").status_code == 422
        assert os.listdir(spool) == []
    assert "POST /api/lint 200" in caplog.text
    for secret in ("保密草稿", "局党组", "**局机关"):
        assert secret not in caplog.text


def test_lint_does_not_import_the_web_stack(tmp_path):
    (tmp_path / "a.txt").write_text("一、基本情况\n现有党员**人。\n", encoding="utf-8")
    code = ("import sys\nfrom ecocheck.cli import main\n"
            "try:\n    main(['lint', 'a.txt', '-q'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('starlette', 'uvicorn', 'multipart', 'python_multipart', 'anyio', 'httpx') or m.startswith('ecocheck.web')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_web_sits_on_top():
    """ecocheck.web uses the library as the CLI does and never the CLI; nothing below imports it
    (only the ``serve`` command, lazily)."""
    import ast

    import ecocheck

    pkg = Path(ecocheck.__file__).resolve().parent
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg.parent).with_suffix("").parts
        name = ".".join(rel)
        package = name.rsplit(".", 1)[0]
        imports = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imports.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
                imports.add(".".join(base + ([node.module] if node.module else [])))
        if rel[1] == "web":
            assert not any(i.startswith("ecocheck.cli") for i in imports), name
        elif rel[1] != "cli":
            assert not any(i.startswith("ecocheck.web") for i in imports), name


def test_browser_opening_honours_BROWSER_and_never_fails(tmp_path, monkeypatch):
    import webbrowser

    from ecocheck.web.server import open_browser

    seen = tmp_path / "seen.txt"
    script = tmp_path / "browser.py"
    script.write_text(f"import sys\nopen({str(seen)!r}, 'w').write(sys.argv[1])\n", encoding="utf-8")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {script} %s")
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    assert open_browser("http://127.0.0.1:8765/") is True
    assert seen.read_text() == "http://127.0.0.1:8765/"
    # no display, no browser: False, no exception
    monkeypatch.setenv("BROWSER", str(tmp_path / "no-such-browser"))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    monkeypatch.setattr(webbrowser, "register_standard_browsers", lambda: None)
    assert open_browser("http://127.0.0.1:8765/") is False
    # no display and no BROWSER: not even a console browser is started in the server's terminal
    monkeypatch.delenv("BROWSER")
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: pytest.fail("webbrowser.open called without a display"))
    if sys.platform.startswith("linux"):
        assert open_browser("http://127.0.0.1:8765/") is False


@pytest.mark.parametrize("name,ctype", [("草稿.DOCX", "application/vnd.openxmlformats-officedocument"),
                                        ("草稿.TXT", "text/plain"), ("草稿.Md", "text/markdown")])
def test_upper_case_extension(client, folder, draft_docx, name, ctype):
    """Windows names files 草稿.DOCX; the loader reads them by extension in any case, and so do the downloads."""
    data = draft_docx.read_bytes() if name.lower().endswith(".docx") else \
        "一、基本情况\n我们认真开展工作,取得了成效.\n".encode()
    (folder / name).write_bytes(data)
    body = upload(client, "/api/lint", name, data).json()
    assert body["report"] == cli_json(folder, "lint", name, "--format", "json", "--no-cache")
    fixed = upload(client, "/api/fix", name, data)
    assert fixed.status_code == 200 and fixed.headers["content-type"].startswith(ctype)
    assert quote(name[:-len(name.rsplit(".", 1)[1]) - 1] + ".fixed." + name.rsplit(".", 1)[1]) \
        in fixed.headers["content-disposition"]
    annotated = upload(client, "/api/annotate", name, data)
    assert annotated.status_code == 200
    assert annotated.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
