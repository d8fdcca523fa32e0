"""Learned outlet boilerplate lives in Redis and is shared by cleaner replicas."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from storywire.contracts import CleanArticle
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries
from tests.unit.test_outlet_boilerplate import APPEAL, FOOTER, make_raw, own_paragraphs

pytestmark = pytest.mark.integration


def test_two_replicas_learn_one_outlets_boilerplate_together(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        settings = fast_settings(redis_url, names, batch_size=1)
        async with running(settings, ["cleaner"]), running(settings, ["cleaner"]):
            for n in range(1, 21):
                await publish(redis, names.raw, make_raw(n, "html" if n % 2 == 0 else "plain-text"))
                await wait_for_entries(redis, names.clean, n)
        cleaned = {c.article_id: c for c in await read_all(redis, names.clean, CleanArticle)}
        for n in range(1, 21):
            article = cleaned[f"n{n}"]
            assert (FOOTER in article.text) == (n < 5) == (APPEAL in article.text), n
            assert all(p in article.text for p in own_paragraphs(n)), n
            if n >= 5:
                assert any(r.startswith("outlet-boilerplate:") for r in article.removed)
        await redis.aclose()

    asyncio.run(scenario())
