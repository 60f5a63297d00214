"""``ecocheck serve``: run the workbench with uvicorn and open the browser on it."""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import webbrowser

from .app import Settings, create_app
from .guard import is_loopback

DEFAULT_PORT = 8765
#: ports tried after the default one when it is taken (only when --port was not given)
PORT_TRIES = 10
MIN_TOKEN_LENGTH = 12
TOKEN_ENV = "ECOCHECK_TOKEN"
#: seconds one upload may take its worker (default ``app.DEFAULT_REQUEST_SECONDS``; 0: no limit)
SECONDS_ENV = "ECOCHECK_SERVE_SECONDS"
MAX_REQUEST_SECONDS = 3600


class ServeError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(f"{code} {message}")
        self.code, self.message = code, message


def _free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host.strip("[]"), port))
        except OSError:
            return False
    return True


def pick_port(host: str, port: int | None) -> int:
    if port is not None:
        if not _free(host, port):
            raise ServeError("E200", f"端口 {port} 已被占用或无法使用，请用 --port 换一个端口")
        return port
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES):
        if _free(host, candidate):
            return candidate
    raise ServeError("E200", f"端口 {DEFAULT_PORT}–{DEFAULT_PORT + PORT_TRIES - 1} 都已被占用，请用 --port 指定端口")


def check_token(host: str, token: str | None) -> None:
    if not is_loopback(host) and not token:
        raise ServeError("E200", f"在 {host} 上提供服务会让局域网内的其他电脑访问本机，必须设置访问令牌："
                                 f"--token 令牌 或环境变量 {TOKEN_ENV}（见 docs/zh/常见问题.md）")
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ServeError("E200", f"访问令牌太短（至少 {MIN_TOKEN_LENGTH} 个字符），请使用随机生成的长令牌")


def request_seconds(value: str | None, default: float) -> float:
    """The per-upload time limit from ``ECOCHECK_SERVE_SECONDS`` (unset or empty: ``default``)."""
    if value is None or not value.strip():
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_REQUEST_SECONDS:  # nan fails both
        raise ServeError("E200", f"环境变量 {SECONDS_ENV} 应为 0（不限时）到 {MAX_REQUEST_SECONDS} 之间的秒数，"
                                 f"而不是 {value[:40]!r}")
    return seconds


def url_of(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def open_browser(url: str) -> bool:
    """Open ``url`` in the writer's browser (``BROWSER`` honoured); False, never an error, without one.

    On a Linux machine without a display and without ``BROWSER``, nothing is tried: Python's
    ``webbrowser`` would fall back to a console browser (lynx, w3m) in the server's own terminal."""
    if sys.platform.startswith("linux") and not os.environ.get("BROWSER") \
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    try:
        return bool(webbrowser.open(url, new=2))
    except Exception:  # noqa: BLE001 - no display, no browser: the address is printed anyway
        return False


def serve(settings: Settings, *, browser: bool = True, port_given: bool = False, echo=print) -> None:
    import uvicorn

    check_token(settings.host, settings.token)
    settings.request_seconds = request_seconds(os.environ.get(SECONDS_ENV), settings.request_seconds)
    settings.port = pick_port(settings.host, settings.port if port_given else None)
    app = create_app(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    config = uvicorn.Config(app, host=settings.host.strip("[]"), port=settings.port, log_level="warning",
                            access_log=False, server_header=False, date_header=False, lifespan="on",
                            limit_concurrency=64)
    server = uvicorn.Server(config)
    url = url_of(settings.host, settings.port, settings.token)
    echo(f"ecocheck 工作台已启动：{url}")
    if not is_loopback(settings.host):
        echo("注意：局域网内的其他电脑可以访问本服务，请只把带令牌的地址告诉需要使用的同事。")
    echo("在浏览器中打开上面的地址，把文稿拖进页面即可检查。按 Ctrl+C 停止。")
    if browser:
        def when_started():
            for _ in range(600):  # up to a minute: the workers start before the server listens
                if server.started:
                    if not open_browser(url):
                        echo("（没有找到可用的浏览器，请手动打开上面的地址）")
                    return
                if server.should_exit:
                    return
                threading.Event().wait(0.1)

        threading.Thread(target=when_started, daemon=True).start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    sys.stdout.flush()
