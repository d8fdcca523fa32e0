"""The Redis story index counts document frequencies by the rule of services/dedup/term_counts.py."""

from __future__ import annotations

import asyncio
import random

import pytest
from redis.asyncio import Redis

from storywire.contracts import CleanArticle
from storywire.services.dedup.assigning import AsyncStoryIndex, assign, features_of
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.dedup.redis_index import RedisStoryIndex
from storywire.services.runtime.streams import StreamNames

pytestmark = pytest.mark.integration

DAY = 86400
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _article(article_id: str, words: list[str]) -> CleanArticle:
    text = " ".join(words)
    return CleanArticle(
        article_id=article_id,
        title=" ".join(words[:6]),
        text=text,
        language="en",
        word_count=len(words),
        content_hash=f"h-{article_id}",
        source_hash=f"s-{article_id}",
    )


async def _add(index: AsyncStoryIndex, article: CleanArticle, now: float) -> None:
    await assign(article, features_of(article), index, now=now)


def test_random_words_published_to_the_index_are_gone_within_two_days(redis_url: str, names: StreamNames) -> None:
    """The issue's case: 100 articles of random words used to add 30,000 fields that never expired."""
    rng = random.Random(3)

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        try:
            index = RedisStoryIndex(redis, names, DEFAULT_CLUSTER_CONFIG)
            for i in range(100):
                words = ["".join(rng.choices(_LETTERS, k=9)) for _ in range(300)]
                await _add(index, _article(f"spam-{i}", words), now=1000.0 + i)
            held = {key: int(await redis.hlen(key)) for key in await redis.keys(names.key("dedup", "df") + "*")}
            lasting = {key: n for key, n in held.items() if not 0 < await redis.ttl(key) <= 2 * DAY}
            assert sum(held.values()) > 20_000
            assert lasting == {}  # no field outlives two days
        finally:
            await redis.aclose()

    asyncio.run(scenario())


def test_the_redis_index_counts_as_the_memory_index_does(redis_url: str, names: StreamNames) -> None:
    """Articles over a month (two generations, many singleton buckets): both indexes read the same counts."""
    rng = random.Random(4)
    vocabulary = ["".join(rng.choices(_LETTERS, k=7)) for _ in range(150)]
    times = [0.5 * DAY + i for i in range(12)] + [1.5 * DAY, 3.5 * DAY, 15.2 * DAY, 16.0 * DAY, 29.5 * DAY]
    articles = [_article(f"a-{i}", rng.sample(vocabulary, 60)) for i in range(len(times))]

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        try:
            in_redis = RedisStoryIndex(redis, names, DEFAULT_CLUSTER_CONFIG)
            in_memory = InMemoryStoryIndex(DEFAULT_CLUSTER_CONFIG)
            terms: set[str] = set()
            for article, now in zip(articles, times, strict=True):
                terms |= set(features_of(article).terms)
                for index in (in_redis, in_memory):
                    await _add(index, article, now)
                assert await in_redis.corpus_stats(terms, now) == await in_memory.corpus_stats(terms, now)
            last = await in_memory.corpus_stats(terms, times[-1])
            assert 0 < last.documents < len(times)  # the first generation is no longer counted
        finally:
            await redis.aclose()

    asyncio.run(scenario())


def test_a_read_of_thousands_of_terms_is_answered_whole(redis_url: str, names: StreamNames) -> None:
    """Story terms read at once can outnumber what one Lua unpack() takes (about 8,000 values)."""
    rng = random.Random(5)
    article = _article("long", ["".join(rng.choices(_LETTERS, k=8)) for _ in range(300)])
    asked = [*features_of(article).terms, *(f"w:unseen{i}" for i in range(9000))]

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        try:
            in_redis, in_memory = RedisStoryIndex(redis, names, DEFAULT_CLUSTER_CONFIG), InMemoryStoryIndex()
            for index in (in_redis, in_memory):
                await _add(index, article, now=1000.0)
            stats = await in_redis.corpus_stats(asked, 1000.0)
            assert stats == await in_memory.corpus_stats(asked, 1000.0)
            assert len(stats.df) == len(features_of(article).terms)
        finally:
            await redis.aclose()

    asyncio.run(scenario())
