"""The board's HTTP side on a real Redis and a real uvicorn: page, security headers, event stream."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest
import redis as sync_redis

from storywire.contracts import StorySummary
from storywire.services.board.app import sse_event
from storywire.services.runtime.embedded_redis import free_port
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import encode_entry
from tests.conftest import PROJECT
from tests.e2e.harness import SseClient, board_server

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def story(story_id: str, *articles: str) -> StorySummary:
    return StorySummary(
        story_id=story_id,
        headline=f"<b>{story_id}</b>",
        outlets=tuple(f"outlet {a}" for a in articles),
        article_ids=articles,
        first_seen=WHEN,
        last_seen=WHEN,
    )


def add(redis_url: str, stream: str, *stories: StorySummary) -> list[str]:
    with sync_redis.Redis.from_url(redis_url) as client:
        return [client.xadd(stream, encode_entry(s)).decode() for s in stories]


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own local server)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def test_sse_event_frames_each_data_line() -> None:
    assert sse_event("story", '{"a":1}', "1-0") == 'event: story\nid: 1-0\ndata: {"a":1}\n\n'
    assert sse_event("note", "two\nlines") == "event: note\ndata: two\ndata: lines\n\n"


@pytest.mark.integration
def test_the_page_is_served_with_a_strict_content_security_policy(redis_url: str, names: StreamNames) -> None:
    with board_server(Settings(redis_url=redis_url, stream_prefix=names.prefix)) as base:
        status, headers, html = get(base + "/")
        assert status == 200 and "Story board" in html
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        # Everything the page runs is in files of its own, so the CSP can forbid inline code.
        assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "style=" not in html
        for asset in ("/static/board.js", "/static/board.css"):
            assert get(base + asset)[0] == 200, asset
        assert get(base + "/healthz")[0] == 200


@pytest.mark.integration
def test_events_start_with_a_snapshot_then_stream_new_summaries(redis_url: str, names: StreamNames) -> None:
    stream = names.story_summaries
    ids = add(redis_url, stream, story("s1", "a1"), story("s2", "b1"), story("s1", "a1", "a2"))
    with board_server(Settings(redis_url=redis_url, stream_prefix=names.prefix)) as base:
        client = SseClient(base)
        assert client.response.getheader("content-type", "").startswith("text/event-stream")
        first = client.next_event()
        assert first.event == "snapshot" and first.id == ids[-1]
        shown = json.loads(first.data)["stories"]
        assert [(s["story_id"], len(s["article_ids"])) for s in shown] == [("s1", 2), ("s2", 1)]
        assert shown[0]["headline"] == "<b>s1</b>"  # sent as data; the page escapes it

        [new_id] = add(redis_url, stream, story("s2", "b1", "b2"))
        update = client.next_event()
        assert (update.event, update.id) == ("story", new_id)
        assert json.loads(update.data)["article_ids"] == ["b1", "b2"]
        client.close()

        snapshot = json.loads(get(base + "/api/stories")[2])["stories"]
        assert [s["story_id"] for s in snapshot] == ["s2", "s1"]


@pytest.mark.integration
def test_a_reconnecting_client_resumes_after_its_last_event_id(redis_url: str, names: StreamNames) -> None:
    stream = names.story_summaries
    ids = add(redis_url, stream, story("s1", "a1"), story("s2", "b1"), story("s3", "c1"))
    with board_server(Settings(redis_url=redis_url, stream_prefix=names.prefix)) as base:
        client = SseClient(base, last_event_id=ids[0])
        seen = [client.next_event(), client.next_event()]
        assert [(e.event, e.id) for e in seen] == [("story", ids[1]), ("story", ids[2])]
        client.close()


@pytest.mark.integration
def test_event_streams_are_bounded(redis_url: str, names: StreamNames) -> None:
    with board_server(Settings(redis_url=redis_url, stream_prefix=names.prefix), max_clients=1) as base:
        first = SseClient(base)
        assert first.next_event().event == "snapshot"
        status, headers, _ = get(base + "/events")
        assert status == 503 and headers["retry-after"] == "10"
        first.close()


@pytest.mark.integration
def test_serve_stops_on_sigterm_even_with_an_open_event_stream(redis_url: str, names: StreamNames) -> None:
    port = free_port()
    code = (
        "import sys; from storywire.services.board.app import serve; "
        "from storywire.services.runtime.settings import Settings; "
        "serve(Settings(redis_url=sys.argv[1], stream_prefix=sys.argv[2]), '127.0.0.1', int(sys.argv[3]))"
    )
    process = subprocess.Popen([sys.executable, "-c", code, redis_url, names.prefix, str(port)], cwd=PROJECT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the board did not start"
            time.sleep(0.1)
        client = SseClient(base)
        assert client.next_event().event == "snapshot"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        client.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
