"""Fixtures of the workbench tests (``ecocheck serve``): the draft as .docx, a real server.

The server is a real ``python -m ecocheck serve`` process on 127.0.0.1 (a free port chosen
here), with its own temporary folder (TMPDIR) so tests can see that nothing is left behind.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
DRAFT_SPEC = HERE / "draft_four_three.yaml"
#: the name the writer's file has (a Chinese name, as in real life)
DRAFT_NAME = "政治生态情况报告（初稿）.docx"


def build_draft(folder: Path, name: str = DRAFT_NAME) -> Path:
    from make_docx import build_docx  # tools/, put on sys.path by tests/conftest.py

    spec = yaml.safe_load(DRAFT_SPEC.read_text(encoding="utf-8"))["paragraphs"]
    path = folder / name
    build_docx(spec, path)
    return path


@pytest.fixture(scope="session")
def draft_docx(tmp_path_factory) -> Path:
    return build_draft(tmp_path_factory.mktemp("draft"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running ``ecocheck serve`` (stopped by :meth:`stop`)."""

    def __init__(self, folder: Path, *args: str, jobs: int = 2, env: dict | None = None):
        self.port = free_port()
        self.tmp = folder / "tmp"
        self.tmp.mkdir()
        self.log = folder / "serve.log"
        self.url = f"http://127.0.0.1:{self.port}"
        environ = {**os.environ, "TMPDIR": str(self.tmp), **(env or {})}
        environ.pop("ECOCHECK_TOKEN", None)
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ecocheck", "serve", "--no-browser", "--port", str(self.port),
                 "--jobs", str(jobs), *args],
                cwd=folder, env=environ, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/info", timeout=5) as r:
                    self.info = json.load(r)
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"ecocheck serve did not start:\n{self.log.read_text(errors='replace')}")
                time.sleep(0.2)

    def children(self) -> list[int]:
        try:
            out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        except OSError:
            return []
        return [int(x) for x in out.stdout.split()]

    def fds(self) -> int:
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("serve"))
    yield srv
    srv.stop()


@pytest.fixture
def start_server():
    """``start_server(folder, *args, jobs=, env=)``: a :class:`Server`, stopped after the test."""
    started: list[Server] = []

    def start(folder: Path, *args: str, **kw) -> Server:
        started.append(Server(folder, *args, **kw))
        return started[-1]

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture(scope="session")
def multipart():
    return _multipart


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with one ``file`` field (no client library needed)."""
    boundary = "----ecocheck-test-boundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
