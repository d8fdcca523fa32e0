"""The summarizer's domain: an assigned article in, its structured summary out.

Knows nothing of Redis. Story summaries are built from the digests of a
story's articles (:mod:`storywire.services.summarizer.digests`), which the caller
keeps (Redis in the service, a dict offline).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, TypeVar

from storywire.contracts import ArticleSummary, Entity, Quote, StoryAssignment, StoryPoint, StorySummary
from storywire.contracts.stories import LISTED_ARTICLES, LISTED_OUTLETS
from storywire.services.summarizer.digests import StoryDigests
from storywire.services.summarizer.document import Document
from storywire.services.summarizer.entities import EntityMention, extract_entities, merge_entities
from storywire.services.summarizer.key_points import key_points
from storywire.services.summarizer.keywords import keywords
from storywire.services.summarizer.quotes import extract_quotes
from storywire.services.summarizer.story_headline import story_headline
from storywire.services.summarizer.story_merge import merge_key_points

#: Adult reading speed for news prose, words per minute.
READING_WPM = 230
KEY_POINTS = 5
ENTITIES = 25
STORY_POINTS = 8
#: Key points of each article that a story summary merges (the merge is quadratic in them).
POINTS_PER_ARTICLE = 3

_TYPES: dict[str, Literal["person", "place", "organisation"]] = {
    "PER": "person",
    "LOC": "place",
    "ORG": "organisation",
}
_CODES = {v: k for k, v in _TYPES.items()}

#: A message that places an article in a story.
Placed = TypeVar("Placed", ArticleSummary, StoryAssignment)


def _entity(mention: EntityMention) -> Entity:
    return Entity(
        name=mention.name,
        type=_TYPES[mention.type],
        mentions=max(1, mention.count),
        variants=tuple(v for v in mention.variants if v != mention.name),
    )


def _mention(entity: Entity) -> EntityMention:
    return EntityMention(
        name=entity.name,
        type=_CODES[entity.type],  # type: ignore[arg-type]
        count=entity.mentions,
        variants=(entity.name, *entity.variants),
    )


def summarize_article(assignment: StoryAssignment) -> ArticleSummary:
    """Key points, entities, quotes, keywords and counts of one article."""
    article = assignment.article
    # Split once, for entities, quotes, key points and keywords.
    document = Document.of(article.text)
    mentions = extract_entities(document, title=article.title)
    quotes = extract_quotes(document, mentions)
    points = key_points(document, title=article.title, limit=KEY_POINTS, language=article.language)
    return ArticleSummary(
        article_id=article.article_id,
        content_hash=article.content_hash,
        story_id=assignment.story_id,
        is_new_story=assignment.is_new_story,
        duplicate_of=assignment.duplicate_of,
        outlet=article.outlet,
        url=article.url,
        canonical_url=article.canonical_url,
        headline=article.title or (points[0] if points else None),
        authors=article.authors,
        published_at=article.published_at,
        language=article.language,
        key_points=tuple(points),
        entities=tuple(_entity(m) for m in mentions[:ENTITIES]),
        quotes=tuple(Quote(text=q.text, speaker=q.speaker) for q in quotes),
        keywords=tuple(keywords(document, title=article.title, language=article.language)),
        word_count=article.word_count,
        reading_time_s=round(article.word_count * 60 / READING_WPM),
    )


def reported_in(message: Placed, story_id: str) -> Placed:
    """The article's summary (or assignment) reported in the story it is in now.

    Its story may have been folded into another, or the article moved to another, since dedup
    placed it: the message then names where the article is, as dedup's record of it does, and no
    longer the start of a story.
    """
    if message.story_id == story_id:
        return message
    return message.model_copy(update={"story_id": story_id, "is_new_story": False})


def summarize_story(story: StoryDigests, absorbed: tuple[str, ...] = ()) -> StorySummary:
    """One summary of a whole story: the title its articles agree on, merged points with their
    outlets, merged entities.

    ``absorbed`` names the stories folded into this one by the update being summarised.
    """
    sample = sorted(story.sample, key=lambda d: (d.seen_at, d.article_id))
    merged = merge_key_points(
        [(d.article_id, d.outlet or "unknown", d.key_points[:POINTS_PER_ARTICLE]) for d in sample],
        {d.article_id: d.language for d in sample},
    )
    entities = merge_entities([[_mention(e) for e in d.entities] for d in sample])
    return StorySummary(
        story_id=story.story_id,
        headline=story_headline(sample),
        outlets=story.outlets[:LISTED_OUTLETS],
        article_ids=story.article_ids[-LISTED_ARTICLES:],
        first_seen=datetime.fromtimestamp(story.first_seen, UTC),
        last_seen=datetime.fromtimestamp(story.last_seen, UTC),
        key_points=tuple(
            StoryPoint(text=p.text, outlets=p.outlets, article_ids=p.article_ids) for p in merged[:STORY_POINTS]
        ),
        entities=tuple(_entity(m) for m in entities[:ENTITIES]),
        absorbed_story_ids=absorbed,
        article_count=len(story.article_ids),
        outlet_count=len(story.outlets),
        topic_id=story.topic_id,
    )
