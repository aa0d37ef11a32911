"""A threaded local HTTP server for the replica site.

Fault injection: ``server.faults[path] = hook`` where ``hook(handler) -> bool``; a hook
that returns True has answered the request itself (see ``fail_times``), False lets the
normal response through. ``path`` is the request path with its query, as in
``server.requests``; the key "*" applies to every path.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .builder import Resource, Site
from .site import build_site

NOT_FOUND = (
    '<html><head><meta charset="utf-8"><title>404 - 找不到文件</title></head>'
    "<body><h1>404 - 找不到文件或目录。</h1></body></html>"
).encode()

FaultHook = Callable[[BaseHTTPRequestHandler], bool]


def fail_times(n: int, status: int = 500, retry_after: int | None = None) -> FaultHook:
    """A fault hook answering `status` to the first `n` requests, then letting them through."""
    lock = threading.Lock()
    left = [n]

    def hook(handler: BaseHTTPRequestHandler) -> bool:
        with lock:
            if left[0] <= 0:
                return False
            left[0] -= 1
        body = f"<html><body>error {status}</body></html>".encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        if retry_after is not None:
            handler.send_header("Retry-After", str(retry_after))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)
        return True

    return hook


def answer(
    status: int,
    body: bytes = b"",
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
    length: int | None = None,
) -> FaultHook:
    """A fault hook giving this answer every time. ``length`` promises a Content-Length the
    body does not have (a cut-off download): the connection closes after the body."""

    def hook(handler: BaseHTTPRequestHandler) -> bool:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body) if length is None else length))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)
        if length is not None:
            handler.close_connection = True
        return True

    return hook


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/6.0"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and benchmarks make thousands of requests

    def do_HEAD(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        owner = self.server.owner
        path = self.path
        if path.startswith(("http://", "https://")):  # absolute-form request line (proxies)
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        with owner.lock:
            owner.requests.append(path)
        hook = owner.faults.get(path) or owner.faults.get("*")
        if hook is not None and hook(self):
            return
        res = owner.site.get(path) if owner.site else None
        if res is None:
            res = Resource(NOT_FOUND, status=404)
        self._send(res)

    def _send(self, res: Resource) -> None:
        etag = '"' + hashlib.sha1(res.body).hexdigest()[:16] + '"'
        if res.status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(res.status)
        self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(len(res.body)))
        if res.status == 200:
            self.send_header("ETag", etag)
        self.send_header("X-Powered-By", "ASP.NET")
        for name, value in res.headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(res.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: ReplicaServer


class ReplicaServer:
    """Serve the replica on 127.0.0.1; the site is built once the port (and so the URL) is known."""

    def __init__(
        self,
        extra_issues: int = 0,
        port: int = 0,
        host: str = "127.0.0.1",
        builder: Callable[[str], Site] | None = None,
    ) -> None:
        self.extra_issues = extra_issues
        # Another site (a test's own variant of the paper) can be served instead.
        self.builder = builder
        self.host = host
        self.port = port
        self.site: Site | None = None
        self.requests: list[str] = []
        self.faults: dict[str, FaultHook] = {}
        self.lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self.port}"

    def bind(self) -> None:
        """Bind the socket and build the site, without serving yet (used by the CLI)."""
        if self._httpd is not None:
            return
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        if self.builder is not None:
            self.site = self.builder(self.base_url)
        else:
            self.site = build_site(self.base_url, extra_issues=self.extra_issues)

    def start(self) -> ReplicaServer:
        self.bind()
        assert self._httpd is not None
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replica-server", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.bind()
        assert self._httpd is not None
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self._httpd is None:
            return
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()
        self._httpd = None

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
