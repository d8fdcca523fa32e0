"""Contracts: identity derivation, validation, immutability and the committed JSON Schemas."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from storywire.contracts import (
    ALL_CONTRACTS,
    ArticleSummary,
    CleanArticle,
    RawArticle,
    StoryAssignment,
    StorySummary,
    StoryUpdate,
)
from storywire.contracts.articles import ARTICLE_ID_PATTERN
from storywire.services.cli.schemas import check_schemas

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


def test_an_article_without_id_gets_one_derived_from_its_url() -> None:
    a = RawArticle(url="https://www.example.com/a", content="x")
    b = RawArticle(url="https://www.example.com/a", content="y")
    assert a.article_id == b.article_id
    assert a.article_id.startswith("url-")


def test_an_article_without_id_or_url_gets_one_derived_from_its_content() -> None:
    assert RawArticle(content="same").article_id == RawArticle(content="same").article_id
    assert RawArticle(content="same").article_id != RawArticle(content="other").article_id


def test_the_outlet_defaults_to_the_url_host_without_www() -> None:
    assert RawArticle(url="https://www.independent.co.uk/news/x", content="x").outlet == "independent.co.uk"
    assert RawArticle(url="https://a.b/x", outlet="Given", content="x").outlet == "Given"


def test_blank_content_is_a_schema_violation() -> None:
    with pytest.raises(pydantic.ValidationError):
        RawArticle(article_id="a", content="   \n ")


def test_an_unknown_content_type_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError):
        RawArticle.model_validate({"article_id": "a", "content": "x", "content_type": "application/pdf"})


@pytest.mark.parametrize("article_id", ["a\nb", "a\x1b[2Jb", "a\x85b", "a\u202eb", "a\u2028b", "a\u200bb"])
def test_an_article_id_with_a_control_or_invisible_character_is_refused_with_the_character_named(
    article_id: str,
) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        RawArticle(article_id=article_id, content="x")
    (error,) = caught.value.errors(include_url=False)
    assert error["loc"] == ("article_id",)
    assert f"U+{ord(article_id[1]):04X} at position 1" in error["msg"]
    with pytest.raises(pydantic.ValidationError):
        CleanArticle(article_id=article_id, text="x", word_count=1, content_hash="h", source_hash="h")


def test_printable_article_ids_in_any_script_are_accepted() -> None:
    for article_id in ("guardian/2024/jan/05 story", "Élection-présidentielle", "新闻-42", "a" * 512):
        assert RawArticle(article_id=article_id, content="x").article_id == article_id


def test_the_article_id_pattern_is_documented_in_the_schema() -> None:
    assert RawArticle.model_json_schema()["properties"]["article_id"]["pattern"] == ARTICLE_ID_PATTERN


def test_contracts_are_frozen() -> None:
    article = RawArticle(article_id="a", content="x")
    with pytest.raises(pydantic.ValidationError):
        article.content = "changed"  # type: ignore[misc]


def test_unknown_fields_from_a_newer_producer_are_ignored() -> None:
    article = RawArticle.model_validate({"article_id": "a", "content": "x", "added_in_v2": 1})
    assert article.article_id == "a"


def test_an_article_summary_written_before_canonical_url_and_authors_still_reads() -> None:
    older = {"article_id": "a", "content_hash": "h", "story_id": "s", "word_count": 3, "reading_time_s": 1}
    summary = ArticleSummary.model_validate(older)
    assert (summary.canonical_url, summary.authors) == (None, ())
    assert ArticleSummary.schema_tag() == "ArticleSummary/1"


def test_story_messages_written_before_topics_still_read_without_one() -> None:
    article = {"article_id": "a", "text": "x", "word_count": 1, "content_hash": "h", "source_hash": "h"}
    seen = {"first_seen": "2024-01-01T00:00:00Z", "last_seen": "2024-01-01T00:00:00Z"}
    assignment = StoryAssignment.model_validate(
        {"article_id": "a", "content_hash": "h", "story_id": "s", "is_new_story": True, "article": article}
    )
    update = StoryUpdate.model_validate({"story_id": "s", "articles": [], "outlets": [], **seen})
    summary = StorySummary.model_validate({"story_id": "s", "outlets": [], "article_ids": [], **seen})
    assert (assignment.topic_id, update.topic_id, summary.topic_id) == (None, None, None)
    assert (StoryAssignment.schema_tag(), StoryUpdate.schema_tag(), StorySummary.schema_tag()) == (
        "StoryAssignment/1",
        "StoryUpdate/1",
        "StorySummary/1",
    )


def test_a_storys_topic_travels_on_its_messages_and_in_their_schemas() -> None:
    seen = {"first_seen": "2024-01-01T00:00:00Z", "last_seen": "2024-01-01T00:00:00Z"}
    summary = StorySummary.model_validate(
        {"story_id": "s", "outlets": [], "article_ids": [], "topic_id": "story-1", **seen}
    )
    assert StorySummary.model_validate_json(summary.model_dump_json()).topic_id == "story-1"
    for contract in (StoryAssignment, StoryUpdate, StorySummary):
        assert "topic_id" in contract.model_json_schema()["properties"]
        assert "topic_id" not in contract.model_json_schema().get("required", [])


def test_every_contract_has_a_schema_version() -> None:
    for contract in ALL_CONTRACTS:
        assert contract.model_fields["schema_version"].default == 1
        assert contract.schema_tag() == f"{contract.contract_name}/1"


def test_the_committed_json_schemas_match_the_code() -> None:
    assert check_schemas(SCHEMAS) == [], "run `make schemas` and commit docs/schemas"


def test_the_committed_asyncapi_document_matches_the_apps() -> None:
    from storywire.services.cli.schemas import check_asyncapi

    assert check_asyncapi(SCHEMAS.parent / "asyncapi.json"), "run `storywire asyncapi` and commit docs/asyncapi.json"


def test_the_asyncapi_document_names_every_stream_and_contract() -> None:
    from storywire.services.cli.schemas import asyncapi_document

    document = asyncapi_document()
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert {"articles.raw", "articles.clean", "articles.stories", "summaries", "story_summaries"} <= addresses
    assert {"RawArticle", "CleanArticle", "StoryAssignment", "ArticleSummary", "DeadLetter"} <= set(
        document["components"]["schemas"]
    )
