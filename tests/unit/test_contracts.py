"""Contracts: identity derivation, validation, immutability and the committed JSON Schemas."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from storywire.contracts import ALL_CONTRACTS, RawArticle
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


def test_contracts_are_frozen() -> None:
    article = RawArticle(article_id="a", content="x")
    with pytest.raises(pydantic.ValidationError):
        article.content = "changed"  # type: ignore[misc]


def test_unknown_fields_from_a_newer_producer_are_ignored() -> None:
    article = RawArticle.model_validate({"article_id": "a", "content": "x", "added_in_v2": 1})
    assert article.article_id == "a"


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
