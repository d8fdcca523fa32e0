"""A story's entries on ``stories`` and ``story_summaries`` stay the same size however large the story grows.

Each update carries the story's state; with whole lists of articles and outlets the entries of a
story of N articles added up to the square of N within the streams' retention.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from storywire.contracts import CleanArticle, StorySummary, StoryUpdate
from storywire.services.dedup.assigning import assign, features_of
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.summarizer.digest_store import MemoryDigestStore
from storywire.services.summarizer.summarizing import ArticleDigest, summarize_story
from tests.unit.test_clustering import QUAKE_A

ENTRY_LIMIT = 12_000  # bytes of JSON, whatever the number of articles (these have long URLs and titles)
TITLE, TEXT = QUAKE_A[0]


def _article(i: int) -> CleanArticle:
    """The same report from a new outlet each time, with a long URL and title."""
    return CleanArticle(
        article_id=f"article-{i:04d}-0123456789abcdef",
        outlet=f"regional-news-outlet-{i}.example",
        url=f"https://www.regional-news-outlet-{i}.example/world/2026/12/07/earthquake-report-{i}-live-updates",
        title=f"{TITLE} - live updates from the region, number {i}",
        text=TEXT,
        published_at=datetime(2026, 12, 7, tzinfo=UTC),
        word_count=len(TEXT.split()),
        content_hash=f"h{i}",
        source_hash=f"s{i}",
    )


def test_a_500_article_storys_update_stays_under_a_fixed_size() -> None:
    async def grow() -> dict[int, StoryUpdate]:
        index, sizes = InMemoryStoryIndex(), {}
        for i in range(500):
            result = await assign(_article(i), features_of(_article(i)), index, now=1000.0 + i)
            assert result.story is not None and result.assignment.story_id == "story-1"
            if i + 1 in (1, 20, 100, 500):
                sizes[i + 1] = result.story
        return sizes

    updates = asyncio.run(grow())
    last = updates[500]
    assert len(last.model_dump_json()) < ENTRY_LIMIT
    assert last.article_count == 500
    assert [a.article_id for a in last.articles] == [f"article-{i:04d}-0123456789abcdef" for i in range(480, 500)]
    assert len(last.outlets) == 50
    assert len(last.model_dump_json()) - len(updates[100].model_dump_json()) < 200  # longer numbers, no more items
    assert updates[1].article_count == 1 and len(updates[1].articles) == 1


def test_a_500_article_storys_summary_stays_under_a_fixed_size() -> None:
    async def grow() -> StorySummary:
        store = MemoryDigestStore()
        for i in range(500):
            article = _article(i)
            digest = ArticleDigest(article.article_id, article.outlet, article.title, (TEXT[:200],), (), 1000.0 + i)
            story = await store.add("story-1", digest)
        return summarize_story(story)

    summary = asyncio.run(grow())
    assert len(summary.model_dump_json()) < ENTRY_LIMIT
    assert (summary.article_count, summary.outlet_count) == (500, 500)
    assert summary.article_ids == tuple(f"article-{i:04d}-0123456789abcdef" for i in range(480, 500))
    assert summary.outlets == tuple(f"regional-news-outlet-{i}.example" for i in range(50))
