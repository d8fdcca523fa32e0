"""The summarizer's article summary: what it carries over from the clean article."""

from __future__ import annotations

from storywire.contracts import CleanArticle, StoryAssignment
from storywire.contracts.articles import content_digest
from storywire.services.summarizer.summarizing import summarize_article
from tests.unit.test_extraction import PARAGRAPHS


def test_a_summary_carries_the_canonical_url_and_authors_of_its_clean_article() -> None:
    text = "\n\n".join(PARAGRAPHS)
    article = CleanArticle(
        article_id="tram",
        url="https://example.com/news/tram-plan?utm=feed",
        canonical_url="https://example.com/news/tram-plan",
        title="Council approves tram plan",
        authors=("Jane Doe", "John Roe"),
        text=text,
        word_count=len(text.split()),
        content_hash=content_digest(text),
        source_hash=content_digest(text),
    )
    assignment = StoryAssignment(
        article_id="tram", content_hash=article.content_hash, story_id="story-1", is_new_story=True, article=article
    )
    summary = summarize_article(assignment)
    assert summary.url == "https://example.com/news/tram-plan?utm=feed"
    assert summary.canonical_url == "https://example.com/news/tram-plan"
    assert summary.authors == ("Jane Doe", "John Roe")
