"""A stage computing on a long article leaves its worker answering, its lease held and its time bounded."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from redis.asyncio import Redis

from storywire.contracts import DeadLetter, RawArticle
from storywire.services.cleaner.cleaning import clean_article
from storywire.services.dedup.assigning import features_of
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries
from tests.integration.test_endpoints import _get

pytestmark = pytest.mark.integration

TEXT = "The council approved the budget on Tuesday after a long and heated debate in the city hall."


def _busy(seconds: float) -> None:
    """Pure Python work, as the text code is: it holds the interpreter, not a lock the loop could wait on."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sum(range(1000))


def test_a_worker_answers_probes_and_holds_its_lease_while_a_stage_computes(
    redis_url: str, names: StreamNames, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_clean(*args: Any, **kwargs: Any) -> Any:
        _busy(2.5)
        return clean_article(*args, **kwargs)

    monkeypatch.setattr("storywire.services.cleaner.app.clean_article", slow_clean)

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        settings = fast_settings(redis_url, names, http_port=0, reclaim_idle_ms=900)
        async with running(settings, ["cleaner"]) as worker:
            await publish(redis, names.raw, RawArticle(article_id="long", content=f"{TEXT}\n\n{TEXT}"))
            await asyncio.sleep(0.3)
            assert worker.http.port is not None
            slowest_probe = longest_idle = 0.0
            while not await redis.xlen(names.clean):
                started = time.monotonic()
                assert await _get(worker.http.port, "/healthz") == (200, "ok\n")
                slowest_probe = max(slowest_probe, time.monotonic() - started)
                for row in await redis.xpending_range(names.raw, "cleaner", "-", "+", 10):
                    longest_idle = max(longest_idle, row["time_since_delivered"] / 1000)
                await asyncio.sleep(0.1)
            assert slowest_probe < 0.5
            # Renewed every third of the reclaim time, the entry never looks abandoned to another consumer.
            assert longest_idle < 0.9
        await redis.aclose()

    asyncio.run(scenario())


def test_an_article_over_the_stage_time_budget_is_dead_lettered_with_that_reason(
    redis_url: str, names: StreamNames, monkeypatch: pytest.MonkeyPatch
) -> None:
    def endless_features(*args: Any, **kwargs: Any) -> Any:
        _busy(30)
        return features_of(*args, **kwargs)

    monkeypatch.setattr("storywire.services.dedup.app.features_of", endless_features)

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        settings = fast_settings(redis_url, names, stage_time_budget_s=0.5)
        async with running(settings, ["cleaner", "dedup"]):
            started = time.monotonic()
            await publish(redis, names.raw, RawArticle(article_id="endless", content=f"{TEXT}\n\n{TEXT}"))
            assert await wait_for_entries(redis, names.dead_letters("dedup"), 1, timeout_s=20) == 1
            assert time.monotonic() - started < 10
            (letter,) = await read_all(redis, names.dead_letters("dedup"), DeadLetter)
            assert letter.error_type == "TimeBudgetExceeded"
            assert letter.article_id == "endless"
        await redis.aclose()

    asyncio.run(scenario())
