"""Structured summaries of articles and of whole stories."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from storywire.contracts.base import Contract
from storywire.contracts.stories import LISTED_ARTICLES, LISTED_OUTLETS

EntityType = Literal["person", "place", "organisation"]


class Entity(Contract):
    """A named entity with its spelling variants merged into it."""

    contract_name: ClassVar[str] = "Entity"

    schema_version: Literal[1] = 1
    name: str
    type: EntityType
    mentions: int = Field(ge=1)
    variants: tuple[str, ...] = ()


class Quote(Contract):
    """A direct quote and, where it can be told, who said it."""

    contract_name: ClassVar[str] = "Quote"

    schema_version: Literal[1] = 1
    text: str
    speaker: str | None = None


class ArticleSummary(Contract):
    """What downstream consumers read from ``summaries``: one per article version."""

    contract_name: ClassVar[str] = "ArticleSummary"

    schema_version: Literal[1] = 1
    article_id: str
    content_hash: str
    story_id: str
    is_new_story: bool = False
    duplicate_of: str | None = None
    outlet: str | None = None
    url: str | None = None
    canonical_url: str | None = Field(
        default=None, description="The page's own canonical URL, as the cleaner found it."
    )
    headline: str | None = None
    authors: tuple[str, ...] = Field(
        default=(), description="Author names the cleaner found (byline, meta tags, JSON-LD)."
    )
    published_at: datetime | None = None
    language: str | None = None
    key_points: tuple[str, ...] = Field(default=(), description="Extractive sentences, most important first.")
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    keywords: tuple[str, ...] = ()
    word_count: int = Field(ge=0)
    reading_time_s: int = Field(ge=0)


class StoryPoint(Contract):
    """A key point of a story with the outlets and articles that report it."""

    contract_name: ClassVar[str] = "StoryPoint"

    schema_version: Literal[1] = 1
    text: str
    outlets: tuple[str, ...]
    article_ids: tuple[str, ...]


class StorySummary(Contract):
    """One summary of a whole story, emitted each time the story gains an article.

    Bounded whatever the story's size: it lists the most recent article ids and the first
    outlets, and counts all of them.
    """

    contract_name: ClassVar[str] = "StorySummary"

    schema_version: Literal[1] = 1
    story_id: str
    headline: str | None = None
    outlets: tuple[str, ...] = Field(
        description=f"Outlets by first appearance: at most {LISTED_OUTLETS} (entries without `outlet_count`: all)."
    )
    article_ids: tuple[str, ...] = Field(
        description=(
            f"The latest articles, oldest first: at most {LISTED_ARTICLES} (entries without `article_count`: all)."
        )
    )
    first_seen: datetime
    last_seen: datetime
    key_points: tuple[StoryPoint, ...] = ()
    entities: tuple[Entity, ...] = ()
    absorbed_story_ids: tuple[str, ...] = Field(
        default=(),
        description="Stories folded into this one by this update (their articles count here now): drop them.",
    )
    article_count: int | None = Field(
        default=None, ge=0, description="Articles in the story (absent from producers before it existed)."
    )
    outlet_count: int | None = Field(
        default=None, ge=0, description="Outlets of the story (absent from producers before it existed)."
    )
    topic_id: str | None = Field(
        default=None,
        description=(
            "The story's running topic, shared with the stories of sibling events; a young story may take "
            "another story's topic once "
            "(None when the summarizer does not know it: summaries written before it, digests recorded before it)."
        ),
    )
