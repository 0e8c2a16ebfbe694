"""A real HTTP server on loopback for tests: routes, delays, slow drips, gzip, a request log.

Every 127.0.0.x address is loopback on Linux, so servers bound to 127.0.0.2, 127.0.0.3, …
are distinct "hosts" for a crawler; ``::1`` serves on IPv6 loopback. The server speaks HTTP/1.1 with keep-alive, one thread
per connection, and records each request with a monotonic timestamp taken when the request
line arrives, so tests can measure the gap between two requests to one host.

    with HTTPTestServer("127.0.0.2") as site:
        site.add("/a", "<html>…</html>")
        site.add("/b", Route(status=503, headers={"Retry-After": "1"}))
        site.add("/c", lambda request: Route(body=f"hello {request.path}"))
        fetch(site.url("/a"))
        assert site.paths() == ["/a"]

Run as a script to serve a directory-less site from a JSON routes file in another process
(``python -m tests.httpserver --host 127.0.0.2 --routes routes.json``).
"""

from __future__ import annotations

import contextlib
import gzip as gziplib
import io
import itertools
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Route:
    """What the server answers for one path.

    ``delay`` waits before the status line; ``drip`` sends the body ``drip_size`` bytes at a
    time with ``drip`` seconds between pieces (a slow-drip server); ``gzip`` compresses the
    body and sets Content-Encoding. ``body`` may be pre-encoded: pass the header yourself.
    """

    body: bytes | str = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drip: float | None = None
    drip_size: int = 1
    gzip: bool = False
    #: close the connection after this response (no keep-alive)
    close: bool = False


@dataclass(frozen=True)
class Request:
    """One request as the server saw it; ``at`` is ``time.monotonic()`` on arrival."""

    method: str
    path: str
    headers: Mapping[str, str]
    at: float
    wall: float
    client: str


Handler = Callable[[Request], Route]
Answer = Route | Handler | bytes | str

NOT_FOUND = Route(body=b"<html><body>not found</body></html>", status=404)


def gzip_bomb(decoded_size: int) -> bytes:
    """Gzip-compressed zeros that inflate to ``decoded_size`` bytes (built without holding them)."""
    out = io.BytesIO()
    with gziplib.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        block = b"\0" * (1024 * 1024)
        left = decoded_size
        while left > 0:
            gz.write(block[: min(left, len(block))])
            left -= len(block)
    return out.getvalue()


def deflate(data: bytes) -> bytes:
    return zlib.compress(data)


class HTTPTestServer:
    """A threaded HTTP/1.1 server on ``host`` (port 0 picks a free port)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        routes: Mapping[str, Answer] | None = None,
        default: Answer = NOT_FOUND,
    ) -> None:
        self.host = host
        self._requested_port = port
        self.routes: dict[str, Answer] = dict(routes or {})
        self.default = default
        self.log: list[Request] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> HTTPTestServer:
        kind = _Server6 if ":" in self.host else _Server
        server = kind((self.host, self._requested_port), _RequestHandler)
        server.owner = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> HTTPTestServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        return int(self._server.server_address[1])

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://{self.netloc}"

    def url(self, path: str = "/") -> str:
        return self.origin + (path if path.startswith("/") else "/" + path)

    # -- routes and log --------------------------------------------------------------

    def add(self, path: str, answer: Answer) -> None:
        """Serve ``answer`` at ``path`` (exact, with query; else matched without it)."""
        self.routes[path] = answer

    def add_many(self, routes: Mapping[str, Answer]) -> None:
        self.routes.update(routes)

    def requests(self, path: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.log if path is None or r.path == path]

    def paths(self) -> list[str]:
        return [r.path for r in self.requests()]

    def count(self, path: str) -> int:
        return len(self.requests(path))

    def gaps(self, paths: Iterable[str] | None = None) -> list[float]:
        """Seconds between consecutive requests (optionally only those to ``paths``)."""
        wanted = set(paths) if paths is not None else None
        times = sorted(r.at for r in self.requests() if wanted is None or r.path in wanted)
        return [b - a for a, b in itertools.pairwise(times)]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def _record(self, request: Request) -> None:
        with self._lock:
            self.log.append(request)

    def _resolve(self, request: Request) -> Route:
        answer = self.routes.get(request.path)
        if answer is None:
            answer = self.routes.get(urlsplit(request.path).path, self.default)
        if callable(answer):
            answer = answer(request)
        if isinstance(answer, bytes | str):
            answer = Route(body=answer)
        return answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: HTTPTestServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early (the fetcher at its size cap) are expected: stay quiet."""


class _Server6(_Server):
    """The same server on an IPv6 address (``HTTPTestServer("::1")``)."""

    address_family = socket.AF_INET6


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        owner = self.server.owner
        request = Request(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            at=time.monotonic(),
            wall=time.time(),
            client=self.client_address[0],
        )
        owner._record(request)
        route = owner._resolve(request)
        body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
        if route.gzip:
            body = gziplib.compress(body, compresslevel=5)
        if route.delay:
            time.sleep(route.delay)
        try:
            self.send_response(route.status)
            if route.content_type is not None:
                self.send_header("Content-Type", route.content_type)
            if route.gzip:
                self.send_header("Content-Encoding", "gzip")
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            if route.close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if head or route.status in (204, 304):
                return
            if route.drip is None:
                self.wfile.write(body)
                return
            self.wfile.flush()
            for i in range(0, len(body), route.drip_size):
                self.wfile.write(body[i : i + route.drip_size])
                self.wfile.flush()
                time.sleep(route.drip)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            self.close_connection = True


@contextlib.contextmanager
def loopback_servers(first: int = 2) -> Iterator[Callable[..., HTTPTestServer]]:
    """A factory of started servers on 127.0.0.<first>, <first + 1>, … (or ``host=``);
    all are stopped when the block ends."""
    started: list[HTTPTestServer] = []
    numbers = itertools.count(first)

    def make(host: str | None = None, **kw: Any) -> HTTPTestServer:
        server = HTTPTestServer(host or f"127.0.0.{next(numbers)}", **kw)
        started.append(server.start())
        return server

    try:
        yield make
    finally:
        for server in started:
            server.stop()


def _main() -> None:  # pragma: no cover - used by subprocess tests and bench
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--routes", required=True, help="JSON object: path -> body or route fields")
    args = parser.parse_args()
    with open(args.routes, encoding="utf-8") as fh:
        spec = json.load(fh)
    routes: dict[str, Answer] = {
        path: Route(**value) if isinstance(value, dict) else str(value)
        for path, value in spec.items()
    }
    with HTTPTestServer(args.host, args.port, routes) as server:
        print(server.origin, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":  # pragma: no cover
    _main()
