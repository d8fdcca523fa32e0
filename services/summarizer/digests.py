"""What a story summary is built from: a digest of each of the story's articles.

The summarizer keeps them per story (:mod:`storywire.services.summarizer.digest_store`) and
summarises a story from them (:func:`storywire.services.summarizer.summarizing.summarize_story`).
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from storywire.contracts import ArticleSummary, Entity


@dataclass(frozen=True, slots=True)
class ArticleDigest:
    """What a story summary needs of one of its articles."""

    article_id: str
    outlet: str | None
    headline: str | None
    key_points: tuple[str, ...]
    entities: tuple[Entity, ...]
    seen_at: float
    language: str | None = None

    def to_json(self) -> bytes:
        """Serialised for the story's digest store."""
        return orjson.dumps(
            {
                "article_id": self.article_id,
                "outlet": self.outlet,
                "headline": self.headline,
                "key_points": self.key_points,
                "entities": [e.model_dump(mode="json") for e in self.entities],
                "seen_at": self.seen_at,
                "language": self.language,
            }
        )

    @classmethod
    def from_json(cls, data: bytes) -> ArticleDigest:
        """Inverse of :meth:`to_json`."""
        doc = orjson.loads(data)
        return cls(
            article_id=doc["article_id"],
            outlet=doc["outlet"],
            headline=doc["headline"],
            key_points=tuple(doc["key_points"]),
            entities=tuple(Entity.model_validate(e) for e in doc["entities"]),
            seen_at=float(doc["seen_at"]),
            language=doc.get("language"),  # digests stored before 2026-12-05 have none
        )


def digest_of(summary: ArticleSummary, seen_at: float) -> ArticleDigest:
    """The digest of a summarised article, stamped with when the story saw it."""
    return ArticleDigest(
        article_id=summary.article_id,
        outlet=summary.outlet,
        headline=summary.headline,
        key_points=summary.key_points,
        entities=summary.entities,
        seen_at=seen_at,
        language=summary.language,
    )


@dataclass(frozen=True, slots=True)
class StoryDigests:
    """A story as the summarizer sees it: a sample of digests and every id and outlet.

    ``story_id`` is the story the digest was recorded in: the one asked for, or the story it
    was folded into when the article's assignment arrived after the fold.
    """

    story_id: str
    sample: tuple[ArticleDigest, ...]
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first_seen: float
    last_seen: float
    topic_id: str | None = None
    """The story's running topic, as dedup's assignments name it (None when none has yet)."""
