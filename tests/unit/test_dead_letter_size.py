"""Dead letters keep what fits of a payload, never more than their limit, and describe the rest."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storywire.contracts import DeadLetter
from storywire.services.runtime.dead_letters import MIN_LETTER_BYTES, bounded_letter, fit_payload, without_payload

LIMIT = MIN_LETTER_BYTES


def letter_of(payload: bytes, *, max_bytes: int = LIMIT, reason: str = "payload: Invalid JSON") -> DeadLetter:
    return bounded_letter(
        stage="cleaner",
        error_type="InvalidJson",
        error_message=reason,
        attempts=1,
        source_stream="articles.raw",
        source_entry_id="1-0",
        article_id="a-1",
        correlation_id="c-1",
        failed_at=datetime(2026, 1, 1, tzinfo=UTC),
        payload=payload,
        max_bytes=max_bytes,
    )


def size_of(letter: DeadLetter) -> int:
    return len(letter.model_dump_json().encode())


def kept(letter: DeadLetter) -> bytes:
    return base64.b64decode(letter.payload) if letter.payload_encoding == "base64" else letter.payload.encode()


def test_a_payload_that_fits_is_kept_whole_with_its_size_and_hash() -> None:
    payload = '{"content": "Le conseil a voté — 3 écoles"}'.encode()
    letter = letter_of(payload)
    assert (kept(letter), letter.payload_encoding, letter.payload_truncated) == (payload, "utf-8", False)
    assert letter.payload_bytes == len(payload)
    assert letter.payload_sha256 == hashlib.sha256(payload).hexdigest()


def test_a_binary_payload_that_fits_is_kept_whole_as_base64() -> None:
    letter = letter_of(b"\xff\x00binary")
    assert (letter.payload, letter.payload_encoding, letter.payload_truncated) == ("/wBiaW5hcnk=", "base64", False)


@pytest.mark.parametrize(
    "payload",
    [
        b"a" * 100_000,
        b"\x01" * 100_000,  # six bytes each in JSON
        b'"\\' * 50_000,  # two bytes each in JSON
        "é中😀".encode() * 20_000,  # cut anywhere, a character must not be split
        b"\xff\xfe" * 50_000,  # not UTF-8: base64
        b"plain start " * 1000 + b"\x00\x1b[2J" * 10_000,
    ],
    ids=["ascii", "control", "quotes", "multibyte", "binary", "mixed"],
)
def test_a_letter_never_exceeds_its_limit(payload: bytes) -> None:
    letter = letter_of(payload, reason="x\x00" * 50_000)
    assert size_of(letter) <= LIMIT
    assert letter.payload_truncated and letter.payload_bytes == len(payload)
    assert letter.payload_sha256 == hashlib.sha256(payload).hexdigest()
    assert kept(letter) and payload.startswith(kept(letter))
    # Most of the room goes to the payload.
    assert size_of(letter) > LIMIT * 0.6


def test_a_letter_of_the_smallest_limit_fits_with_every_field_at_its_worst() -> None:
    worst = "\x00" * 100_000  # six bytes each in JSON
    letter = bounded_letter(
        stage="summarizer",
        error_type=worst,
        error_message=worst,
        attempts=1_000_000,
        source_stream="a-long-prefix:" * 8 + "articles.stories",
        source_entry_id="18446744073709551615-18446744073709551615",
        article_id=worst,
        correlation_id=worst,
        failed_at=datetime(2026, 1, 1, tzinfo=UTC),
        payload=b"\x00" * 100_000,
        max_bytes=MIN_LETTER_BYTES,
    )
    assert size_of(letter) <= MIN_LETTER_BYTES


def test_a_letter_without_its_payload_keeps_the_payloads_size_and_hash_and_says_why() -> None:
    payload = b"a" * 100_000
    stripped = without_payload(letter_of(payload), "ResponseError: Protocol error: invalid bulk length")
    assert (stripped.payload, stripped.payload_truncated, stripped.payload_bytes) == ("", True, len(payload))
    assert stripped.payload_sha256 == hashlib.sha256(payload).hexdigest()
    assert "could not be written: ResponseError" in stripped.error_message


@given(st.binary(max_size=600), st.integers(min_value=0, max_value=400))
def test_whatever_the_payload_what_is_kept_fits_the_budget_and_begins_the_payload(payload: bytes, budget: int) -> None:
    text, encoding, whole = fit_payload(payload, budget)
    empty = letter_of(b"")
    assert size_of(empty.model_copy(update={"payload": text})) - size_of(empty) <= budget
    head = base64.b64decode(text) if encoding == "base64" else text.encode()
    assert payload.startswith(head)
    assert whole == (head == payload)
