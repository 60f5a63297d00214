"""The workbench's web application: the page, its static files and the HTTP API.

Routes (documented for integrations in docs/web-api.md):

* ``GET /`` -- the page (``static/index.html``); ``GET /static/app.js``, ``/static/app.css``.
* ``POST /api/lint`` (multipart, field ``file``) -- ``{"report": <lint --format json>,
  "outline": <outline --format json>, "document": [paragraphs]}``.
* ``POST /api/annotate`` / ``POST /api/fix`` (multipart ``file``) -- the annotated copy
  (``--annotate``) / the safely fixed copy (``--fix``) as a download named after the original.
* ``GET /api/rules``, ``GET /api/explain/{code}``, ``GET /api/info``.

Each upload is written to a temporary folder of its own (as ``upload.EXT``: the writer's file
name is never a path here), checked in a worker process (:mod:`.work`, :mod:`.pool`) under the name it
was uploaded with and within the request time limit (E102 past it), and the folder is removed
when the answer is sent.  The request body is read
into memory up to the loader's size limit and never spooled anywhere else.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from . import work
from .pool import Pool, TimedOut, WorkerCrashed, WorkerDied
from .guard import Guard, allowed_hosts

log = logging.getLogger("ecocheck.web")

STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
STATIC_FILES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
#: what a multipart body may hold beyond the file itself (boundaries, part headers)
MULTIPART_SLACK = 64 * 1024
#: seconds one upload may take its worker (lint, annotate or fix) unless configured otherwise
DEFAULT_REQUEST_SECONDS = 120

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    config_file: str | None = None  # --config; None: the nearest config file above base_dir
    base_dir: str = "."  # the folder ``serve`` was started in
    isolated: bool = False
    jobs: int = 2  # worker processes
    request_seconds: float = DEFAULT_REQUEST_SECONDS  # per upload, in its worker; 0: no limit


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}, **extra}, status_code=status,
                        headers={"cache-control": "no-store"})


class _InMemoryParser(MultiPartParser):
    # the whole body is already in memory (and capped): never spool the file part to disk
    spool_max_size = 1 << 62


def safe_name(name: str | None) -> str:
    """The upload's file name, reduced to a plain name (no folders, no control characters)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    if len(name) > 120:
        stem, ext = os.path.splitext(name)
        name = stem[:120 - len(ext)] + ext
    return name or "未命名.txt"


def upload_file_name(name: str) -> str:
    """The temporary file's name for an upload called ``name``: ``upload`` with the upload's
    extension (which decides the format; an unsupported one is reported by the loader as for the
    CLI).  The writer's name is only ever matched against config patterns (``work.judged_as``):
    a long Chinese name can exceed the file system's 255 bytes, and none of it reaches a path."""
    ext = os.path.splitext(name)[1]
    return "upload" + (ext if len(ext.encode("utf-8", "surrogatepass")) <= 32 else "")


def _limit_message(limit: int) -> str:
    size = f"{limit // 1048576} MiB" if limit >= 1048576 else f"{max(1, limit // 1024)} KiB"
    return f"文件过大（上限 {size}），请拆分后再检查"


async def read_upload(request: Request, limit: int) -> tuple[str, bytes]:
    """The ``file`` field of a multipart request: (safe name, bytes).  413 past ``limit``."""
    cap = limit + MULTIPART_SLACK
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise ApiError(413, "E009", _limit_message(limit))
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        raise ApiError(400, "E304", "请以 multipart/form-data 上传文件（字段名 file）")
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise ApiError(413, "E009", _limit_message(limit))
            chunks.append(chunk)
    except ClientDisconnect:
        raise ApiError(400, "E304", "上传中断") from None
    body = b"".join(chunks)
    del chunks

    async def stream():
        yield body
        yield b""

    try:
        form = await _InMemoryParser(Headers(raw=request.scope["headers"]), stream(), max_files=1, max_fields=10).parse()
    except MultiPartException:
        raise ApiError(400, "E304", "上传内容无法解析：请以 multipart/form-data 上传一个文件（字段名 file）") from None
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ApiError(400, "E304", "请求中没有文件（multipart 字段名应为 file）")
    data = await upload.read()
    await form.close()
    if len(data) > limit:
        raise ApiError(413, "E009", _limit_message(limit))
    return safe_name(upload.filename), data


def _download(data: bytes, name: str, extra: dict[str, str]) -> Response:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    headers = {"content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
               "cache-control": "no-store", **extra}
    low = name.lower()  # 草稿.DOCX, as Windows names files, is a .docx too (the loader's format_of)
    ctype = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document" if low.endswith(".docx")
             else "text/markdown; charset=utf-8" if low.endswith((".md", ".markdown"))
             else "text/plain; charset=utf-8")
    return Response(data, media_type=ctype, headers=headers)


