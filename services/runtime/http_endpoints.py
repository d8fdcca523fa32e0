"""Health, readiness and metrics over HTTP, served by each worker process.

A few fixed GET routes do not need a web framework: this is a small
``asyncio`` server that lives and dies with the worker's FastStream app.
``/healthz`` says the process is up; ``/readyz`` says Redis answers and every
subscriber and background loop is running; ``/metrics`` is Prometheus text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[tuple[bool, str]]]
Render = Callable[[], Awaitable[bytes]]

_REASONS = {
    200: "OK",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_MAX_REQUEST = 8192


class HttpEndpoints:
    """The worker's HTTP side: ``start(port)`` then ``stop()``."""

    def __init__(self, *, ready: Check, metrics: Render) -> None:
        self._ready = ready
        self._metrics = metrics
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int | None:
        """The port actually bound (useful when asked for port 0)."""
        if self._server is None or not self._server.sockets:
            return None
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self, host: str, port: int) -> None:
        """Listen on ``host:port`` (port 0 picks a free one)."""
        self._server = await asyncio.start_server(self._serve, host, port)
        log.info("health, readiness and metrics on http://%s:%s", host, self.port)

    async def stop(self) -> None:
        """Stop listening and close the server."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
            method, path, *_ = head[:_MAX_REQUEST].decode("latin-1").split(" ", 2)
            status, content_type, body = await self._route(method, path.split("?", 1)[0])
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError):
            writer.close()
            return
        except Exception:
            log.exception("endpoint failed")
            status, content_type, body = 500, "text/plain", b"internal error\n"
        writer.write(
            f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        try:
            await writer.drain()
        finally:
            writer.close()

    async def _route(self, method: str, path: str) -> tuple[int, str, bytes]:
        if method != "GET":
            return 405, "text/plain", b"GET only\n"
        if path == "/healthz":
            return 200, "text/plain", b"ok\n"
        if path == "/readyz":
            ready, detail = await self._ready()
            return (200 if ready else 503), "text/plain", detail.encode() + b"\n"
        if path == "/metrics":
            return 200, "text/plain; version=0.0.4; charset=utf-8", await self._metrics()
        return 404, "text/plain", b"not found\n"
