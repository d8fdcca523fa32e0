"""Shutdown, restarts and outages: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis as sync_redis
from redis.asyncio import Redis

from storywire.contracts import CleanArticle, RawArticle
from storywire.services.runtime.embedded_redis import EmbeddedRedis
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PROJECT = Path(__file__).resolve().parents[2]


def _articles(prefix: str, count: int) -> list[RawArticle]:
    body = "The council approved the {n} budget on Tuesday after a debate that lasted {n} hours in the hall."
    return [
        RawArticle(article_id=f"{prefix}{n}", content="\n\n".join(body.format(n=n + k) for k in range(3)))
        for n in range(count)
    ]


def _worker(url: str, names: StreamNames) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "STORYWIRE_HTTP_PORT": "0",
        "STORYWIRE_BATCH_SIZE": "8",
        "STORYWIRE_BLOCK_MS": "50",
        "STORYWIRE_GRACEFUL_TIMEOUT_S": "10",
    }
    command = [
        sys.executable,
        "-m",
        "storywire.services.cli",
        "run",
        "cleaner",
        "--redis-url",
        url,
        "--prefix",
        names.prefix,
    ]
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _clean_ids(client: sync_redis.Redis, names: StreamNames) -> Counter[str]:
    return Counter(CleanArticle.model_validate_json(f[b"data"]).article_id for _, f in client.xrange(names.clean))


def test_sigterm_finishes_in_flight_work_and_a_restart_resumes(redis_url: str, names: StreamNames) -> None:
    client = sync_redis.Redis.from_url(redis_url)
    asyncio.run(_publish_all(redis_url, names.raw, _articles("g", 400)))
    worker = _worker(redis_url, names)
    deadline = time.monotonic() + 60
    while client.xlen(names.clean) < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    stopped_at = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
    assert time.monotonic() - stopped_at < 15, "did not stop within the graceful timeout"
    assert client.xpending(names.raw, "cleaner")["pending"] == 0, "in-flight work was left unacknowledged"
    assert client.xlen(names.clean) < 400, "the worker finished everything before the signal: no test"

    restarted = _worker(redis_url, names)
    try:
        deadline = time.monotonic() + 120
        while client.xlen(names.clean) < 400 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)
    ids = _clean_ids(client, names)
    assert len(ids) == 400 and max(ids.values()) == 1
    client.close()


async def _publish_all(url: str, stream: str, articles: list[RawArticle]) -> None:
    redis = Redis.from_url(url)
    await publish(redis, stream, *articles)
    await redis.aclose()


def test_workers_back_off_reconnect_and_resume_after_redis_restarts(tmp_path: Path) -> None:
    server = EmbeddedRedis(data_dir=tmp_path, appendonly=True, extra_args=("--appendfsync", "always"))
    url = server.start()
    names = StreamNames("outage:")

    async def scenario() -> None:
        redis = Redis.from_url(url)
        async with running(fast_settings(url, names), ["cleaner"]):
            await publish(redis, names.raw, *_articles("before", 50))
            assert await wait_for_entries(redis, names.clean, 50) == 50
            server.stop(kill=True)
            await asyncio.sleep(1.0)
            server.start()
            for _ in range(100):  # the server replays its append-only file first
                try:
                    await publish(redis, names.raw, *_articles("after", 50))
                    break
                except Exception:  # noqa: BLE001 (loading or not yet accepting)
                    await asyncio.sleep(0.1)
            assert await wait_for_entries(redis, names.clean, 100, timeout_s=60) == 100
        cleaned = await read_all(redis, names.clean, CleanArticle)
        counts = Counter(c.article_id for c in cleaned)
        assert len(counts) == 100 and max(counts.values()) == 1
        assert (await redis.xpending(names.raw, "cleaner"))["pending"] == 0
        await redis.aclose()

    try:
        asyncio.run(scenario())
    finally:
        server.cleanup()
