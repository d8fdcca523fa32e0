"""The summarizer's article summary: what it carries over from the clean article."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from syntok import segmenter
from syntok.segmenter import Token

from storywire.contracts import CleanArticle, StoryAssignment
from storywire.contracts.articles import content_digest
from storywire.services.summarizer import quotes, sentences, summarizing
from storywire.services.summarizer.summarizing import summarize_article
from tests.unit.test_extraction import PARAGRAPHS


def _assignment(text: str) -> StoryAssignment:
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
    return StoryAssignment(
        article_id="tram", content_hash=article.content_hash, story_id="story-1", is_new_story=True, article=article
    )


def test_a_summary_carries_the_canonical_url_and_authors_of_its_clean_article() -> None:
    summary = summarize_article(_assignment("\n\n".join(PARAGRAPHS)))
    assert summary.url == "https://example.com/news/tram-plan?utm=feed"
    assert summary.canonical_url == "https://example.com/news/tram-plan"
    assert summary.authors == ("Jane Doe", "John Roe")


def test_summarizing_an_article_splits_it_into_sentences_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entities, key points, keywords and quotes share one split of the article."""
    split: list[str] = []  # the paragraphs the segmenter was given

    def analyze(paragraph: str) -> Iterator[list[list[Token]]]:
        split.append(paragraph)
        analysed: Iterator[list[list[Token]]] = segmenter.analyze(paragraph)  # syntok has no type hints
        return analysed

    monkeypatch.setattr(sentences, "segmenter", SimpleNamespace(analyze=analyze))
    summarize_article(_assignment("\n\n".join(PARAGRAPHS)))
    assert split == sentences.split_paragraphs("\n\n".join(PARAGRAPHS))


def test_an_article_that_names_nobody_has_its_entities_looked_for_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Quotes take the entities the summary found, even none, rather than reading the article again."""
    looked: list[object] = []

    def no_entities(*args: object, **kwargs: object) -> list[object]:
        looked.append(args)
        return []

    monkeypatch.setattr(summarizing, "extract_entities", no_entities)
    monkeypatch.setattr(quotes, "extract_entities", no_entities)
    summarize_article(_assignment('"We will build it this year," the council said in its plan for the new line.'))
    assert len(looked) == 1
