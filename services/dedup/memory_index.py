"""The story index in memory.

:class:`InMemoryStoryIndex` mirrors :class:`storywire.services.dedup.redis_index.RedisStoryIndex`
one to one, so ``storywire dedup``, the tests and the evaluation run exactly the
service's decisions (:func:`storywire.services.dedup.assigning.place`), driven synchronously by
:class:`storywire.services.pipeline.OfflinePipeline`.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence

from storywire.contracts import StoryArticle, StoryUpdate
from storywire.services.dedup.assigning import (
    BUCKET_CAPACITY,
    MAX_LISTED_ARTICLES,
    ArticleRecord,
    IndexWrite,
    rank_bucket_hits,
    story_update,
)
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG, ClusterConfig, CorpusStats, StoryState
from storywire.services.dedup.near_duplicates import Signature
from storywire.services.dedup.term_counts import TermCounts


class InMemoryStoryIndex:
    """:class:`~storywire.services.dedup.assigning.AsyncStoryIndex` on dicts."""

    def __init__(self, config: ClusterConfig = DEFAULT_CLUSTER_CONFIG) -> None:
        self.terms = TermCounts(config.horizon)
        self._postings: dict[str, dict[str, float]] = {}
        self._stories: dict[str, StoryState] = {}
        self._buckets: dict[str, list[str]] = {}
        self._signatures: dict[str, Signature] = {}
        self._articles: dict[str, ArticleRecord] = {}
        self._listed: dict[str, list[StoryArticle]] = {}
        self._meta: dict[str, dict[str, float | str]] = {}
        self._ids = itertools.count(1)

    async def corpus_stats(self, terms: Collection[str], now: float) -> CorpusStats:
        """N and the df of ``terms`` as counted at ``now``."""
        return CorpusStats(self.terms.documents(now), self.terms.df(terms, now))

    async def postings(self, keys: Sequence[str], not_before: float | None, limit: int) -> dict[str, list[str]]:
        """Newest story ids per term."""
        out: dict[str, list[str]] = {}
        for key in keys:
            entries = self._postings.get(key)
            if not entries:
                continue
            live = sorted(
                ((ts, sid) for sid, ts in entries.items() if not_before is None or ts >= not_before),
                reverse=True,
            )
            if live:
                out[key] = [sid for _, sid in live[:limit]]
        return out

    async def load_stories(self, story_ids: Sequence[str]) -> list[StoryState]:
        """States of the known stories among ``story_ids``."""
        return [self._stories[s] for s in story_ids if s in self._stories]

    async def bucket_members(self, keys: Sequence[str]) -> list[str]:
        """Recent article ids sharing the most buckets."""
        return rank_bucket_hits([self._buckets.get(key, [])[::-1] for key in keys])

    async def signatures(self, article_ids: Collection[str]) -> dict[str, Signature]:
        """Stored signatures."""
        return {a: self._signatures[a] for a in article_ids if a in self._signatures}

    async def article(self, article_id: str) -> ArticleRecord | None:
        """The recorded assignment of an article."""
        return self._articles.get(article_id)

    async def new_story_id(self) -> str:
        """``story-<n>``, as the Redis index numbers them."""
        return f"story-{next(self._ids)}"

    async def commit(self, write: IndexWrite) -> None:
        """Apply every write of one assignment."""
        sid = write.story.story_id
        self._stories[sid] = write.story
        for key in write.posting_keys:
            self._postings.setdefault(key, {})[sid] = write.story.last_updated
        self.terms.add(write.features.terms, write.now)
        for band in write.band_keys:
            bucket = self._buckets.setdefault(band, [])
            if write.article_id not in bucket:
                bucket.append(write.article_id)
            del bucket[:-BUCKET_CAPACITY]
        if write.band_keys:
            self._signatures[write.article_id] = write.features.signature
        self._articles[write.article_id] = write.record
        listed_articles = self._listed.setdefault(sid, [])
        meta = self._meta.setdefault(sid, {"first_seen": write.now})
        for folded in write.absorbed:
            # The folded article arrived before this one: it is listed before it.
            self._stories.pop(folded.story_id, None)
            for term in folded.terms:
                self._postings.get(term, {}).pop(folded.story_id, None)
            listed_articles.extend(self._listed.pop(folded.story_id, []))
            folded_meta = self._meta.pop(folded.story_id, None)
            if folded_meta is not None:
                meta["first_seen"] = min(float(meta["first_seen"]), float(folded_meta["first_seen"]))
                meta["count"] = int(meta.get("count", 0)) + int(folded_meta.get("count", 0))
            if folded.record is not None:
                self._articles[folded.article_id] = folded.record
        for move in write.moved:
            self._stories[move.source.story_id] = move.source
            source_listed = self._listed.get(move.source.story_id, [])
            leaving = [a for a in source_listed if a.article_id == move.article_id]
            source_listed[:] = [a for a in source_listed if a.article_id != move.article_id]
            listed_articles.extend(leaving)
            source_meta = self._meta.get(move.source.story_id, {})
            source_meta["count"] = max(0, int(source_meta.get("count", 0)) - 1)
            meta["count"] = int(meta.get("count", 0)) + 1
            if leaving and leaving[0].title is not None and source_meta.get("headline") == leaving[0].title:
                # The old story was headed by the leaving article: the earliest remaining title heads it.
                source_meta.pop("headline")
                if title := next((a.title for a in source_listed if a.title), None):
                    source_meta["headline"] = title
            if move.record is not None:
                self._articles[move.article_id] = move.record
        listed_articles.append(write.listed)
        del listed_articles[:-MAX_LISTED_ARTICLES]
        if write.headline:
            meta.setdefault("headline", write.headline)
        if write.story.topic_id:
            meta["topic"] = write.story.topic_id  # a young story may revisit its topic (dedup/topics.py)
        meta["last_seen"] = write.now
        meta["count"] = int(meta.get("count", 0)) + 1

    async def story_update(self, story_id: str) -> StoryUpdate | None:
        """The story's most recent articles, their outlets, its article count and first/last seen."""
        listed = self._listed.get(story_id)
        meta = self._meta.get(story_id)
        if not listed or meta is None:
            return None
        headline, topic = meta.get("headline"), meta.get("topic")
        return story_update(
            story_id,
            str(headline) if headline else None,
            listed,
            int(meta.get("count", len(listed))),
            float(meta["first_seen"]),
            float(meta["last_seen"]),
            topic_id=str(topic) if topic else None,
        )
