"""Helpers for the board's tests: the board server in a thread, and a plain SSE reader."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from storywire.services.board.app import create_app
from storywire.services.board.feed import FeedLimits
from storywire.services.runtime.embedded_redis import free_port
from storywire.services.runtime.settings import Settings


@contextmanager
def board_server(
    settings: Settings, *, limits: FeedLimits | None = None, max_clients: int = 200, timeout_s: float = 15.0
) -> Iterator[str]:
    """The board served by uvicorn in a thread on a free port; yields its base URL."""
    port = free_port()
    stopping = threading.Event()
    config = uvicorn.Config(
        create_app(settings, limits=limits, max_clients=max_clients, stopping=stopping),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    # Not the main thread, so uvicorn leaves the test runner's signal handlers alone.
    thread = threading.Thread(target=server.run, name="board-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the board server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stopping.set()
        server.should_exit = True
        thread.join(timeout=15)


@dataclass(frozen=True)
class Event:
    """One Server-Sent Event as a browser would dispatch it."""

    event: str
    data: str
    id: str | None


class SseClient:
    """A minimal EventSource: GET a text/event-stream and read its events one by one."""

    def __init__(self, base_url: str, path: str = "/events", *, last_event_id: str | None = None) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=10)
        headers = {"Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.conn.request("GET", path, headers=headers)
        self.response = self.conn.getresponse()

    def next_event(self) -> Event:
        """The next event (comments and ``retry:`` lines skipped); times out after 10 s of silence."""
        event, event_id = "message", None
        data: list[str] = []
        while True:
            line = self.response.fp.readline().decode("utf-8")
            if not line:
                raise EOFError("the event stream ended")
            line = line.rstrip("\n")
            if not line:
                if data:
                    return Event(event, "\n".join(data), event_id)
                event, data, event_id = "message", [], None
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
            elif name == "id":
                event_id = value

    def close(self) -> None:
        """Drop the connection, as a closed tab would (the response holds the socket too)."""
        self.response.close()
        self.conn.close()
