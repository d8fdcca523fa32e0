"""The dedup stage's domain: assign one clean article to a story through a story index.

The same code runs on the Redis index (the service) and on the in-memory one
(``storywire dedup``, tests, evaluation): the index is an async protocol, and
all decisions are the pure functions of :mod:`storywire.services.dedup.clustering`.

Per article: near-verbatim copies are found first (MinHash LSH buckets,
verified on estimated containment) and join the story of the article they copy;
otherwise candidate stories come from the inverted index of the article's top
terms, and :func:`~storywire.services.dedup.clustering.decide` picks one or none.
A version of an article already assigned gets its earlier assignment back, so
redelivery and republication change nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from storywire.contracts import CleanArticle, MovedArticle, StoryArticle, StoryAssignment, StoryUpdate
from storywire.contracts.stories import LISTED_ARTICLES, LISTED_OUTLETS
from storywire.services.dedup.clustering import (
    DEFAULT_CLUSTER_CONFIG,
    ClusterConfig,
    CorpusStats,
    Evidence,
    StoryState,
    decide,
    new_story,
    rank_candidates,
    retrieval_keys,
    story_terms,
    updated_story,
    with_background,
)
from storywire.services.dedup.features import ArticleFeatures, featurize
from storywire.services.dedup.moves import absorb, founder_features, member_features, starts_apart, take_members
from storywire.services.dedup.near_duplicates import DUPLICATE_THRESHOLD, Signature, band_keys, best_match
from storywire.services.dedup.topics import topic_for

log = logging.getLogger(__name__)

#: Articles a story keeps listed in the index (its outlets are read from them); a ``StoryUpdate``
#: carries the most recent ``LISTED_ARTICLES`` of them and counts the rest.
MAX_LISTED_ARTICLES = 200
#: Newest members kept per LSH bucket, and copy candidates verified per article.
BUCKET_CAPACITY = 32
DUPLICATE_CANDIDATES = 16


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """What the index remembers of an assigned article version."""

    story_id: str
    content_hash: str
    is_new_story: bool
    duplicate_of: str | None
    duplicate_similarity: float | None
    story_similarity: float | None
    candidates_considered: int
    absorbed_story_ids: tuple[str, ...] = ()
    """One-article stories this article's arrival folded into its story."""
    moved_articles: tuple[tuple[str, str], ...] = ()
    """(article id, story it left) of the articles this article's arrival moved into its story."""


@dataclass(frozen=True, slots=True)
class Absorbed:
    """A one-article story folded into the story being written, and where its article now is."""

    story_id: str
    article_id: str
    record: ArticleRecord | None
    """The article's record pointing at its new story (None when the record has expired)."""
    terms: tuple[str, ...] = ()
    """The folded story's terms: the posting lists it may sit in, which drop it."""


@dataclass(frozen=True, slots=True)
class Moved:
    """An article that leaves its story for the story being written."""

    source: StoryState
    """The state of the story it leaves, after every article that leaves it in this write."""
    article_id: str
    record: ArticleRecord | None
    """The article's record pointing at its new story (None when the record has expired)."""


@dataclass(frozen=True, slots=True)
class IndexWrite:
    """Everything one assignment writes to the index."""

    story: StoryState
    posting_keys: Collection[str]
    features: ArticleFeatures
    band_keys: Sequence[str]
    article_id: str
    record: ArticleRecord
    listed: StoryArticle
    headline: str | None
    now: float
    absorbed: tuple[Absorbed, ...] = ()
    """Stories to fold into ``story``: their listed articles move to it, their state is deleted."""
    moved: tuple[Moved, ...] = ()
    """Articles that leave another story for ``story``: that story's state is rewritten."""


class AsyncStoryIndex(Protocol):
    """Storage of the story index (Redis in the service, memory offline); each call is one batched read or write."""

    async def corpus_stats(self, terms: Collection[str], now: float) -> CorpusStats:
        """N and the df of ``terms`` as counted at ``now`` (see :mod:`storywire.services.dedup.term_counts`)."""
        ...

    async def postings(self, keys: Sequence[str], not_before: float | None, limit: int) -> dict[str, list[str]]:
        """Per key, the most recently updated story ids at or after ``not_before``."""
        ...

    async def load_stories(self, story_ids: Sequence[str]) -> list[StoryState]:
        """The states of these stories (missing ones are skipped)."""
        ...

    async def bucket_members(self, keys: Sequence[str]) -> list[str]:
        """Recent article ids in these LSH buckets, those sharing the most buckets first.

        Each bucket keeps only its ``BUCKET_CAPACITY`` newest members and at most
        ``DUPLICATE_CANDIDATES`` are returned, so a phrase that many articles share (an
        agency's dateline, say) cannot make the lookup grow with the index.
        """
        ...

    async def signatures(self, article_ids: Collection[str]) -> dict[str, Signature]:
        """Stored MinHash signatures of these articles."""
        ...

    async def article(self, article_id: str) -> ArticleRecord | None:
        """The recorded assignment of an article, if it has one."""
        ...

    async def new_story_id(self) -> str:
        """A story id never used before in this index."""
        ...

    async def commit(self, write: IndexWrite) -> None:
        """Write the story state, postings, df counts, LSH buckets and the article record; fold absorbed stories."""
        ...

    async def story_update(self, story_id: str) -> StoryUpdate | None:
        """The current state of a story, as published on the ``stories`` stream."""
        ...


