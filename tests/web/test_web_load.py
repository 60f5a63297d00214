"""A bounded load test of a real ``ecocheck serve`` on 127.0.0.1: 50 uploads, 8 at a time.

Every answer must be right (the same report each time), and nothing may pile up: no
temporary folder left, no file descriptor or worker process more than before, the
server's memory not growing with the number of requests.  Only loopback traffic; the
loop is bounded in count and each request in time.
"""

from __future__ import annotations

import http.client
import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

REQUESTS = 50
CONCURRENCY = 8


def _post(port: int, body: bytes, ctype: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", "/api/lint", body=body, headers={"Content-Type": ctype})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads /proc to count descriptors")
def test_fifty_uploads_eight_at_a_time(server, draft_docx, multipart):
    body, ctype = multipart(draft_docx.name, draft_docx.read_bytes())
    # warm up: every worker process started (they start on demand) and has loaded the rules
    status, first = _post(server.port, body, ctype)
    assert status == 200
    expected = json.loads(first)["report"]
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        assert [s for s, _ in pool.map(lambda _: _post(server.port, body, ctype), range(CONCURRENCY))] \
            == [200] * CONCURRENCY
    fds, children, rss = server.fds(), sorted(server.children()), _rss_kib(server.proc.pid)

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(lambda _: _post(server.port, body, ctype), range(REQUESTS)))

    assert [s for s, _ in results] == [200] * REQUESTS
    assert all(json.loads(r)["report"] == expected for _, r in results)
    assert os.listdir(server.tmp) == [], "each request's temporary folder is removed"
    assert server.fds() <= fds + 2  # the listening socket may hold an idle keep-alive or two
    assert len(server.children()) == len(children)
    # 50 more uploads of a ~40 KB draft: a leak of each request's document or results would
    # show as tens of MB; allocator noise stays far below that
    assert _rss_kib(server.proc.pid) - rss < 32 * 1024
    assert server.proc.poll() is None
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "局党组" not in log
