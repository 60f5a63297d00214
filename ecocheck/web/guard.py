"""The workbench's front door: who may talk to it (an ASGI middleware, no framework needed).

* **Host** (DNS rebinding): a page on some other site can make its own name resolve to
  127.0.0.1 and then read from this server as if it were itself.  Its requests still carry
  its own name in ``Host``, so only the names this server was bound under are answered.
* **Cross-origin writes**: a page on another origin may not POST here (``Origin`` must be this
  server; ``Sec-Fetch-Site`` must not say cross-site).  Tools without a browser (curl, an
  office macro) send neither header and are let through -- they run on this machine already.
* **Token**: served beyond loopback (``--host 0.0.0.0``) every request needs the access token,
  as ``Authorization: Bearer T``, or the cookie set when the page is opened as ``/?token=T``.

Refusals are one-line Chinese messages with a code, as JSON under ``/api/`` and text elsewhere.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from urllib.parse import parse_qs

COOKIE = "ecocheck_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host.strip("[]") in ("0.0.0.0", "::", "")


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """The ``Host`` values answered; None when bound to every interface (the token guards)."""
    if is_wildcard(host):
        return None
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    names = {shown.lower()}
    if is_loopback(host):
        names.update(LOOPBACK_NAMES)
    out = {f"{n}:{port}" for n in names}
    if port == 80:
        out |= names
    return out


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


class Guard:
    def __init__(self, app, *, hosts: set[str] | None, token: str | None):
        self.app = app
        self.hosts = hosts
        self.token = token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        host = headers.get("host", "").lower()
        path = scope.get("path", "")
        if self.hosts is not None and host not in self.hosts:
            return await _refuse(send, path, 403, "E301",
                                 f"拒绝访问：主机名“{host[:60]}”不是本服务的地址（防止 DNS 重绑定）。"
                                 "请用启动时显示的地址打开。")
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() != f"http://{host}" and origin.lower() != f"https://{host}":
                return await _refuse(send, path, 403, "E302", "拒绝来自其他网站的提交（跨站请求）。")
            if headers.get("sec-fetch-site") in ("cross-site", "same-site"):
                return await _refuse(send, path, 403, "E302", "拒绝来自其他网站的提交（跨站请求）。")
        if self.token is not None:
            given = None
            auth = headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            if given is None:
                given = _cookie(headers.get("cookie", ""), COOKIE)
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if query.get("token") and scope["method"] == "GET" and path == "/":
                # opening the page with the token: set the cookie, then drop the token from the address
                if hmac.compare_digest(query["token"][0].encode(), self.token.encode()):
                    return await _redirect_with_cookie(send, self.token)
            if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
                return await _refuse(send, path, 401, "E303",
                                     "需要访问令牌：请使用管理员提供的完整地址（含 ?token=…）打开本页面。")
        return await self.app(scope, receive, send)


async def _refuse(send, path: str, status: int, code: str, message: str) -> None:
    if path.startswith("/api/"):
        body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode()
        ctype = b"application/json; charset=utf-8"
    else:
        body = f"{code} {message}\n".encode()
        ctype = b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send, token: str) -> None:
    cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode()
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", b"/"), (b"set-cookie", cookie), (b"content-length", b"0"),
                            (b"cache-control", b"no-store"), (b"referrer-policy", b"no-referrer")]})
    await send({"type": "http.response.body", "body": b""})
