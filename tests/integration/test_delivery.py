"""Delivery through the runtime on a real Redis: groups, poison, idempotency, reclaim, retention."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from storywire.contracts import CleanArticle, DeadLetter, RawArticle
from storywire.services.runtime.maintenance import Maintenance, safe_trim_id
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries

pytestmark = pytest.mark.integration

TEXT = (
    "The city council approved the new budget on Tuesday after a long debate.\n\n"
    "The mayor said the plan would fund three new schools and repair the old bridge."
)


def raw(article_id: str, text: str = TEXT) -> RawArticle:
    return RawArticle(article_id=article_id, content=text, content_type="text/plain")


def test_a_message_published_before_start_is_processed(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await publish(redis, names.raw, raw("early-1"))
        async with running(fast_settings(redis_url, names), ["cleaner"]):
            assert await wait_for_entries(redis, names.clean, 1) == 1
        cleaned = await read_all(redis, names.clean, CleanArticle)
        assert [c.article_id for c in cleaned] == ["early-1"]
        await redis.aclose()

    asyncio.run(scenario())


def test_poison_goes_to_the_dead_letters_and_good_messages_still_flow(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await redis.xadd(names.raw, {"data": b"{not json"})
        await redis.xadd(names.raw, {"data": b'{"article_id": "x", "content": ""}'})
        await redis.xadd(names.raw, {"data": b"\xff\xfe\x00binary"})
        await redis.xadd(names.raw, {"nodata": b"1"})
        await publish(redis, names.raw, raw("good-1"))
        settings = fast_settings(redis_url, names, max_payload_bytes=2048)
        await redis.xadd(names.raw, {"data": b'{"content": "' + b"a" * 4096 + b'"}'})
        async with running(settings, ["cleaner"]):
            await wait_for_entries(redis, names.dead_letters("cleaner"), 5)
            await wait_for_entries(redis, names.clean, 1)
        letters = await read_all(redis, names.dead_letters("cleaner"), DeadLetter)
        kinds = sorted(letter.error_type for letter in letters)
        assert kinds == ["InvalidJson", "MissingData", "NotUtf8", "PayloadTooLarge", "SchemaViolation"]
        assert all(letter.stage == "cleaner" and letter.attempts == 1 for letter in letters)
        assert [c.article_id for c in await read_all(redis, names.clean, CleanArticle)] == ["good-1"]
        assert (await redis.xpending(names.raw, "cleaner"))["pending"] == 0
        await redis.aclose()

    asyncio.run(scenario())


def test_republishing_an_unchanged_article_publishes_nothing_new(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await publish(
            redis,
            names.raw,
            raw("same"),
            raw("same"),
            raw("same", TEXT + "\n\nThe council will vote again on the school plan next month, officials said."),
        )
        async with running(fast_settings(redis_url, names), ["cleaner"]):
            await wait_for_entries(redis, names.clean, 2)
            await asyncio.sleep(0.3)
        cleaned = await read_all(redis, names.clean, CleanArticle)
        assert [c.article_id for c in cleaned] == ["same", "same"]
        assert cleaned[0].content_hash != cleaned[1].content_hash
        await redis.aclose()

    asyncio.run(scenario())


def test_entries_left_pending_by_a_dead_consumer_are_reclaimed(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await redis.xgroup_create(names.raw, "cleaner", id="0", mkstream=True)
        await publish(redis, names.raw, raw("orphan-1"), raw("orphan-2"))
        # A consumer reads both and dies without acknowledging.
        await redis.xreadgroup("cleaner", "crashed-consumer", {names.raw: ">"}, count=10)
        settings = fast_settings(redis_url, names, reclaim_idle_ms=300)
        async with running(settings, ["cleaner"]) as worker:
            assert await wait_for_entries(redis, names.clean, 2, timeout_s=15) == 2
            assert worker.runners["cleaner"].counters.reclaimed == 2
        assert (await redis.xpending(names.raw, "cleaner"))["pending"] == 0
        await redis.aclose()

    asyncio.run(scenario())


def test_an_entry_delivered_too_often_is_dead_lettered_with_its_attempts(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await redis.xgroup_create(names.raw, "cleaner", id="0", mkstream=True)
        await publish(redis, names.raw, raw("crashes-workers"))
        # Delivered three times to a consumer that crashed each time.
        for read_from in (">", "0", "0"):
            await redis.xreadgroup("cleaner", "crashed", {names.raw: read_from}, count=1)
        settings = fast_settings(redis_url, names, reclaim_idle_ms=100, max_deliveries=3)
        async with running(settings, ["cleaner"]):
            await wait_for_entries(redis, names.dead_letters("cleaner"), 1, timeout_s=15)
        (letter,) = await read_all(redis, names.dead_letters("cleaner"), DeadLetter)
        assert letter.error_type == "TooManyDeliveries"
        assert letter.attempts == 3
        assert await redis.xlen(names.clean) == 0
        await redis.aclose()

    asyncio.run(scenario())


def test_streams_are_trimmed_only_below_what_every_group_acknowledged(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        ids = await publish(redis, names.raw, *(raw(f"a{i}") for i in range(6)))
        await redis.xgroup_create(names.raw, "fast", id="0")
        await redis.xgroup_create(names.raw, "slow", id="0")
        fast = await redis.xreadgroup("fast", "f", {names.raw: ">"}, count=6)
        await redis.xack(names.raw, "fast", *[i for i, _ in fast[0][1]])
        slow = await redis.xreadgroup("slow", "s", {names.raw: ">"}, count=3)
        await redis.xack(names.raw, "slow", slow[0][1][0][0])  # acked 1 of 3, 3 unread
        assert await safe_trim_id(redis, names.raw) == ids[1].decode()
        maintenance = Maintenance(redis, fast_settings("redis://unused", names), names)
        assert await maintenance.trim(names.raw) == 1
        remaining = [i for i, _ in await redis.xrange(names.raw)]
        assert remaining == ids[1:]
        await redis.aclose()

    asyncio.run(scenario())


def test_idle_consumers_with_nothing_pending_are_removed_from_their_group(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await publish(redis, names.raw, raw("d1"), raw("d2"))
        await redis.xgroup_create(names.raw, "cleaner", id="0")
        await redis.xreadgroup("cleaner", "gone-idle", {names.raw: ">"}, count=1)
        await redis.xack(names.raw, "cleaner", (await redis.xrange(names.raw))[0][0])
        await redis.xreadgroup("cleaner", "still-owes", {names.raw: ">"}, count=1)
        await asyncio.sleep(0.05)
        maintenance = Maintenance(redis, fast_settings(redis_url, names, dead_consumer_idle_ms=10), names)
        assert await maintenance.remove_dead_consumers(names.raw, "cleaner") == ["gone-idle"]
        remaining = [c["name"] for c in await redis.xinfo_consumers(names.raw, "cleaner")]
        assert remaining == [b"still-owes"]  # it holds a pending entry: kept until reclaimed
        await redis.aclose()

    asyncio.run(scenario())


def test_output_streams_keep_their_history_after_a_consumer_group_acknowledged_it(
    redis_url: str, names: StreamNames
) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        ids = [await redis.xadd(names.summaries, {"data": f'{{"n": {n}}}'}) for n in range(5)]
        await redis.xgroup_create(names.summaries, "my-feed", id="0")
        read = await redis.xreadgroup("my-feed", "reader-1", {names.summaries: ">"}, count=10)
        await redis.xack(names.summaries, "my-feed", *[i for i, _ in read[0][1]])
        maintenance = Maintenance(redis, fast_settings(redis_url, names), names)
        await maintenance.run_once({})
        # A consumer's acknowledgement is its own business: a later consumer still finds everything.
        assert [i for i, _ in await redis.xrange(names.summaries)] == ids
        await redis.aclose()

    asyncio.run(scenario())


def test_output_streams_are_trimmed_by_age_and_by_length(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        old = await redis.xadd(names.dead_letters("cleaner"), {"data": "{}"}, id="1000-0")
        recent = [await redis.xadd(names.dead_letters("cleaner"), {"data": "{}"}) for _ in range(3)]
        for _ in range(300):
            await redis.xadd(names.story_summaries, {"data": "{}"})
        settings = fast_settings(redis_url, names, terminal_retention_s=3600, terminal_max_entries=100)
        await Maintenance(redis, settings, names).run_once({})
        kept = [i for i, _ in await redis.xrange(names.dead_letters("cleaner"))]
        assert old not in kept and kept == recent
        # Trimmed by whole nodes of the stream's radix tree (cheap), so about the limit.
        assert 100 <= await redis.xlen(names.story_summaries) < 300
        await redis.aclose()

    asyncio.run(scenario())
