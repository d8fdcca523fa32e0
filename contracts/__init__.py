"""storywire's message contracts: the API every producer and consumer shares.

Each contract is a frozen pydantic model with a ``schema_version``. Additive
changes (a new optional field) keep the version; anything that changes the
meaning or type of an existing field bumps it. Consumers ignore fields they do
not know, so older readers keep working when fields are added.
"""

from storywire.contracts.articles import CleanArticle, ContentType, RawArticle
from storywire.contracts.base import Contract
from storywire.contracts.dead_letters import DeadLetter
from storywire.contracts.stories import MovedArticle, StoryArticle, StoryAssignment, StoryUpdate
from storywire.contracts.summaries import (
    ArticleSummary,
    Entity,
    EntityType,
    Quote,
    StoryPoint,
    StorySummary,
)

ALL_CONTRACTS: tuple[type[Contract], ...] = (
    RawArticle,
    CleanArticle,
    StoryAssignment,
    StoryUpdate,
    ArticleSummary,
    StorySummary,
    DeadLetter,
)

__all__ = [
    "ALL_CONTRACTS",
    "ArticleSummary",
    "CleanArticle",
    "ContentType",
    "Contract",
    "DeadLetter",
    "Entity",
    "EntityType",
    "MovedArticle",
    "Quote",
    "RawArticle",
    "StoryArticle",
    "StoryAssignment",
    "StoryPoint",
    "StorySummary",
    "StoryUpdate",
]