def create_app(settings: Settings | None = None) -> Starlette:
    """The application: ``Guard`` (Host / Origin / token) around the routes."""
    settings = settings or Settings()
    settings.base_dir = os.path.abspath(settings.base_dir)
    work.init(settings.config_file, settings.base_dir, settings.isolated)  # the rules, for /api/rules
    limit = work.upload_limit(work.config_for("draft.txt"))
    workers = Pool(settings.jobs, (settings.config_file, settings.base_dir, settings.isolated),
                   settings.request_seconds)
    slots = asyncio.Semaphore(max(1, settings.jobs) * 4)  # uploads held in memory at once

    async def with_upload(request: Request, fn):
        async with slots:
            name, data = await read_upload(request, limit)
            with tempfile.TemporaryDirectory(prefix="ecocheck-serve-") as folder:
                path = os.path.join(folder, upload_file_name(name))  # the writer's name is no path here
                with open(path, "wb") as fh:
                    fh.write(data)
                del data
                try:
                    return await workers.run(fn, path, name)
                except TimedOut as exc:
                    raise ApiError(422, "E102", f"检查超过时间上限（{exc.args[0]:g} 秒），文件可能过于复杂，"
                                                "请拆分后再检查") from None
                except WorkerDied:
                    raise ApiError(500, "E003", "检查进程意外退出（文件可能过于复杂），请重试或拆分文件后再检查") from None
                except WorkerCrashed as exc:
                    raise ApiError(500, "E003", f"检查失败（{exc.args[0]}），请确认文件未损坏") from None

    async def api_lint(request: Request) -> Response:
        out = await with_upload(request, work.lint_upload)
        status = 422 if "error" in out else 200
        return JSONResponse(out, status_code=status, headers={"cache-control": "no-store"})

    async def api_annotate(request: Request) -> Response:
        data, name, comments = await with_upload(request, work.annotate_upload)
        return _download(data, name, {"x-ecocheck-comments": str(comments)})

    async def api_fix(request: Request) -> Response:
        data, name, edits = await with_upload(request, work.fix_upload)
        return _download(data, name, {"x-ecocheck-fixes": str(edits)})

    async def api_rules(request: Request) -> Response:
        return JSONResponse(work.rules_json())

    async def api_explain(request: Request) -> Response:
        doc = work.explain_json(request.path_params["code"])
        if doc is None:
            return error_response(404, "E200", f"没有规则 {request.path_params['code'][:40]!r}")
        return JSONResponse(doc)

    async def api_info(request: Request) -> Response:
        return JSONResponse({"version": __version__, "max_upload_bytes": limit, "token": settings.token is not None})

    async def page(request: Request) -> Response:
        with open(os.path.join(STATIC, "index.html"), "rb") as fh:
            return Response(fh.read(), media_type="text/html; charset=utf-8", headers={"cache-control": "no-store"})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return Response("未找到\n", status_code=404, media_type="text/plain; charset=utf-8")
        with open(os.path.join(STATIC, name), "rb") as fh:
            return Response(fh.read(), media_type=STATIC_FILES[name], headers={"cache-control": "no-cache"})

    async def on_api_error(request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message)

    async def on_work_error(request: Request, exc: work.WorkError) -> Response:
        return error_response(422, exc.code, exc.message)

    def lifespan(app):
        from contextlib import asynccontextmanager

        @asynccontextmanager
        async def span(_app):
            workers.start()
            try:
                yield
            finally:
                workers.stop()

        return span(app)

    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route("/api/lint", api_lint, methods=["POST"]),
        Route("/api/annotate", api_annotate, methods=["POST"]),
        Route("/api/fix", api_fix, methods=["POST"]),
        Route("/api/rules", api_rules),
        Route("/api/explain/{code}", api_explain),
        Route("/api/info", api_info),
    ]
    inner = Starlette(routes=routes, lifespan=lifespan,
                      exception_handlers={ApiError: on_api_error, work.WorkError: on_work_error})
    app = _Logged(Guard(inner, hosts=allowed_hosts(settings.host, settings.port), token=settings.token))
    app.workers = workers  # for tests and the server
    return app


class _Logged:
    """One log line per request -- method, path (never the query: it may hold the token), status and
    time -- and the security headers on every answer.  No file name, no document text."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = 0

        async def send_with_headers(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": list(message.get("headers", [])) + SECURITY_HEADERS}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            log.info("%s %s %s %.0f ms", scope["method"], scope["path"][:80], status,
                     (time.perf_counter() - start) * 1000)
