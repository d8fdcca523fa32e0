"""Topics above stories: the running topic a story belongs to.

A story is one event; a topic is the run of events it belongs to (two earthquakes, the
events of one crisis). Stories of one topic share a ``topic_id`` and keep their own
``story_id``. The decision is made once, when an article starts a new story: the story
takes the topic of the most similar candidate story (the stories the dedup stage already
fetched for the article) when that similarity reaches ``TOPIC_THRESHOLD``, else it starts
a topic of its own, named after itself. A story keeps its topic for its whole life.

Similarity is the cosine of the article's tf-idf vector and a candidate's tf-idf centroid over
their words only (``w:`` keys; not the ``e:`` names nor the ``n:`` numbers of
:mod:`storywire.services.dedup.features`): names and figures tell sibling events apart, and a
topic is what their words share (rehab, earthquake, escape). On ECB+'s tune topics words only
scored BCubed F1 0.894 against 0.888 with every term. It is computed here from the raw term
weights and the caller's idf, so the decision does not depend on how the story decision scores
candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from storywire.services.dedup.clustering import StoryState, cosine, unit_vector

__all__ = ["TOPIC_THRESHOLD", "nearest_topic", "topic_for"]

TOPIC_THRESHOLD = 0.1
"""Cosine of a new story's first article to a candidate story's centroid (words only) from which
the story joins that story's topic. Chosen on ECB+'s tune topics (odd numbers) by
``storywire eval topics``: 0.075-0.1 on one plateau, 0.15 and above split more topics."""

#: The term keys a topic is compared on (see :mod:`storywire.services.dedup.features`).
WORD_PREFIX = "w:"


def _weighted(terms: Mapping[str, float], idf: Callable[[str], float]) -> dict[str, float]:
    """The words of a term vector, tf-idf weighted and L2-normalised."""
    return unit_vector({t: w * idf(t) for t, w in terms.items() if t.startswith(WORD_PREFIX)})


def topic_of(story: StoryState) -> str:
    """A story's topic (a story stored before topics existed is a topic of its own)."""
    return story.topic_id or story.story_id


def nearest_topic(
    terms: Mapping[str, float], candidates: Sequence[StoryState], idf: Callable[[str], float]
) -> tuple[str, float] | None:
    """The topic of the candidate story most similar to the article, and that similarity (None without candidates)."""
    vec = _weighted(terms, idf)
    best: tuple[str, float] | None = None
    for story in candidates:
        similarity = cosine(vec, _weighted(story.centroid, idf))
        if best is None or similarity > best[1]:
            best = (topic_of(story), similarity)
    return best


def topic_for(
    story_id: str,
    joined: StoryState | None,
    terms: Mapping[str, float],
    candidates: Sequence[StoryState],
    idf: Callable[[str], float],
) -> str:
    """The topic of the story an article was placed in.

    ``joined`` is the existing story it joined (which keeps its topic), or None when the article
    starts story ``story_id``: then the topic of the nearest of ``candidates`` (the other stories
    fetched for the article) if its similarity reaches ``TOPIC_THRESHOLD`` (read at each call, so
    ``storywire eval topics`` can set it), else ``story_id`` itself.
    """
    if joined is not None:
        return topic_of(joined)
    nearest = nearest_topic(terms, [c for c in candidates if c.story_id != story_id], idf)
    if nearest is not None and nearest[1] >= TOPIC_THRESHOLD:
        return nearest[0]
    return story_id
