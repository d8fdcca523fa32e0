"""In-memory story index and the streaming clusterer that drives it.

:class:`MemoryStoryIndex` implements :class:`~services.dedup.clustering.StoryIndex`
with dicts; it is the reference for the Redis implementation and what tests and
the evaluation use. :class:`StreamingClusterer` shows the exact sequence of
index reads and writes per article.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from services.dedup.clustering import (
    DEFAULT_CLUSTER_CONFIG,
    ClusterConfig,
    CorpusStats,
    StoryState,
    decide,
    new_story,
    rank_candidates,
    retrieval_keys,
    story_terms,
    updated_story,
)
from services.dedup.features import ArticleFeatures
from services.dedup.near_duplicates import (
    DUPLICATE_THRESHOLD,
    Signature,
    band_keys,
    best_match,
)

__all__ = ["Assignment", "MemoryStoryIndex", "StreamingClusterer"]


class MemoryStoryIndex:
    """Dict-backed story index: df counts, postings, story states, LSH buckets."""

    def __init__(self) -> None:
        self.documents = 0
        self.df: dict[str, int] = {}
        # key -> story id -> last_updated (a sorted set in Redis)
        self._postings: dict[str, dict[str, float]] = {}
        self._stories: dict[str, StoryState] = {}
        self._buckets: dict[str, list[str]] = {}
        self._signatures: dict[str, Signature] = {}
        self._article_story: dict[str, str] = {}

    # --- StoryIndex protocol -------------------------------------------------
    def corpus_stats(self, terms: Collection[str]) -> CorpusStats:
        """N and df of the requested terms."""
        return CorpusStats(self.documents, {t: self.df[t] for t in terms if t in self.df})

    def postings(self, keys: Sequence[str], not_before: float | None, limit: int) -> dict[str, list[str]]:
        """Most recently updated story ids per key."""
        out: dict[str, list[str]] = {}
        for key in keys:
            entries = self._postings.get(key)
            if not entries:
                continue
            live = [(ts, sid) for sid, ts in entries.items() if not_before is None or ts >= not_before]
            live.sort(reverse=True)
            out[key] = [sid for _, sid in live[:limit]]
        return out

    def load_stories(self, story_ids: Sequence[str]) -> list[StoryState]:
        """States of the existing stories among ``story_ids``."""
        return [self._stories[s] for s in story_ids if s in self._stories]

    def save_story(self, story: StoryState, posting_keys: Collection[str]) -> None:
        """Store the state; refresh the story's score in all postings it is in."""
        self._stories[story.story_id] = story
        for key in posting_keys:
            self._postings.setdefault(key, {})[story.story_id] = story.last_updated

    def add_document(self, terms: Collection[str]) -> None:
        """Count one more document and its terms."""
        self.documents += 1
        for t in terms:
            self.df[t] = self.df.get(t, 0) + 1

    def expire(self, before: float) -> None:
        """Remove stale stories from the postings (their states stay readable)."""
        for key in list(self._postings):
            entries = self._postings[key]
            for sid in [s for s, ts in entries.items() if ts < before]:
                del entries[sid]
            if not entries:
                del self._postings[key]

    # --- near-duplicate tier ---------------------------------------------------
    def bucket_members(self, keys: Sequence[str]) -> set[str]:
        """Article ids in any of these LSH buckets (Redis: SUNION of bucket sets)."""
        out: set[str] = set()
        for key in keys:
            out.update(self._buckets.get(key, ()))
        return out

    def signatures(self, article_ids: Collection[str]) -> dict[str, Signature]:
        """Stored signatures (Redis: HMGET sig <ids>)."""
        return {a: self._signatures[a] for a in article_ids if a in self._signatures}

    def story_of(self, article_id: str) -> str | None:
        """The story an article was assigned to (Redis: HGET article_story <id>)."""
        return self._article_story.get(article_id)

    def add_article(self, article_id: str, story_id: str, sig: Signature, keys: Sequence[str]) -> None:
        """Record the article's story, signature and LSH buckets."""
        self._article_story[article_id] = story_id
        self._signatures[article_id] = sig
        for key in keys:
            self._buckets.setdefault(key, []).append(article_id)

    def story_count(self) -> int:
        """Number of stories ever created."""
        return len(self._stories)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went."""

    article_id: str
    story_id: str
    is_new_story: bool
    duplicate_of: str | None
    score: float


class StreamingClusterer:
    """Assigns articles to stories one at a time, through a :class:`MemoryStoryIndex`."""

    def __init__(
        self,
        config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
        index: MemoryStoryIndex | None = None,
        *,
        duplicate_threshold: float = DUPLICATE_THRESHOLD,
        detect_duplicates: bool = True,
    ) -> None:
        self.config = config
        self.index = index if index is not None else MemoryStoryIndex()
        self.duplicate_threshold = duplicate_threshold
        self.detect_duplicates = detect_duplicates
        self._ids = itertools.count(1)
        self._seen = 0

    def add(self, article_id: str, features: ArticleFeatures, now: float | None = None) -> Assignment:
        """Assign one article to a story and update the index.

        ``now`` is the ingest time (defaults to the wall clock); it drives expiry,
        while ``features.published_at`` drives the time window.
        """
        now = time.time() if now is None else now
        index, config = self.index, self.config
        self._seen += 1
        if self._seen % 256 == 0:
            index.expire(now - config.horizon)

        # Tier 1: near-verbatim copies join the story of the article they copy.
        bands = band_keys(features.signature)
        duplicate: tuple[str, float] | None = None
        if self.detect_duplicates and bands:
            members = index.bucket_members(bands)
            duplicate = best_match(features.signature, index.signatures(members).items(), self.duplicate_threshold)

        stats = index.corpus_stats(features.terms)
        keys = retrieval_keys(features, stats, config)
        story: StoryState | None = None
        score = 1.0
        if duplicate is not None:
            sid = index.story_of(duplicate[0])
            loaded = index.load_stories([sid]) if sid is not None else []
            story = loaded[0] if loaded else None
            score = duplicate[1]
        if story is None:
            postings = index.postings(keys, now - config.horizon, config.postings_per_key)
            candidate_ids = rank_candidates(postings, stats, config.max_candidates)
            candidates = index.load_stories(candidate_ids)
            missing = story_terms(candidates).difference(stats.df).difference(features.terms)
            if missing:
                extra = index.corpus_stats(missing)
                stats = CorpusStats(stats.documents, {**stats.df, **extra.df})
            decision = decide(features, candidates, stats, config)
            score = decision.score
            if decision.story_id is not None:
                story = next(s for s in candidates if s.story_id == decision.story_id)

        if story is None:
            state = new_story(f"s{next(self._ids)}", article_id, features, stats, now, config)
            is_new = True
        else:
            state = updated_story(story, article_id, features, stats, now, config)
            is_new = False
        index.save_story(state, keys)
        index.add_document(features.terms)
        index.add_article(article_id, state.story_id, features.signature, bands)
        return Assignment(
            article_id=article_id,
            story_id=state.story_id,
            is_new_story=is_new,
            duplicate_of=duplicate[0] if duplicate is not None else None,
            score=score,
        )
