"""Several dedup replicas share one story index in Redis without racing."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from redis.asyncio import Redis

from storywire.contracts import CleanArticle, StoryAssignment
from storywire.services.runtime.streams import StreamNames
from tests.conftest import SEEDS
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries

pytestmark = pytest.mark.integration


def _paragraphs(name: str) -> list[str]:
    text = (SEEDS / name).read_text()
    return [p for p in text.split("\n\n") if len(p.split()) > 12 and "support" not in p]


def _versions() -> list[CleanArticle]:
    """Twelve differently cut versions of one seed report, from six outlets.

    Each pair of them is similar enough to share a story in any arrival order,
    so more than one story can only come from a race.
    """
    paragraphs = _paragraphs("000_6531704c8407b2c0.txt")
    articles = []
    for i in range(12):
        dropped = i % len(paragraphs)
        text = "\n\n".join(p for k, p in enumerate(paragraphs) if k != dropped)
        articles.append(
            CleanArticle(
                article_id=f"race-{i}",
                outlet=f"outlet-{i % 6}.example",
                title=None,
                text=text,
                word_count=len(text.split()),
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                source_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    return articles


def test_replicas_assigning_one_new_event_at_the_same_moment_make_one_story(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        articles = _versions()
        # Three replicas, each reading one entry at a time, so all three work at once.
        replicas = [running(fast_settings(redis_url, names, batch_size=1), ["dedup"]) for _ in range(3)]
        for replica in replicas:
            await replica.__aenter__()
        try:
            await publish(redis, names.clean, *articles)
            assert await wait_for_entries(redis, names.assigned, len(articles), timeout_s=60) == len(articles)
        finally:
            for replica in replicas:
                await replica.__aexit__(None, None, None)
        assignments = await read_all(redis, names.assigned, StoryAssignment)
        assert len({a.article_id for a in assignments}) == len(articles)
        assert len({a.story_id for a in assignments}) == 1
        assert sum(a.is_new_story for a in assignments) == 1
        await redis.aclose()

    asyncio.run(scenario())
