"""The wire format: plain JSON in a `data` field, and poison told apart by kind."""

from __future__ import annotations

import orjson
import pytest

from storywire.contracts import RawArticle
from storywire.services.runtime.errors import PoisonMessage
from storywire.services.runtime.wire import decode_entry, encode_entry


def _as_read(fields: dict[str, str | bytes]) -> dict[bytes, bytes]:
    return {k.encode(): v.encode() if isinstance(v, str) else v for k, v in fields.items()}


def test_an_entry_is_plain_json_with_its_schema_tag() -> None:
    fields = encode_entry(RawArticle(article_id="a", content="hello"), correlation_id="c-1")
    assert orjson.loads(fields["data"])["content"] == "hello"
    assert fields["schema"] == "RawArticle/1"
    assert fields["correlation_id"] == "c-1"


def test_an_entry_round_trips() -> None:
    article = RawArticle(article_id="a", content="hello", url="https://x.org/1")
    assert decode_entry(_as_read(encode_entry(article)), RawArticle, max_bytes=10_000) == article


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({b"other": b"1"}, "MissingData"),
        ({b"data": b"{oops"}, "InvalidJson"),
        ({b"data": b'{"content": 3}'}, "SchemaViolation"),
        ({b"data": b"\xff\xfe"}, "NotUtf8"),
        ({b"data": b'{"content": "' + b"x" * 200 + b'"}'}, "PayloadTooLarge"),
    ],
)
def test_poison_is_named_by_kind(fields: dict[bytes, bytes], kind: str) -> None:
    with pytest.raises(PoisonMessage) as caught:
        decode_entry(fields, RawArticle, max_bytes=100)
    assert caught.value.kind == kind


@pytest.mark.parametrize(
    ("content", "escape", "position"),
    [
        (r"x\ud800y", r"\ud800", 30),  # a high half followed by a plain character
        (r"x\udc00", r"\udc00", 30),  # a low half with no high half before it
        (r"\ud83d\ude00 ok \\ud800 then \ud800\u0041", r"\ud800", 58),  # a pair, an escaped backslash
    ],
)
def test_a_lone_surrogate_is_named_with_its_position(content: str, escape: str, position: int) -> None:
    payload = ('{"article_id":"a","content":"' + content + '"}').encode()
    with pytest.raises(PoisonMessage) as caught:
        decode_entry({b"data": payload}, RawArticle, max_bytes=10_000)
    assert caught.value.kind == "InvalidJson"
    assert caught.value.detail == f"payload: Invalid JSON: lone UTF-16 surrogate {escape} at position {position}"
    assert payload.decode()[position : position + 6] == escape
