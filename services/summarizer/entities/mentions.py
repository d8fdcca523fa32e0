"""An entity found in a text: the result of extraction and of merging."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EntityType = Literal["PER", "LOC", "ORG"]


@dataclass(frozen=True, slots=True)
class EntityMention:
    """An entity with its canonical name, type, mention count and spellings seen."""

    name: str
    type: EntityType
    count: int
    variants: tuple[str, ...]
