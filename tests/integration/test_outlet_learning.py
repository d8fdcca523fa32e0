"""Learned outlet boilerplate lives in Redis, is shared by cleaner replicas, and stays within its caps."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from storywire.contracts import CleanArticle
from storywire.services.cleaner.cleaning import without_outlet_boilerplate
from storywire.services.cleaner.outlet_boilerplate import (
    LearningConfig,
    MemoryBoilerplate,
    OutletHistory,
    RedisBoilerplate,
    fingerprint,
    recurring,
)
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries
from tests.unit.test_outlet_boilerplate import (
    APPEAL,
    DAY,
    FOOTER,
    Clock,
    cleaned,
    make_raw,
    match_report,
    own_paragraphs,
)

pytestmark = pytest.mark.integration


async def _teach(redis: Redis, names: StreamNames, clock: Clock, numbers: range) -> list[CleanArticle]:
    """Articles of one outlet through two replicas' memories taking turns, two a day on the test's clock."""
    replicas = [RedisBoilerplate(redis, names, clock=clock), RedisBoilerplate(redis, names, clock=clock)]
    results = []
    for n in numbers:
        results.append(await without_outlet_boilerplate(cleaned(make_raw(n, "plain-text")), replicas[n % 2]))
        clock.now += DAY / 2
    return results


def test_two_replicas_learn_one_outlets_boilerplate_together_over_days(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> list[CleanArticle]:
        redis = Redis.from_url(redis_url)
        try:
            return await _teach(redis, names, Clock(), range(1, 21))
        finally:
            await redis.aclose()

    # two a day: before the 6th, five articles on three days
    for n, article in enumerate(asyncio.run(scenario()), start=1):
        assert (FOOTER in article.text) == (n < 6) == (APPEAL in article.text), n
        assert all(p in article.text for p in own_paragraphs(n)), n


def test_a_burst_through_two_running_cleaners_teaches_nothing_and_rejects_nothing(
    redis_url: str, names: StreamNames
) -> None:
    async def scenario() -> list[CleanArticle]:
        redis = Redis.from_url(redis_url)
        settings = fast_settings(redis_url, names, batch_size=1)
        async with running(settings, ["cleaner"]), running(settings, ["cleaner"]):
            for n in range(1, 21):
                await publish(redis, names.raw, make_raw(n, "html" if n % 2 == 0 else "plain-text"))
                await publish(redis, names.raw, match_report(n))
                await wait_for_entries(redis, names.clean, 2 * n)
        out = await read_all(redis, names.clean, CleanArticle)
        await redis.aclose()
        return out

    by_id = {c.article_id: c for c in asyncio.run(scenario())}
    assert len(by_id) == 40
    for n in range(1, 21):
        article = by_id[f"n{n}"]
        assert FOOTER in article.text and APPEAL in article.text, n
        assert all(p in article.text for p in own_paragraphs(n)), n
        assert by_id[f"m{n}"].text == cleaned(match_report(n)).text, n


def test_what_was_learned_over_days_is_used_by_the_running_cleaners(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> tuple[CleanArticle, CleanArticle]:
        redis = Redis.from_url(redis_url)
        await _teach(redis, names, Clock(), range(1, 21))
        settings = fast_settings(redis_url, names, batch_size=1)
        async with running(settings, ["cleaner"]), running(settings, ["cleaner"]):
            await publish(redis, names.raw, make_raw(21, "html"), match_report(21))
            await wait_for_entries(redis, names.clean, 2)
        by_id = {c.article_id: c for c in await read_all(redis, names.clean, CleanArticle)}
        await redis.aclose()
        return by_id["n21"], by_id["m21"]  # two replicas: either may finish first

    story, report = asyncio.run(scenario())
    assert FOOTER not in story.text and APPEAL not in story.text
    assert all(p in story.text for p in own_paragraphs(21))
    assert report.text == cleaned(match_report(21)).text


def test_an_outlets_keys_stay_within_their_caps(redis_url: str, names: StreamNames) -> None:
    config = LearningConfig(max_lines=50, max_recent_articles=20)

    async def scenario() -> tuple[list[tuple[int, int]], int, int, set[str]]:
        redis = Redis.from_url(redis_url)
        clock = Clock()
        memory = RedisBoilerplate(redis, names, config, clock=clock)
        lines_key, _, recent_key = memory.keys("o")
        sizes = []
        for n in range(300):
            one_off = [fingerprint(f"line {k} of article {n}") for k in range(10)]
            await memory.observe("o", f"a{n}", f"t{n}", [*one_off, fingerprint(FOOTER)])
            sizes.append((await redis.zcard(lines_key), await redis.zcard(recent_key)))
            clock.now += DAY / 10
        history = await memory.observe("o", "last", "last-text", [fingerprint(FOOTER)])
        keys = len(await redis.keys(names.key("cleaner", "outlet", "o", "*")))
        ttl = await redis.ttl(lines_key)
        await redis.aclose()
        return sizes, keys, ttl, recurring(history, config)

    sizes, keys, ttl, learned = asyncio.run(scenario())
    assert max(lines for lines, _ in sizes) == 50
    assert max(markers for _, markers in sizes) == 2 * 20
    assert keys == 3
    assert 0 < ttl <= config.ttl_s
    assert learned == {fingerprint(FOOTER)}


def test_redis_and_the_offline_memory_keep_the_same_records(redis_url: str, names: StreamNames) -> None:
    config = LearningConfig(max_lines=30, max_recent_articles=8)

    async def scenario() -> tuple[list[OutletHistory], list[OutletHistory]]:
        redis = Redis.from_url(redis_url)
        clock = Clock()
        in_redis, in_dicts = RedisBoilerplate(redis, names, config, clock=clock), MemoryBoilerplate(config, clock=clock)
        from_redis, from_dicts = [], []
        for n in range(120):
            # ids and texts repeat now and then; some lines recur, one is the article's own (evictions)
            shared = [fingerprint(f"line {k}") for k in range(n % 7, n % 7 + 6)]
            args = ("o", f"a{n % 50}", f"t{n % 70}", [*shared, fingerprint(f"own line {n}")])
            from_redis.append(await in_redis.observe(*args))
            from_dicts.append(await in_dicts.observe(*args))
            clock.now += DAY / 3
        await redis.aclose()
        return from_redis, from_dicts

    from_redis, from_dicts = asyncio.run(scenario())
    assert from_redis == from_dicts
