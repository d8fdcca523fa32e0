"""Each worker serves /healthz, /readyz and /metrics; readiness follows its subscribers."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from storywire.contracts import RawArticle
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, running, wait_for_entries

pytestmark = pytest.mark.integration


async def _get(port: int, path: str) -> tuple[int, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _, body = raw.decode().partition("\r\n\r\n")
    return int(head.split(" ")[1]), body


def test_a_running_worker_is_healthy_ready_and_exports_metrics(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        settings = fast_settings(redis_url, names, http_port=0, http_host="127.0.0.1")
        async with running(settings, ["cleaner"]) as worker:
            text = "The council approved the budget on Tuesday after a long and heated debate in the city."
            await publish(redis, names.raw, RawArticle(article_id="m1", content=text + "\n\n" + text))
            await wait_for_entries(redis, names.clean, 1)
            port = worker.http.port
            assert port is not None
            assert await _get(port, "/healthz") == (200, "ok\n")
            assert await _get(port, "/readyz") == (200, "ready\n")
            status, metrics = await _get(port, "/metrics")
            assert status == 200
            assert 'storywire_messages_total{outcome="published",stage="cleaner"} 1.0' in metrics
            assert f'storywire_stream_length{{stream="{names.clean}"}} 1.0' in metrics
            assert f'storywire_group_pending{{group="cleaner",stream="{names.raw}"}} 0.0' in metrics
            assert "storywire_dead_letters" in metrics and "storywire_stories_open" in metrics
            assert (await _get(port, "/nope"))[0] == 404

            # A subscriber that stops makes the worker unready, though Redis is fine.
            for subscriber in worker.broker.subscribers:
                await subscriber.stop()
            status, detail = await _get(port, "/readyz")
            assert status == 503
            assert "subscriber cleaner stopped" in detail
        await redis.aclose()

    asyncio.run(scenario())
