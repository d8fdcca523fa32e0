"""Story detection results: one per article, and the state of each story."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from storywire.contracts.articles import ArticleId, CleanArticle
from storywire.contracts.base import Contract

#: A story's state lists at most this many of its articles (the most recent) and this many outlets;
#: it counts the rest. Bounded entries keep the ``stories`` and ``story_summaries`` streams linear in
#: the articles they report, where whole lists made them grow with the square of a story's size.
LISTED_ARTICLES = 20
LISTED_OUTLETS = 50


class MovedArticle(Contract):
    """An earlier article that left its story for the story of the article being assigned."""

    contract_name: ClassVar[str] = "MovedArticle"

    schema_version: Literal[1] = 1
    article_id: str
    from_story_id: str = Field(description="The story it was in; that story goes on without it.")


class StoryAssignment(Contract):
    """The story an article belongs to, and whether it copies an earlier article."""

    contract_name: ClassVar[str] = "StoryAssignment"

    schema_version: Literal[1] = 1
    article_id: ArticleId
    content_hash: str
    story_id: str
    is_new_story: bool
    duplicate_of: str | None = Field(
        default=None, description="The earlier article this one is a near-verbatim copy of."
    )
    duplicate_similarity: float | None = Field(
        default=None, description="Estimated shingle resemblance to `duplicate_of`."
    )
    story_similarity: float | None = Field(
        default=None, description="Similarity to the story it joined (None for a new story)."
    )
    candidates_considered: int = Field(default=0, ge=0)
    absorbed_story_ids: tuple[str, ...] = Field(
        default=(),
        description=(
            "One-article stories folded into `story_id` by this article's arrival: their article now "
            "fits the grown story. Their ids are retired; consumers fold them into `story_id`."
        ),
    )
    moved_articles: tuple[MovedArticle, ...] = Field(
        default=(),
        description=(
            "Earlier articles moved into `story_id` by this article's arrival: they fit it better than the "
            "story they were in, which goes on without them (a `stories` update is emitted for it)."
        ),
    )
    topic_id: str | None = Field(
        default=None,
        description=(
            "The running topic of `story_id`: stories of sibling events (two earthquakes, the events of one "
            "crisis) share it and keep their own `story_id`. A young story that is a topic of its own may "
            "take another story's topic once (keep the latest seen); absent from producers before it existed."
        ),
    )
    article: CleanArticle = Field(description="The article itself, for the next stage.")


class StoryArticle(Contract):
    """One article as listed in a story's state."""

    contract_name: ClassVar[str] = "StoryArticle"

    schema_version: Literal[1] = 1
    article_id: str
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    duplicate_of: str | None = None


class StoryUpdate(Contract):
    """The current state of a story, emitted whenever an article joins it.

    Bounded whatever the story's size: it lists the most recent articles and outlets, and
    counts the rest. The latest update of a story id is its whole state; every article's own
    assignment is on ``articles.stories``.
    """

    contract_name: ClassVar[str] = "StoryUpdate"

    schema_version: Literal[1] = 1
    story_id: str
    headline: str | None = None
    articles: tuple[StoryArticle, ...] = Field(
        description=(
            f"The story's latest articles, oldest first: at most {LISTED_ARTICLES}"
            " (entries without `article_count`: 200)."
        )
    )
    outlets: tuple[str, ...] = Field(
        description=f"Outlets of its most recent 200 articles, in order of first appearance, at most {LISTED_OUTLETS}."
    )
    first_seen: datetime
    last_seen: datetime
    absorbed_story_ids: tuple[str, ...] = Field(
        default=(),
        description="Stories folded into this one by this update (their articles are listed here now): drop them.",
    )
    article_count: int | None = Field(
        default=None,
        ge=0,
        description="Articles in the story, listed in `articles` or not (absent from producers before it existed).",
    )
    topic_id: str | None = Field(
        default=None,
        description=(
            "The story's running topic, shared with the stories of sibling events; a young story that is a "
            "topic of its own may take another story's topic once (keep the latest seen)."
        ),
    )
