"""Single-pass story clustering: the pure decision logic.

An arriving article is compared with a handful of candidate stories fetched
through an inverted index and either joins the best one or starts a new story.
All decision logic is in pure functions (:func:`retrieval_keys`, :func:`decide`,
:func:`updated_story`) so the same code runs around an in-memory index
(:mod:`services.dedup.memory_index`) or around async Redis calls.

Per article, the index is used in this order (see :class:`services.dedup.assigning.AsyncStoryIndex`):

1. read N and the document frequency of every article term (<= 300 terms);
2. read the postings of the article's :func:`retrieval_keys` (15 keys; per key
   the ``postings_per_key`` story ids most recently posted under it, not older
   than ``now - horizon`` in ingest time) and rank the stories by the summed idf
   of the keys they share (:func:`rank_candidates`);
3. read the states of the top ``max_candidates`` stories;
4. read the document frequencies of those stories' :func:`story_terms` that
   step 1 did not fetch (one batched read, typically 1-3 thousand terms);
5. call :func:`decide` (pure; skips stories outside the publication-time
   window); then write the joined or new story's state from
   :func:`updated_story` / :func:`new_story`, add the story id to the postings
   of the article's retrieval keys with score ``now``, and increment N and the
   df of every article term.

Postings older than the horizon are dropped as the index writes them (and expire in Redis).

Similarity uses idf from the stream itself at decision time: story vectors are
stored as raw (tf) sums, so early stories are not frozen with the noisy idf of a
young stream. The price is read 4.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from services.dedup.features import ArticleFeatures

__all__ = [
    "DEFAULT_CLUSTER_CONFIG",
    "ClusterConfig",
    "CorpusStats",
    "Decision",
    "Evidence",
    "MemberVector",
    "StoryState",
    "cosine",
    "decide",
    "evidence",
    "in_time_window",
    "new_story",
    "rank_candidates",
    "retrieval_keys",
    "story_terms",
    "updated_story",
    "weighted_vector",
]


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Weights, thresholds and bounds of the story decision.

    The score of an article against a candidate story is a linear combination
    of similarity evidence (:class:`Evidence`). Tuned on the odd-numbered ECB+
    topics: cosine to the centroid plus a small bonus for shared numbers won;
    member, entity and size terms (and a logistic fit of all five) are kept as
    knobs but did not improve BCubed F1, so they default to 0.
    """

    weight_centroid: float = 1.0
    weight_member: float = 0.0
    weight_entities: float = 0.0
    weight_numbers: float = 0.3
    weight_log_size: float = 0.0
    bias: float = 0.0
    join_threshold: float = 0.28
    """Minimum score to join an existing story; below it the article starts a new one."""
    size_cap: int = 16
    """Story size beyond which the size term stops growing (the fitted data had stories of <= 22)."""
    retrieval_terms: int = 15
    """How many of the article's highest tf-idf terms are looked up in the postings."""
    max_candidates: int = 20
    """How many stories (by shared retrieval keys) are scored in full (15 lost nothing on ECB+)."""
    postings_per_key: int = 200
    """Only this many most recently updated stories are read from one posting list."""
    centroid_terms: int = 200
    """Story centroids are truncated to this many terms (by tf-idf) to keep state bounded."""
    member_terms: int = 60
    """Stored member vectors are truncated to this many terms."""
    max_members: int = 0
    """Member vectors kept per story (the first half and the most recent half). 0 by default:
    best-member similarity did not improve F1, and members would triple the story state."""
    time_window: float = 7 * 86400.0
    """A dated article may join a dated story only within this many seconds of its time range."""
    horizon: float = 14 * 86400.0
    """Stories not updated for this long leave the candidate index."""


DEFAULT_CLUSTER_CONFIG = ClusterConfig()


@lru_cache(maxsize=1 << 16)
def _idf(documents: int, df: int) -> float:
    return math.log((documents + 1) / (df + 1)) + 1.0


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """Document frequencies as read from the index: ``documents`` is N, ``df`` covers requested terms."""

    documents: int
    df: Mapping[str, int]

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; unseen terms get the maximum."""
        return _idf(self.documents, self.df.get(term, 0))


@dataclass(frozen=True, slots=True)
class MemberVector:
    """A member article's truncated tf vector, kept for nearest-member similarity."""

    article_id: str
    terms: dict[str, float]


