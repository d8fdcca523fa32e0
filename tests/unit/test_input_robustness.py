"""Whatever a publisher sends, the contracts and the cleaner answer with data, never a crash."""

from __future__ import annotations

import string
from concurrent.futures import ThreadPoolExecutor

import orjson
import pydantic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storywire.contracts import CleanArticle, RawArticle
from storywire.services.cleaner.cleaning import Rejection, clean_article
from storywire.services.cleaner.extraction import extract_html
from storywire.services.runtime.errors import PoisonMessage
from storywire.services.runtime.wire import decode_entry, encode_entry

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)
raw_fields = st.fixed_dictionaries(
    {},
    optional={
        "article_id": st.one_of(st.text(max_size=40), json_values),
        "url": st.one_of(st.text(max_size=60), st.just("https://www.example.org/a?b=c"), json_values),
        "content": st.one_of(st.text(max_size=400), json_values),
        "content_type": st.sampled_from(["text/html", "text/plain", "application/pdf", ""]),
        "published_at": st.one_of(st.text(max_size=30), st.just("2022-02-27T08:58:00Z"), json_values),
        "title": st.one_of(st.text(max_size=60), json_values),
    },
)
tags = st.sampled_from(["p", "div", "article", "nav", "footer", "span", "script", "table", "li", "h1", "a"])


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    """Random, often broken, markup with real text in it."""
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(tags)
        text = draw(st.text(alphabet=string.ascii_letters + " .,'\"&<>é—", max_size=80))
        closing = draw(st.booleans())
        parts.append(f"<{tag} class='{draw(st.text(max_size=8))}'>{text}" + (f"</{tag}>" if closing else ""))
    return "<html><body>" + "".join(parts)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(raw_fields)
def test_any_json_object_is_either_a_valid_raw_article_or_a_validation_error(fields: dict[str, object]) -> None:
    try:
        article = RawArticle.model_validate(fields)
    except pydantic.ValidationError:
        return
    assert article.article_id and article.content.strip()
    assert RawArticle.model_validate_json(article.model_dump_json()) == article


@settings(max_examples=300)
@given(st.binary(max_size=300) | st.builds(orjson.dumps, raw_fields))
def test_any_entry_payload_decodes_or_is_named_poison(payload: bytes) -> None:
    try:
        article = decode_entry({b"data": payload}, RawArticle, max_bytes=200)
    except PoisonMessage as poison:
        assert poison.kind in {"InvalidJson", "SchemaViolation", "NotUtf8", "PayloadTooLarge"}
        return
    encoded = {k.encode(): v.encode() if isinstance(v, str) else v for k, v in encode_entry(article).items()}
    assert decode_entry(encoded, RawArticle, max_bytes=10_000) == article


@settings(max_examples=150, deadline=None)
@given(html_documents())
def test_any_markup_is_cleaned_or_rejected_with_a_reason(html: str) -> None:
    result = clean_article(RawArticle(article_id="h", content=html, content_type="text/html"))
    assert isinstance(result, CleanArticle | Rejection)
    if isinstance(result, CleanArticle):
        assert result.text.strip() and result.word_count > 0


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=2000).filter(str.strip))
def test_any_plain_text_is_cleaned_or_rejected_with_a_reason(text: str) -> None:
    result = clean_article(RawArticle(article_id="t", content=text))
    assert isinstance(result, CleanArticle | Rejection)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_break_the_html_extractor(data: bytes) -> None:
    extraction = extract_html(data)
    assert isinstance(extraction.text, str)


def test_very_deep_nesting_is_cleaned_without_crashing() -> None:
    html = "<html><body>" + "<div>" * 50_000 + "<p>" + "Deep text here. " * 30 + "</p>" + "</div>" * 50_000
    result = clean_article(RawArticle(article_id="deep", content=html, content_type="text/html"))
    assert isinstance(result, CleanArticle | Rejection)


def test_huge_attributes_are_cleaned_without_crashing() -> None:
    paragraph = "<p>" + "The council met on Tuesday to approve the new budget for schools. " * 5 + "</p>"
    html = f"<html><body><div data-x='{'a' * 2_000_000}'>{paragraph * 3}</div></body></html>"
    result = clean_article(RawArticle(article_id="attr", content=html, content_type="text/html"))
    assert isinstance(result, CleanArticle)
    assert "council" in result.text


def test_entity_expansion_is_not_performed() -> None:
    laughs = "".join(f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" * 10 if i else "lol"}">' for i in range(10))
    html = f'<?xml version="1.0"?><!DOCTYPE html [{laughs}]><html><body><p>&l9;</p></body></html>'
    result = clean_article(RawArticle(article_id="laughs", content=html, content_type="text/html"))
    text = result.text if isinstance(result, CleanArticle) else ""
    assert len(text) < 10_000


def test_a_page_over_its_time_budget_is_rejected_with_that_reason() -> None:
    paragraph = "<p>" + "The council met on Tuesday to approve the new budget for schools. " * 20 + "</p>"
    html = "<html><body>" + paragraph * 400 + "</body></html>"
    result = clean_article(RawArticle(article_id="slow", content=html, content_type="text/html"), time_budget_s=0.001)
    assert result == Rejection("TimeBudgetExceeded", "cleaning took longer than 0.001 s")


def test_the_time_budget_holds_off_the_main_thread_too() -> None:
    # Workers clean on a compute thread, and the board's embedded workers run in a thread of their own.
    paragraph = "<p>" + "The council met on Tuesday to approve the new budget for schools. " * 20 + "</p>"
    html = "<html><body>" + paragraph * 400 + "</body></html>"
    raw = RawArticle(article_id="slow", content=html, content_type="text/html")
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(clean_article, raw, time_budget_s=0.001).result(timeout=60)
    assert result == Rejection("TimeBudgetExceeded", "cleaning took longer than 0.001 s")