@dataclass(frozen=True, slots=True)
class AssignmentResult:
    """The assignment of one article and the state of its story after it."""

    assignment: StoryAssignment
    story: StoryUpdate | None
    repeated: bool
    sources: tuple[StoryUpdate, ...] = ()
    """The states of the stories that articles left for ``story`` (see ``moved_articles``)."""


def features_of(article: CleanArticle) -> ArticleFeatures:
    """The story-detection features of a clean article (CPU work, done outside any lock)."""
    return featurize(article.title, article.text, article.published_at, article.language)


def rank_bucket_hits(buckets: Sequence[Sequence[str]]) -> list[str]:
    """Article ids by how many buckets they share with the article (then by first appearance)."""
    hits: dict[str, int] = {}
    for members in buckets:
        for member in members:
            hits[member] = hits.get(member, 0) + 1
    ranked = sorted(hits, key=lambda m: -hits[m])
    return ranked[:DUPLICATE_CANDIDATES]


def story_update(
    story_id: str,
    headline: str | None,
    listed: Sequence[StoryArticle],
    count: int,
    first_seen: float,
    last_seen: float,
    *,
    topic_id: str | None = None,
) -> StoryUpdate:
    """A story's state as published: its ``LISTED_ARTICLES`` most recent articles, the first
    ``LISTED_OUTLETS`` outlets of all it keeps listed, how many articles it has, and its topic."""
    return StoryUpdate(
        story_id=story_id,
        headline=headline,
        articles=tuple(listed[-LISTED_ARTICLES:]),
        outlets=tuple(dict.fromkeys(a.outlet for a in listed if a.outlet))[:LISTED_OUTLETS],
        first_seen=datetime.fromtimestamp(first_seen, UTC),
        last_seen=datetime.fromtimestamp(last_seen, UTC),
        article_count=max(count, len(listed[-LISTED_ARTICLES:])),
        topic_id=topic_id,
    )


def listed_article(article: CleanArticle, duplicate_of: str | None) -> StoryArticle:
    """How an article appears in its story's state."""
    return StoryArticle(
        article_id=article.article_id,
        outlet=article.outlet,
        url=article.url,
        title=article.title,
        published_at=article.published_at,
        duplicate_of=duplicate_of,
    )


