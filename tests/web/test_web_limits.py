"""The workbench's per-upload time limit: a document that holds its worker gets E102, the worker is
replaced and the server goes on serving (other uploads included, while the slow one runs).

The slow document is real work, not a sleep: a rule pack (``extra-rule-packs``) whose pattern is
polynomial -- four ``[汉]*`` in a row before a character that never comes, which the pack loader's
check lets through (``engine/regexcheck.py``: it refuses exponential shapes only) -- over one
paragraph of 2,000 characters: some 10^12 steps, far beyond any limit set here.  The rule's own
limit (``limits.rule-seconds``) is set high so that the request limit is the one that acts.
No timing is asserted; every wait is bounded.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from ecocheck.web.app import Settings, create_app  # noqa: E402

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
SLOW_PACK = """\
pack: slowtest
description: 测试用：多项式回溯的模式（请求时间上限的测试）
rules:
  - code: W989
    name: test-slow-pattern
    extends: existence
    severity: info
    summary: 回溯很慢的模式（测试）
    message: 测试
    scope: text
    patterns:
      - '[\\u4e00-\\u9fff]*[\\u4e00-\\u9fff]*[\\u4e00-\\u9fff]*[\\u4e00-\\u9fff]*Q'
    doc: {what: 测试, why: 测试, bad: 测试, good: 测试}
