"""Dead letters on a real Redis: bounded in size, written or accounted for, counted once committed."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator

import pytest
from redis.asyncio import Redis

from storywire.contracts import CleanArticle, DeadLetter, RawArticle
from storywire.services.runtime.embedded_redis import EmbeddedRedis
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, read_all, running, settle, wait_for_entries

pytestmark = pytest.mark.integration

LETTER_LIMIT = 16 * 1024
GOOD = RawArticle(
    article_id="good-after-poison",
    content="The council approved the budget on Tuesday evening after a long debate about schools.",
)


@pytest.fixture(scope="module")
def strict_redis_url() -> Iterator[str]:
    """A Redis of its own that refuses any argument over 1 MB (its smallest bulk limit)."""
    server = EmbeddedRedis(extra_args=("--proto-max-bulk-len", "1mb"))
    server.start()
    try:
        yield server.url
    finally:
        server.cleanup()


async def _letter_sizes(redis: Redis, stream: str) -> list[int]:
    return [len(fields[b"data"]) for _, fields in await redis.xrange(stream)]


def test_a_payload_far_over_the_limit_leaves_a_letter_within_the_letter_limit(
    redis_url: str, names: StreamNames
) -> None:
    # Control characters take six bytes each in JSON: the letter of a copied payload is six times its size.
    payload = b"\x01" * (3 * 1024 * 1024)

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await redis.xadd(names.raw, {"data": payload})
        settings = fast_settings(redis_url, names, max_payload_bytes=1024 * 1024, dead_letter_max_bytes=LETTER_LIMIT)
        async with running(settings, ["cleaner"]):
            await wait_for_entries(redis, names.dead_letters("cleaner"), 1)
            await settle(redis, [names.raw], "cleaner")
        assert max(await _letter_sizes(redis, names.dead_letters("cleaner"))) <= LETTER_LIMIT
        (letter,) = await read_all(redis, names.dead_letters("cleaner"), DeadLetter)
        assert letter.error_type == "PayloadTooLarge"
        assert letter.payload_bytes == len(payload)
        assert letter.payload_sha256 == hashlib.sha256(payload).hexdigest()
        assert letter.payload_truncated
        assert letter.payload and payload.startswith(letter.payload.encode())
        await redis.aclose()

    asyncio.run(scenario())


def test_an_entry_given_up_on_keeps_only_a_bounded_prefix_of_its_payload(redis_url: str, names: StreamNames) -> None:
    article = RawArticle(article_id="crashes-workers", content="Every word of this page counts. " * 4000)

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await redis.xgroup_create(names.raw, "cleaner", id="0", mkstream=True)
        (entry_id,) = await publish(redis, names.raw, article)
        payload = (await redis.xrange(names.raw))[0][1][b"data"]
        for read_from in (">", "0"):  # delivered twice to a consumer that crashed each time
            await redis.xreadgroup("cleaner", "crashed", {names.raw: read_from}, count=1)
        settings = fast_settings(
            redis_url, names, reclaim_idle_ms=100, max_deliveries=2, dead_letter_max_bytes=LETTER_LIMIT
        )
        async with running(settings, ["cleaner"]):
            await wait_for_entries(redis, names.dead_letters("cleaner"), 1, timeout_s=15)
        assert max(await _letter_sizes(redis, names.dead_letters("cleaner"))) <= LETTER_LIMIT
        (letter,) = await read_all(redis, names.dead_letters("cleaner"), DeadLetter)
        assert (letter.error_type, letter.source_entry_id) == ("TooManyDeliveries", entry_id.decode())
        assert (letter.payload_bytes, letter.payload_truncated) == (len(payload), True)
        assert letter.payload_sha256 == hashlib.sha256(payload).hexdigest()
        assert payload.startswith(letter.payload.encode())
        await redis.aclose()

    asyncio.run(scenario())


def test_a_letter_redis_refuses_is_replaced_by_one_without_payload_and_the_loss_is_counted(
    strict_redis_url: str, names: StreamNames
) -> None:
    # 400 kB of control characters: a small entry, but a 2.4 MB letter when copied whole, which
    # this Redis refuses (as any Redis refuses a letter over 512 MB) by closing the connection.
    payload = b"\x01" * 400_000

    async def scenario() -> None:
        redis = Redis.from_url(strict_redis_url)
        await redis.xadd(names.raw, {"data": payload})
        await publish(redis, names.raw, GOOD)
        settings = fast_settings(strict_redis_url, names, dead_letter_max_bytes=8 * 1024 * 1024)
        async with running(settings, ["cleaner"]) as worker:
            await wait_for_entries(redis, names.clean, 1, timeout_s=15)
            await settle(redis, [names.raw], "cleaner", timeout_s=15)
            counters = worker.runners["cleaner"].counters
            assert (counters.dead_letters_lost, counters.dead_lettered, counters.published) == (1, 1, 1)
            metrics = (await worker.metrics.render(None, names)).decode()
            assert 'storywire_messages_total{outcome="dead_letters_lost",stage="cleaner"} 1.0' in metrics
        (letter,) = await read_all(redis, names.dead_letters("cleaner"), DeadLetter)
        assert letter.error_type == "InvalidJson"
        assert "could not be written" in letter.error_message
        assert (letter.payload, letter.payload_truncated, letter.payload_bytes) == ("", True, len(payload))
        assert letter.payload_sha256 == hashlib.sha256(payload).hexdigest()
        assert [c.article_id for c in await read_all(redis, names.clean, CleanArticle)] == [GOOD.article_id]
        await redis.aclose()

    asyncio.run(scenario())


def test_an_entry_whose_letter_cannot_be_written_at_all_is_acknowledged_and_counted_lost(
    strict_redis_url: str, names: StreamNames
) -> None:
    # An ACL user that may use the cleaner's streams and keys but not its dead-letter stream.
    async def scenario() -> None:
        admin = Redis.from_url(strict_redis_url)
        user = f"cleaner-{names.prefix.rstrip(':')}"
        patterns = [f"~{names.raw}", f"~{names.clean}", f"~{names.key('')}*"]
        await admin.execute_command("ACL", "SETUSER", user, "on", ">secret", "+@all", *patterns)
        await admin.xadd(names.raw, {"data": b"{not json"})
        await publish(admin, names.raw, GOOD)
        limited_url = strict_redis_url.replace("redis://", f"redis://{user}:secret@")
        async with running(fast_settings(limited_url, names), ["cleaner"]) as worker:
            await wait_for_entries(admin, names.clean, 1, timeout_s=15)
            await settle(admin, [names.raw], "cleaner", timeout_s=15)
            counters = worker.runners["cleaner"].counters
            assert (counters.dead_letters_lost, counters.dead_lettered, counters.published) == (1, 0, 1)
        assert await admin.xlen(names.dead_letters("cleaner")) == 0
        await admin.aclose()

    asyncio.run(scenario())


def test_counters_count_outputs_and_letters_apart_and_only_once_committed(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        poison = {b"data": b"{not json"}
        poison_id = await redis.xadd(names.raw, poison)  # type: ignore[arg-type]
        await publish(redis, names.raw, GOOD)
        await redis.xadd(names.raw, {"data": b'{"article_id": "blank", "content": " "}'})
        async with running(fast_settings(redis_url, names), ["cleaner"]) as worker:
            await wait_for_entries(redis, names.dead_letters("cleaner"), 2)
            await settle(redis, [names.raw], "cleaner")
            runner = worker.runners["cleaner"]
            assert (runner.counters.published, runner.counters.dead_lettered) == (1, 2)
            # The same poison handed over again after its acknowledgement: the commit finds it
            # acknowledged, writes no letter, and nothing is counted as dead-lettered.
            # (Read from here, not the stream: maintenance may have trimmed what was acknowledged.)
            await runner.process([(poison_id, poison)])
            assert (runner.counters.published, runner.counters.dead_lettered) == (1, 2)
            assert runner.counters.by_outcome["already_acked"] == 1
        assert await redis.xlen(names.dead_letters("cleaner")) == 2
        await redis.aclose()

    asyncio.run(scenario())
