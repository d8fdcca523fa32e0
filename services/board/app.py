"""The story board's web app: a static page and a Server-Sent Events feed of story summaries.

``create_app(settings)`` is the composition root: it builds a Starlette app whose Redis
connection is opened in the lifespan, never at import. ``serve`` runs it under uvicorn until
SIGINT or SIGTERM.

Routes:

``GET /``
    The board page (``static/index.html``); its script and style sit beside it in ``static/``.
``GET /events``
    ``text/event-stream``: one ``snapshot`` event (the latest summary of the most recent
    stories, newest first), then a ``story`` event per new ``StorySummary``. Every event
    carries its stream entry id, so a reconnecting ``EventSource`` (``Last-Event-ID``)
    resumes where it stopped instead of taking a new snapshot.
``GET /api/stories``
    The snapshot as JSON, for scripts and debugging.
``GET /healthz``
    200 when Redis answers.
"""

from __future__ import annotations

import logging
import re
import signal
import threading
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import uvicorn
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storywire.services.board.feed import FeedLimits, Snapshot, StoryEntry, follow, snapshot
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
#: What a browser may load: only this origin, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_ENTRY_ID = re.compile(r"^\d{1,20}-\d{1,20}$")
#: How long an EventSource waits before reconnecting after the connection drops.
_RETRY_MS = 3_000
#: Idle streams get a comment this often, so proxies do not close them.
_KEEP_ALIVE_S = 15.0


def sse_event(event: str, data: str, event_id: str | None = None) -> str:
    """One Server-Sent Events frame; ``data`` may span lines (each becomes a ``data:`` line)."""
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.extend(f"data: {line}" for line in data.split("\n"))
    return "\n".join(lines) + "\n\n"


def story_json(entry: StoryEntry) -> str:
    """A story as the page reads it: the StorySummary's JSON."""
    return entry.story.model_dump_json()


def snapshot_json(snap: Snapshot) -> str:
    """A snapshot as the page reads it: ``{"stories": [StorySummary, ...]}``, newest first."""
    stories = ",".join(story_json(entry) for entry in snap.stories)
    return f'{{"stories":[{stories}]}}'


@dataclass
class _Board:
    """What the routes share: made by ``create_app``, connected in the lifespan."""

    settings: Settings
    stream: str
    limits: FeedLimits
    max_clients: int
    stopping: threading.Event
    redis: Redis | None = None
    clients: int = 0

    def client(self) -> Redis:
        if self.redis is None:
            raise RuntimeError("the board's Redis connection is opened in the app's lifespan")
        return self.redis


def create_app(
    settings: Settings,
    *,
    limits: FeedLimits | None = None,
    max_clients: int = 200,
    stopping: threading.Event | None = None,
) -> Starlette:
    """The board's ASGI app over ``settings.redis_url`` and ``settings.stream_prefix``.

    ``max_clients`` bounds the open event streams: each holds a Redis connection in XREAD BLOCK.
    Once ``stopping`` is set, event streams end within ``limits.block_ms``, so the server can
    shut down without cutting them off.
    """
    if settings.redis_url is None:
        raise ValueError("the board needs settings.redis_url")
    board = _Board(
        settings=settings,
        stream=StreamNames(settings.stream_prefix).story_summaries,
        limits=limits or FeedLimits(max_payload_bytes=settings.max_payload_bytes),
        max_clients=max_clients,
        stopping=stopping or threading.Event(),
    )

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        assert settings.redis_url is not None
        board.redis = Redis.from_url(settings.redis_url, health_check_interval=10, socket_keepalive=True)
        try:
            # Fail at start-up, with the reason, rather than on the first page load.
            await board.redis.ping()
            log.info("story board reading %s", board.stream)
            yield
        finally:
            await board.redis.aclose()
            board.redis = None

    async def page(_request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    async def events(request: Request) -> Response:
        if board.clients >= board.max_clients:
            return PlainTextResponse("too many board clients", status_code=503, headers={"Retry-After": "10"})
        resume = request.headers.get("last-event-id", "")
        stream = _event_stream(board, resume if _ENTRY_ID.match(resume) else None)
        return StreamingResponse(
            stream,
            media_type="text/event-stream",
            # no-transform and X-Accel-Buffering keep proxies from buffering the stream.
            headers={"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"},
        )

    async def stories(_request: Request) -> Response:
        snap = await snapshot(board.client(), board.stream, board.limits)
        return Response(snapshot_json(snap), media_type="application/json")

    async def healthz(_request: Request) -> Response:
        try:
            await board.client().ping()
        except RedisError as exc:
            return JSONResponse({"ok": False, "error": type(exc).__name__}, status_code=503)
        return JSONResponse({"ok": True})

    routes: Sequence[Route | Mount] = [
        Route("/", page),
        Route("/events", events),
        Route("/api/stories", stories),
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    app = Starlette(routes=list(routes), lifespan=lifespan)
    app.add_middleware(_SecurityHeaders)
    return app


async def _event_stream(board: _Board, resume_from: str | None) -> AsyncIterator[str]:
    """The SSE frames of one connection; Starlette cancels it when the client goes away."""
    board.clients += 1
    try:
        redis = board.client()
        yield f"retry: {_RETRY_MS}\n\n"
        if resume_from is None:
            snap = await snapshot(redis, board.stream, board.limits)
            last = snap.last_id
            yield sse_event("snapshot", snapshot_json(snap), last)
        else:
            last = resume_from
        quiet_since = time.monotonic()
        async for batch in follow(redis, board.stream, last, board.limits):
            if board.stopping.is_set():
                return
            if batch:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= _KEEP_ALIVE_S:
                quiet_since = time.monotonic()
                yield ": keep-alive\n\n"
            for entry in batch:
                yield sse_event("story", story_json(entry), entry.entry_id)
    except RedisError as exc:
        # Ending the response makes the page's EventSource reconnect (with Last-Event-ID).
        log.warning("board event stream stopped: %s", exc)
    finally:
        board.clients -= 1


class _SecurityHeaders:
    """Adds the CSP and friends to every response; a plain ASGI wrapper, so streams stay unbuffered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Server(uvicorn.Server):
    """uvicorn's server, telling the board's event streams when a signal asks it to stop."""

    def __init__(self, config: uvicorn.Config, stopping: threading.Event) -> None:
        super().__init__(config)
        self.stopping = stopping

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.stopping.set()
        super().handle_exit(sig, frame)


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the board on ``host:port`` until SIGINT or SIGTERM; then return normally."""
    stopping = threading.Event()
    config = uvicorn.Config(
        create_app(settings, stopping=stopping),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        # Our handlers and format (configure_logging), not uvicorn's coloured ones.
        log_config=None,
        server_header=False,
        # Event streams notice `stopping` within one XREAD block; past this they are cut off.
        timeout_graceful_shutdown=5,
    )
    # uvicorn re-raises the signal it stopped on once it is done; these handlers take it,
    # so the caller gets a plain return instead of KeyboardInterrupt or death by SIGTERM.
    previous = {sig: signal.signal(sig, _handled) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        _Server(config, stopping).run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _handled(_sig: int, _frame: FrameType | None) -> None:
    """The signal was already acted on (the server shut down because of it)."""
