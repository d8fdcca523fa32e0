"""The labelled story set as the story harnesses read it: each row as the pipeline would see it.

A JSONL set (fields ``id``, ``title``, ``text``, ``date``, ``cluster``, ``topic``) whose rows
are, by default, cleaned as plain-text articles as ``storywire dedup`` receives them. Topics are
split deterministically into a *tune* part (odd topic numbers, used for choosing thresholds)
and a *holdout* part (even topic numbers).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from evaluation.furniture import Furnisher
from evaluation.jsonl import read_jsonl
from storywire.contracts import CleanArticle, RawArticle
from storywire.contracts.articles import content_digest
from storywire.services.cleaner.cleaning import Rejection, count_words
from storywire.services.pipeline import OfflinePipeline
from storywire.services.text.dates import parse_date

__all__ = ["Article", "Inputs", "load_articles", "split_of"]

Inputs = Literal["pipeline", "publisher", "fields"]
"""How a row reaches the clusterer (see :func:`load_articles`)."""


@dataclass(frozen=True, slots=True)
class Article:
    """One labelled article of an evaluation set."""

    id: str
    title: str | None
    text: str
    published_at: datetime | None
    cluster: str
    topic: str
    language: str | None = None
    """As the cleaner detects it (``None`` when the rows' own fields are used)."""

    def as_clean(self, *, use_dates: bool = True) -> CleanArticle:
        """The article as dedup receives it; without its publication time unless ``use_dates``."""
        return CleanArticle(
            article_id=self.id,
            title=self.title,
            text=self.text,
            published_at=self.published_at if use_dates else None,
            language=self.language,
            word_count=count_words(self.text),
            content_hash=content_digest(self.text),
            source_hash=content_digest(self.text),
        )


def split_of(topic: str) -> str:
    """``tune`` for odd topic numbers, ``holdout`` for even ones (hash for non-numeric topics)."""
    digits = re.sub(r"\D", "", topic)
    number = int(digits) if digits else sum(topic.encode())
    return "tune" if number % 2 else "holdout"


def _row_date(row: Mapping[str, object]) -> datetime | None:
    """The row's ``date`` as the cleaner reads a date."""
    value = row.get("date")
    return parse_date(value) if isinstance(value, str) else None


def _as_cleaned(raw: RawArticle, pipeline: OfflinePipeline) -> tuple[str | None, str, datetime | None, str | None]:
    """Title, text, publication time and language as the pipeline sees them."""
    cleaned = pipeline.clean(raw)
    if isinstance(cleaned, Rejection):
        # The pipeline rejects it (no article text); score it on its raw text so every article counts.
        return None, raw.content, None, None
    return cleaned.title, cleaned.text, cleaned.published_at, cleaned.language


def load_articles(
    dataset: Path,
    split: str = "all",
    *,
    inputs: Inputs = "fields",
    furniture: Mapping[str, Sequence[str]] | None = None,
    site_urls: bool = False,
    seed: int = 0,
) -> list[Article]:
    """Read a labelled JSONL set, keeping the ``tune``, ``holdout`` or ``all`` topics.

    With ``inputs`` "pipeline" each row's ``text`` goes through the cleaner as a plain-text
    :class:`RawArticle` (as ``storywire dedup`` receives it, with the row's URL), and the title,
    text and publication time are the cleaner's; "publisher" gives the cleaner the row's title,
    date and outlet on the :class:`RawArticle` too, as a publisher that sends its metadata would;
    "fields" takes the row's fields as they are. With ``furniture``
    (site -> lines, :func:`evaluation.furniture.site_furniture`) each text is first wrapped in
    the furniture of one of its sites (:class:`evaluation.furniture.Furnisher`), one item a
    line, and given a URL on that site when ``site_urls`` (so the cleaner can learn each site's
    recurring lines) or none.
    """
    if furniture is not None and inputs == "fields":
        raise ValueError("furniture is only meaningful through the cleaner")
    articles = []
    furnisher = Furnisher(furniture, seed) if furniture else None
    with OfflinePipeline() as pipeline:
        for row in read_jsonl(dataset):
            topic = str(row.get("topic") or row["cluster"])
            if split != "all" and split_of(topic) != split:
                continue
            article_id = str(row["id"])
            if inputs != "fields":
                url, content = row.get("url"), str(row["text"])
                if furnisher is not None:
                    site, content = furnisher(content)
                    url = f"https://{site}/news/{article_id}" if site_urls else None
                given = inputs == "publisher"
                raw = RawArticle(
                    article_id=article_id,
                    url=str(url) if url else None,
                    content=content,
                    content_type="text/plain",
                    title=(row.get("title") or None) if given else None,
                    outlet=(row.get("outlet") or None) if given else None,
                    published_at=_row_date(row) if given else None,
                )
                title, text, published_at, language = _as_cleaned(raw, pipeline)
            else:
                title, text, published_at, language = row.get("title"), row["text"], _row_date(row), None
            articles.append(Article(article_id, title, text, published_at, str(row["cluster"]), topic, language))
    return articles
