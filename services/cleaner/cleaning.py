"""The cleaner's domain: a raw article in, a clean article or a rejection out.

Knows nothing of Redis. HTML goes through :func:`extract_html`, plain text
through the line-level filter of :mod:`storywire.services.cleaner.plain_text`; the
publisher's own metadata wins over what is found in the page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from storywire.contracts import CleanArticle, RawArticle
from storywire.contracts.articles import content_digest, outlet_from_url
from storywire.services.cleaner.extraction import extract_html
from storywire.services.cleaner.language import detect_language
from storywire.services.cleaner.outlet_boilerplate import (
    BoilerplateMemory,
    fingerprint,
    recurring,
    remove_learned,
    removes_too_much,
    split_lines,
)
from storywire.services.cleaner.plain_text import clean_plain_text
from storywire.services.cleaner.wire_boilerplate import strip_wire_boilerplate
from storywire.services.text.dates import is_dateline, parse_date
from storywire.services.text.tokens import WORD_CHARS
from storywire.services.time_budget import BudgetExceeded, within_budget

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A page that holds no article text, with the reason."""

    kind: str
    reason: str


def count_words(text: str) -> int:
    """Words as runs of letters and digits."""
    return sum(1 for _ in WORD_CHARS.finditer(text))


#: Seconds one article may take to clean; a page that needs more is rejected.
DEFAULT_TIME_BUDGET_S = 10.0


def clean_article(raw: RawArticle, *, time_budget_s: float | None = DEFAULT_TIME_BUDGET_S) -> CleanArticle | Rejection:
    """Remove the boilerplate of one article and collect its metadata, within a time budget."""
    try:
        return within_budget(time_budget_s, lambda: _clean(raw))
    except BudgetExceeded:
        return Rejection("TimeBudgetExceeded", f"cleaning took longer than {time_budget_s} s")


async def clean_with_memory(
    raw: RawArticle, memory: BoilerplateMemory, *, time_budget_s: float | None = DEFAULT_TIME_BUDGET_S
) -> CleanArticle | Rejection:
    """The cleaner's whole job: :func:`clean_article`, then the outlet's learned boilerplate removed."""
    result = clean_article(raw, time_budget_s=time_budget_s)
    if isinstance(result, Rejection):
        return result
    return await without_outlet_boilerplate(result, memory)


async def without_outlet_boilerplate(article: CleanArticle, memory: BoilerplateMemory) -> CleanArticle:
    """Remove the lines this outlet repeats across its articles, and learn from this one.

    Never rejects: when the learned lines would take most of the article's words, the article
    keeps its text (a template of the outlet's own, or a memory taught the outlet's real lines).
    """
    outlet = article.outlet or outlet_from_url(article.url)
    if not outlet:
        return article
    fingerprints = [fingerprint(line) for line in split_lines(article.text)]
    history = await memory.observe(outlet, article.article_id, article.content_hash, fingerprints)
    learned = recurring(history, memory.config)
    if not learned:
        return article
    text, removed = remove_learned(article.text, learned)
    if not removed:
        return article
    words_before, words_after = count_words(article.text), count_words(text)
    if removes_too_much(words_before, words_after, memory.config):
        log.debug(
            "article %s of %s keeps its text: learned lines would leave %s of its %s words",
            article.article_id,
            outlet,
            words_after,
            words_before,
        )
        return article
    return article.model_copy(
        update={
            "text": text,
            "word_count": words_after,
            "content_hash": content_digest(text),
            "removed": (*article.removed, *removed),
        }
    )


def _publisher_title(raw: RawArticle) -> tuple[str | None, str | None]:
    """The publisher's title, and a date given in its place (feeds that fill it with the first line)."""
    if raw.title and is_dateline(raw.title):
        return None, raw.title
    return raw.title, None


def _clean(raw: RawArticle) -> CleanArticle | Rejection:
    source_hash = content_digest(raw.content)
    given_title, title_date = _publisher_title(raw)
    if raw.content_type == "text/html":
        page = extract_html(raw.content, url=raw.url)
        text = page.text
        title = given_title or page.title
        authors = page.authors
        published_at = raw.published_at or parse_date(page.published_at or title_date)
        language = raw.language or page.language
        outlet = raw.outlet or page.site_name or outlet_from_url(page.canonical_url)
        canonical_url = page.canonical_url
        removed = page.removed
    else:
        plain = clean_plain_text(raw.content, raw.language or detect_language(raw.content))
        # A headline with only a dateline is a wire flash, not an empty page: its headline is its text.
        text = plain.text if count_words(plain.text) or not plain.title else plain.title
        title = given_title or plain.title
        authors = (plain.byline,) if plain.byline else ()
        published_at = raw.published_at or parse_date(plain.dateline or title_date)
        language = raw.language or detect_language(text)
        outlet = raw.outlet
        canonical_url = None
        removed = plain.removed
    text = strip_wire_boilerplate(text)
    if not count_words(text):
        return Rejection("NoArticleText", "no article text was found in the content")
    return CleanArticle(
        article_id=raw.article_id,
        url=raw.url,
        canonical_url=canonical_url,
        outlet=outlet,
        title=title,
        authors=authors,
        published_at=published_at,
        fetched_at=raw.fetched_at or datetime.now(UTC),
        language=language,
        text=text,
        word_count=count_words(text),
        content_hash=content_digest(text),
        source_hash=source_hash,
        source_content_type=raw.content_type,
        removed=removed,
    )