"""
#: a short draft: the slow pattern fails fast on its short lines
QUICK = "关于2024年度工作的报告\n一、基本情况\n现有党员**人。\n".encode()
#: one long line of Chinese characters: the slow pattern never finishes on it
SLOW = ("关于2024年度工作的报告\n一、基本情况\n" + "我们认真落实" * 340 + "\n").encode()


def served_folder(tmp_path: Path) -> Path:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "slow.yaml").write_text(SLOW_PACK, encoding="utf-8")
    (tmp_path / "ecocheck.yaml").write_text("extra-rule-packs: [packs]\nlimits:\n  rule-seconds: 3600\n",
                                            encoding="utf-8")
    return tmp_path


def upload(client, path: str, name: str, data: bytes):
    return client.post(path, files={"file": (name, data)})


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the workers' state")
def test_slow_upload_gets_E102_and_its_worker_is_replaced(tmp_path):
    folder = served_folder(tmp_path)
    app = create_app(Settings(port=PORT, jobs=2, base_dir=str(folder), request_seconds=3))
    with TestClient(app, base_url=BASE) as c:
        # both workers ready (two quick uploads at once take one each)
        with_quick = [None, None]

        def quick(i):
            with_quick[i] = upload(c, "/api/lint", f"快{i}.txt", QUICK).status_code

        threads = [threading.Thread(target=quick, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert with_quick == [200, 200]
        before = app.workers.pids()
        assert len(before) == 2

        answers = {}

        def slow():
            answers["slow"] = upload(c, "/api/lint", "慢.txt", SLOW)

        t = threading.Thread(target=slow)
        t.start()
        # while the slow upload holds one worker, the other one keeps answering
        for i in range(3):
            r = upload(c, "/api/lint", f"快{i}.txt", QUICK)
            assert r.status_code == 200 and r.json()["report"]["files"][0]["findings"]
        t.join(120)
        assert not t.is_alive()
        r = answers["slow"]
        assert r.status_code == 422
        body = r.json()
        assert body["error"]["code"] == "E102" and "3 秒" in body["error"]["message"]
        assert set(body) == {"error"}

        # the worker that held it is gone, a new one took its place
        assert wait_for(lambda: any(not alive(pid) for pid in before))
        gone = [pid for pid in before if not alive(pid)]
        assert len(gone) == 1, "exactly the worker running the slow upload was killed"
        assert wait_for(lambda: len(app.workers.pids()) == 2 and not app.workers.pids() & set(gone))
        for path in ("/api/lint", "/api/fix", "/api/annotate"):
            slow_again = upload(c, path, "慢.txt", SLOW)
            assert slow_again.status_code == 422 and slow_again.json()["error"]["code"] == "E102", path
        assert upload(c, "/api/lint", "快.txt", QUICK).status_code == 200
    # stopped with the app: no worker left behind
    assert wait_for(lambda: not multiprocessing.active_children(), 30)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the workers' state")
def test_a_worker_that_dies_is_replaced(tmp_path):
    """A worker killed while busy (what a crash in a C library looks like to the server) is E003 for
    that upload only; one found dead while idle is replaced before it is given an upload."""
    folder = served_folder(tmp_path)
    app = create_app(Settings(port=PORT, jobs=1, base_dir=str(folder), request_seconds=0))  # 0: no limit
    with TestClient(app, base_url=BASE) as c:
        assert upload(c, "/api/lint", "快.txt", QUICK).status_code == 200
        answers = {}

        def slow():
            answers["slow"] = upload(c, "/api/lint", "慢.txt", SLOW)

        t = threading.Thread(target=slow)
        t.start()
        assert wait_for(lambda: app.workers.busy())
        (pid,) = app.workers.busy()
        os.kill(pid, 9)
        t.join(120)
        assert not t.is_alive()
        r = answers["slow"]
        assert r.status_code == 500 and r.json()["error"]["code"] == "E003"
        assert upload(c, "/api/lint", "快.txt", QUICK).status_code == 200
        # killed while idle: the next upload gets a new worker, not an error
        (pid,) = app.workers.pids()
        os.kill(pid, 9)
        assert wait_for(lambda: not alive(pid))
        assert upload(c, "/api/lint", "快.txt", QUICK).status_code == 200
        assert pid not in app.workers.pids()


def test_time_limit_is_configurable_and_checked(tmp_path):
    from ecocheck.web.server import ServeError, request_seconds

    assert request_seconds(None, 120) == 120 and request_seconds("", 120) == 120
    assert request_seconds("30", 120) == 30 and request_seconds("0", 120) == 0
    for bad in ("abc", "-1", "1e9", "nan"):
        with pytest.raises(ServeError, match="ECOCHECK_SERVE_SECONDS"):
            request_seconds(bad, 120)
    env = {k: v for k, v in os.environ.items() if k != "ECOCHECK_TOKEN"}
    out = subprocess.run([sys.executable, "-m", "ecocheck", "serve", "--no-browser"], cwd=tmp_path,
                         capture_output=True, text=True, env={**env, "ECOCHECK_SERVE_SECONDS": "soon"}, timeout=60)
    assert out.returncode == 2 and "E200" in out.stderr and "ECOCHECK_SERVE_SECONDS" in out.stderr


def test_time_limit_of_a_real_server(tmp_path, multipart, start_server):
    """``ECOCHECK_SERVE_SECONDS`` reaches a real ``ecocheck serve``: the slow upload is cut short."""
    srv = start_server(served_folder(tmp_path), jobs=1, env={"ECOCHECK_SERVE_SECONDS": "2"})

    def post(name: str, data: bytes):
        body, ctype = multipart(name, data)
        return urllib.request.Request(f"{srv.url}/api/lint", body, {"Content-Type": ctype})

    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(post("慢.txt", SLOW), timeout=120)
    assert err.value.code == 422 and b"E102" in err.value.read()
    with urllib.request.urlopen(post("快.txt", QUICK), timeout=120) as resp:
        assert resp.status == 200
    srv.stop()
    log = srv.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "POST /api/lint 422" in log


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the budget reads /proc/self/statm")
def test_memory_budget_of_the_configuration_applies(tmp_path):
    """``limits.max-memory-mib`` bounds an upload's work in the worker as it bounds ``ecocheck lint``
    (scaled down as in tests/test_hostile_config.py: 16 MiB and a .docx that needs more once parsed)."""
    from make_docx import build_docx

    build_docx(["关于某局的报告", "一、基本情况"] + ["现有党员XX人，" + "认真学习贯彻，" * 40] * 2000, tmp_path / "big.docx")
    (tmp_path / "ecocheck.yaml").write_text("limits:\n  max-memory-mib: 16\n", encoding="utf-8")
    data = (tmp_path / "big.docx").read_bytes()
    out = subprocess.run([sys.executable, "-m", "ecocheck", "lint", "big.docx", "--format", "json", "--no-cache"],
                         cwd=tmp_path, capture_output=True, text=True)
    cli = json.loads(out.stdout)
    assert cli["files"][0]["findings"][0]["code"] == "E009"
    app = create_app(Settings(port=PORT, jobs=1, base_dir=str(tmp_path)))
    with TestClient(app, base_url=BASE) as c:
        r = upload(c, "/api/lint", "big.docx", data)
        assert r.status_code == 422 and r.json()["report"] == cli
        assert r.json()["error"]["code"] == "E009" and "max-memory-mib" in r.json()["error"]["message"]
        for path in ("/api/fix", "/api/annotate"):
            r = upload(c, path, "big.docx", data)
            assert r.status_code == 422 and r.json()["error"]["code"] == "E009", path
        # the worker lives on, within its budget for the next upload
        pids = app.workers.pids()
        assert upload(c, "/api/lint", "快.txt", QUICK).status_code == 200
        assert app.workers.pids() == pids
