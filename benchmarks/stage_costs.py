"""Each stage's in-process cost on given articles: the domain functions alone, no Redis.

Shared by ``end_to_end`` (the ideal throughput) and ``profile`` (the in-process loops).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from storywire.contracts import RawArticle, StoryAssignment
from storywire.services.cleaner.cleaning import Rejection, clean_article
from storywire.services.dedup.assigning import assign, features_of
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.summarizer.digest_store import MemoryDigestStore
from storywire.services.summarizer.summarizing import digest_of, summarize_article, summarize_story


@dataclass
class StageCosts:
    """Seconds spent per stage over a set of articles (and how many reached each stage)."""

    articles: int = 0
    clean_s: float = 0.0
    dedup_s: float = 0.0
    summarize_s: float = 0.0
    #: summarize_story over an in-memory digest store: part of the real summarizer stage, reported apart.
    story_summary_s: float = 0.0
    rejected: int = 0
    assignments: list[StoryAssignment] = field(default_factory=list)

    def per_article_ms(self) -> dict[str, float]:
        """Average milliseconds per input article, by stage."""
        n = max(1, self.articles)
        return {
            "clean_article": self.clean_s / n * 1000,
            "dedup (featurize + assign, in-memory index)": self.dedup_s / n * 1000,
            "summarize_article": self.summarize_s / n * 1000,
            "summarize_story (not in the ideal)": self.story_summary_s / n * 1000,
        }


async def _measure(articles: Sequence[RawArticle]) -> StageCosts:
    costs = StageCosts(articles=len(articles))
    index = InMemoryStoryIndex()
    digests = MemoryDigestStore()
    for raw in articles:
        t0 = time.perf_counter()
        clean = clean_article(raw)
        t1 = time.perf_counter()
        costs.clean_s += t1 - t0
        if isinstance(clean, Rejection):
            costs.rejected += 1
            continue
        result = await assign(clean, features_of(clean), index)
        t2 = time.perf_counter()
        costs.dedup_s += t2 - t1
        summary = summarize_article(result.assignment)
        t3 = time.perf_counter()
        costs.summarize_s += t3 - t2
        summarize_story(await digests.add(summary.story_id, digest_of(summary, time.time())))
        costs.story_summary_s += time.perf_counter() - t3
        costs.assignments.append(result.assignment)
    return costs


def measure(articles: Sequence[RawArticle]) -> StageCosts:
    """Run the three stages' domain code over ``articles`` in order, timing each stage."""
    return asyncio.run(_measure(articles))