def _assignment(article: CleanArticle, record: ArticleRecord, topic_id: str | None) -> StoryAssignment:
    return StoryAssignment(
        article_id=article.article_id,
        content_hash=article.content_hash,
        story_id=record.story_id,
        is_new_story=record.is_new_story,
        duplicate_of=record.duplicate_of,
        duplicate_similarity=record.duplicate_similarity,
        story_similarity=record.story_similarity,
        candidates_considered=record.candidates_considered,
        absorbed_story_ids=record.absorbed_story_ids,
        moved_articles=tuple(MovedArticle(article_id=a, from_story_id=s) for a, s in record.moved_articles),
        topic_id=topic_id,
        article=article,
    )


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the core put an article: its story, and how it got there."""

    record: ArticleRecord
    story: StoryState
    repeated: bool


async def place(
    article_id: str,
    content_hash: str,
    features: ArticleFeatures,
    index: AsyncStoryIndex,
    *,
    listed: StoryArticle,
    headline: str | None = None,
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
    duplicate_threshold: float = DUPLICATE_THRESHOLD,
    now: float | None = None,
) -> Placement | ArticleRecord:
    """Put one article version into a story, updating ``index``; callers serialise calls per index.

    Returns the earlier :class:`ArticleRecord` unchanged when this version was placed before.
    """
    now = time.time() if now is None else now
    known = await index.article(article_id)
    if known is not None and known.content_hash == content_hash:
        return known

    bands = band_keys(features.signature)
    duplicate: tuple[str, float] | None = None
    if bands:
        members = [m for m in await index.bucket_members(bands) if m != article_id]
        if members:
            duplicate = best_match(features.signature, (await index.signatures(members)).items(), duplicate_threshold)

    stats = with_background(await index.corpus_stats(features.terms, now), config)
    keys = retrieval_keys(features, stats, config)
    story: StoryState | None = None
    similarity: float | None = None
    considered = 0
    candidates: list[StoryState] = []
    scored: Mapping[str, Evidence] = {}
    if known is not None:
        # A new version of an article stays in the story it was assigned to.
        stories = await index.load_stories([known.story_id])
        story = stories[0] if stories else None
        similarity = known.story_similarity
    if story is None and duplicate is not None:
        original = await index.article(duplicate[0])
        if original is not None:
            stories = await index.load_stories([original.story_id])
            story = stories[0] if stories else None
            similarity = duplicate[1]
    if story is None:
        postings = await index.postings(keys, now - config.horizon, config.postings_per_key)
        candidates = await index.load_stories(rank_candidates(postings, stats, config.max_candidates))
        considered = len(candidates)
        missing = story_terms(candidates).difference(stats.df).difference(features.terms)
        if missing:
            extra = await index.corpus_stats(missing, now)
            stats = replace(stats, df={**stats.df, **extra.df})
        decision = decide(features, candidates, stats, config)
        scored = decision.evidence
        if decision.story_id is not None:
            story = next(s for s in candidates if s.story_id == decision.story_id)
            similarity = decision.score
            if starts_apart(story, article_id, features, scored[story.story_id], stats, now, config):
                # It starts its own story, and take_members below moves the members it follows.
                story, similarity = None, None

    if story is None:
        state = new_story(await index.new_story_id(), article_id, features, stats, now, config)
        is_new = True
    else:
        state = updated_story(story, article_id, features, stats, now, config)
        is_new = False
    folded: list[StoryState] = []
    if not is_new:
        state, folded = absorb(state, candidates, stats, now, config)
    absorbed = []
    posting_keys = list(keys)
    for singleton in folded:
        moved = await index.article(singleton.founder)
        if moved is not None:
            moved = replace(moved, story_id=state.story_id)
        absorbed.append(Absorbed(singleton.story_id, singleton.founder, moved, tuple(singleton.centroid)))
        # Later articles that would have found the singleton find the story it joined.
        posting_keys.extend(retrieval_keys(founder_features(singleton), stats, config))
    state, taken = take_members(state, candidates, scored, stats, now, config)
    sources = {source.story_id: source for source, _member in taken}  # the last state of each
    moves = []
    for source, member in taken:
        record_of = await index.article(member.article_id)
        if record_of is not None:
            record_of = replace(record_of, story_id=state.story_id)
        moves.append(Moved(sources[source.story_id], member.article_id, record_of))
        posting_keys.extend(retrieval_keys(member_features(member), stats, config))
    # The story's running topic: a new story takes its nearest candidate's, a young one may revisit it
    # (services/dedup/topics.py).
    state = replace(state, topic_id=topic_for(state, story, features.terms, candidates, stats.idf))
    record = ArticleRecord(
        story_id=state.story_id,
        content_hash=content_hash,
        is_new_story=is_new,
        duplicate_of=duplicate[0] if duplicate else None,
        duplicate_similarity=round(duplicate[1], 4) if duplicate else None,
        story_similarity=None if similarity is None else round(similarity, 4),
        candidates_considered=considered,
        absorbed_story_ids=tuple(a.story_id for a in absorbed),
        moved_articles=tuple((m.article_id, m.source.story_id) for m in moves),
    )
    await index.commit(
        IndexWrite(
            story=state,
            posting_keys=tuple(dict.fromkeys(posting_keys)),
            features=features,
            band_keys=bands,
            article_id=article_id,
            record=record,
            listed=listed.model_copy(update={"duplicate_of": record.duplicate_of}),
            headline=headline,
            now=now,
            absorbed=tuple(absorbed),
            moved=tuple(moves),
        )
    )
    log.debug("article %s -> story %s (new=%s)", article_id, state.story_id, is_new)
    if absorbed:
        log.info("article %s -> story %s folded in %s", article_id, state.story_id, record.absorbed_story_ids)
    if moves:
        log.info("article %s -> story %s took %s", article_id, state.story_id, record.moved_articles)
    return Placement(record, state, repeated=False)


async def assign(
    article: CleanArticle,
    features: ArticleFeatures,
    index: AsyncStoryIndex,
    *,
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
    now: float | None = None,
) -> AssignmentResult:
    """Assign a clean article to a story and describe the story after it."""
    placed = await place(
        article.article_id,
        article.content_hash,
        features,
        index,
        listed=listed_article(article, None),
        headline=article.title,
        config=config,
        now=now,
    )
    record = placed.record if isinstance(placed, Placement) else placed
    story = await index.story_update(record.story_id)
    if story is not None and record.absorbed_story_ids:
        story = story.model_copy(update={"absorbed_story_ids": record.absorbed_story_ids})
    # A redelivered version reports the same moves, in case their first delivery was lost.
    sources = []
    for source_id in dict.fromkeys(source for _article, source in record.moved_articles):
        if (source_story := await index.story_update(source_id)) is not None:
            sources.append(source_story)
    return AssignmentResult(
        # The story's topic as its state holds it (None only if the story expired meanwhile).
        _assignment(article, record, story.topic_id if story is not None else None),
        story,
        repeated=not isinstance(placed, Placement),
        sources=tuple(sources),
    )