@dataclass(frozen=True, slots=True)
class StoryState:
    """Everything the decision needs about one story; bounded in size."""

    story_id: str
    size: int
    centroid: dict[str, float]
    """Sum of member tf vectors (each L2-normalised), truncated to ``centroid_terms``."""
    members: tuple[MemberVector, ...]
    first_published: float | None
    last_published: float | None
    last_updated: float
    """Latest ingest time (``now``) at which an article joined, for expiry."""


@dataclass(frozen=True, slots=True)
class Decision:
    """Outcome for one article: the story it joins (``None`` = start a new one) and the evidence."""

    story_id: str | None
    score: float
    evidence: dict[str, Evidence] = field(default_factory=dict)


def weighted_vector(terms: Mapping[str, float], stats: CorpusStats) -> dict[str, float]:
    """tf-idf vector, L2-normalised."""
    vec = {t: w * stats.idf(t) for t, w in terms.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    if norm == 0.0:
        return {}
    return {t: v / norm for t, v in vec.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two L2-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _unit_tf(terms: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in terms.values()))
    return {t: v / norm for t, v in terms.items()} if norm else {}


def retrieval_keys(features: ArticleFeatures, stats: CorpusStats, config: ClusterConfig) -> list[str]:
    """The article's top terms by tf-idf: looked up in the postings and posted to its story."""
    ranked = sorted(features.terms.items(), key=lambda kv: (-kv[1] * stats.idf(kv[0]), kv[0]))
    return [t for t, _ in ranked[: config.retrieval_terms]]


def rank_candidates(postings: Mapping[str, Sequence[str]], stats: CorpusStats, limit: int) -> list[str]:
    """Story ids ordered by the summed idf of the retrieval keys they share with the article."""
    scores: dict[str, float] = {}
    for key, story_ids in postings.items():
        weight = stats.idf(key)
        for sid in story_ids:
            scores[sid] = scores.get(sid, 0.0) + weight
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [sid for sid, _ in ranked[:limit]]


def in_time_window(published_at: float | None, story: StoryState, window: float) -> bool:
    """Undated articles or stories always pass; dated ones must fall near the story's time range."""
    if published_at is None or story.first_published is None or story.last_published is None:
        return True
    return story.first_published - window <= published_at <= story.last_published + window


def story_terms(stories: Iterable[StoryState]) -> set[str]:
    """All terms whose df :func:`decide` needs for these stories (index read step 4)."""
    terms: set[str] = set()
    for story in stories:
        terms.update(story.centroid)
        for member in story.members:
            terms.update(member.terms)
    return terms


@dataclass(frozen=True, slots=True)
class Evidence:
    """Similarities of one article to one candidate story (all cosines of idf-weighted vectors)."""

    centroid: float
    """Cosine to the story centroid, all terms."""
    member: float
    """Cosine to the closest stored member."""
    entities: float
    """Cosine of the entity keys (``e:``) only: names separate sibling events best."""
    numbers: float
    """Cosine of the number keys (``n:``) only: tolls, magnitudes, scores, years are event-specific."""
    size: int

    def score(self, config: ClusterConfig) -> float:
        """The linear score compared with ``config.join_threshold``."""
        return (
            config.weight_centroid * self.centroid
            + config.weight_member * self.member
            + config.weight_entities * self.entities
            + config.weight_numbers * self.numbers
            + config.weight_log_size * math.log(min(max(self.size, 1), config.size_cap))
            + config.bias
        )


def _prefixed(vec: Mapping[str, float], prefix: str) -> dict[str, float]:
    sub = {t: v for t, v in vec.items() if t.startswith(prefix)}
    norm = math.sqrt(sum(v * v for v in sub.values()))
    return {t: v / norm for t, v in sub.items()} if norm else {}


def evidence(
    vec: Mapping[str, float],
    story: StoryState,
    stats: CorpusStats,
    config: ClusterConfig | None = None,
) -> Evidence:
    """Similarity evidence of an article (its :func:`weighted_vector`) against one story.

    With a ``config``, evidence whose weight is 0 is not computed (reported as 0.0).
    """

    def wanted(weight: float) -> bool:
        return config is None or weight != 0.0

    centroid = weighted_vector(story.centroid, stats)
    member = 0.0
    if wanted(config.weight_member if config else 1.0):
        member = max((cosine(vec, weighted_vector(m.terms, stats)) for m in story.members), default=0.0)
    entities = numbers = 0.0
    if wanted(config.weight_entities if config else 1.0):
        entities = cosine(_prefixed(vec, "e:"), _prefixed(centroid, "e:"))
    if wanted(config.weight_numbers if config else 1.0):
        numbers = cosine(_prefixed(vec, "n:"), _prefixed(centroid, "n:"))
    return Evidence(centroid=cosine(vec, centroid), member=member, entities=entities, numbers=numbers, size=story.size)


def decide(
    features: ArticleFeatures,
    candidates: Sequence[StoryState],
    stats: CorpusStats,
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
) -> Decision:
    """Pick the story the article belongs to, or none (start a new story).

    Candidates outside the time window are skipped; the others are scored with
    :meth:`Evidence.score` and the best one is joined if it reaches the
    threshold. ``stats`` must cover the article's terms and the candidates'
    :func:`story_terms`.
    """
    vec = weighted_vector(features.terms, stats)
    best: tuple[float, str | None, Evidence | None] = (-math.inf, None, None)
    scored: dict[str, Evidence] = {}
    for story in candidates:
        if not in_time_window(features.published_at, story, config.time_window):
            continue
        ev = evidence(vec, story, stats, config)
        scored[story.story_id] = ev
        score = ev.score(config)
        if score >= config.join_threshold and score > best[0]:
            best = (score, story.story_id, ev)
    score, story_id, _ = best
    return Decision(story_id=story_id, score=score if story_id else 0.0, evidence=scored)


def _min_opt(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def _max_opt(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


def new_story(
    story_id: str,
    article_id: str,
    features: ArticleFeatures,
    stats: CorpusStats,
    now: float,
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
) -> StoryState:
    """The state of a story that this article starts."""
    empty = StoryState(
        story_id=story_id,
        size=0,
        centroid={},
        members=(),
        first_published=None,
        last_published=None,
        last_updated=now,
    )
    return updated_story(empty, article_id, features, stats, now, config)


def updated_story(
    story: StoryState,
    article_id: str,
    features: ArticleFeatures,
    stats: CorpusStats,
    now: float,
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
) -> StoryState:
    """The story's state after adding this article (the input is not modified).

    ``stats`` should cover the article's terms and :func:`story_terms` of the
    story: the centroid is truncated by tf-idf, and terms missing from ``stats``
    count as rare (so they are kept rather than dropped).
    """
    unit = _unit_tf(features.terms)
    centroid = dict(story.centroid)
    for t, v in unit.items():
        centroid[t] = centroid.get(t, 0.0) + v
    if len(centroid) > config.centroid_terms:
        # Truncate by tf-idf so the kept terms are the distinctive ones, not the frequent ones.
        ranked = sorted(centroid.items(), key=lambda kv: (-kv[1] * stats.idf(kv[0]), kv[0]))
        centroid = dict(ranked[: config.centroid_terms])
    members = story.members
    if config.max_members > 0:
        ranked = sorted(features.terms.items(), key=lambda kv: (-kv[1] * stats.idf(kv[0]), kv[0]))
        members = (*members, MemberVector(article_id, dict(ranked[: config.member_terms])))
    if len(members) > config.max_members:
        # Keep the founding members (they defined the story) and the latest (it drifts).
        head = config.max_members // 2
        members = members[:head] + members[len(members) - (config.max_members - head) :]
    return StoryState(
        story_id=story.story_id,
        size=story.size + 1,
        centroid=centroid,
        members=members,
        first_published=_min_opt(story.first_published, features.published_at),
        last_published=_max_opt(story.last_published, features.published_at),
        last_updated=max(story.last_updated, now),
    )
