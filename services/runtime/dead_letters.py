"""Dead letters of bounded size: the payload whole when it fits, else its first part, with its size and hash.

A payload copied whole into a letter can make the letter many times its size
(a control character takes six bytes in JSON) and larger than Redis accepts;
a letter Redis refuses leaves its entry pending for good. So a letter is
built to fit ``max_bytes`` (its JSON document, all fields included), and the
whole payload is described by its size and SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Literal

import pydantic_core

from storywire.contracts import DeadLetter

#: Cuts of the free-text fields, so that what is left of the limit goes to the payload.
MAX_ERROR_CHARS = 1000
MAX_KIND_CHARS = 100
MAX_ID_CHARS = 512

#: The smallest letter limit: the cut fields above at their worst (six bytes a character) fit in it.
MIN_LETTER_BYTES = 16 * 1024

Encoding = Literal["utf-8", "base64"]


def bounded_letter(
    *,
    stage: str,
    error_type: str,
    error_message: str,
    attempts: int,
    source_stream: str,
    source_entry_id: str,
    article_id: str | None,
    correlation_id: str | None,
    failed_at: datetime,
    payload: bytes,
    max_bytes: int,
) -> DeadLetter:
    """A letter whose JSON document is at most ``max_bytes``, keeping as much of ``payload`` as fits."""
    # Measured with the longer variants of the fields that change below ("base64", "false").
    letter = DeadLetter(
        stage=stage,
        error_type=error_type[:MAX_KIND_CHARS],
        error_message=error_message[:MAX_ERROR_CHARS],
        attempts=max(1, attempts),
        source_stream=source_stream,
        source_entry_id=source_entry_id,
        article_id=article_id[:MAX_ID_CHARS] if article_id else None,
        correlation_id=correlation_id[:MAX_ID_CHARS] if correlation_id else None,
        failed_at=failed_at,
        payload="",
        payload_encoding="base64",
        payload_bytes=len(payload),
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        payload_truncated=False,
    )
    budget = max_bytes - len(letter.model_dump_json().encode())
    text, encoding, whole = fit_payload(payload, budget)
    return letter.model_copy(update={"payload": text, "payload_encoding": encoding, "payload_truncated": not whole})


def without_payload(letter: DeadLetter, why: str) -> DeadLetter:
    """The letter with its payload dropped (its size and hash stay) and ``why`` added to its message."""
    note = f" (the full letter could not be written: {why})"
    return letter.model_copy(
        update={
            "payload": "",
            "payload_encoding": "utf-8",
            "payload_truncated": letter.payload_truncated or bool(letter.payload),
            "error_message": letter.error_message + note[:MAX_ERROR_CHARS],
        }
    )


def fit_payload(payload: bytes, budget: int) -> tuple[str, Encoding, bool]:
    """The payload as (text, encoding, whole) taking at most ``budget`` bytes inside a JSON string.

    UTF-8 text stays text; anything else is base64. Only the first ``budget``
    bytes are ever decoded or copied: a byte never takes less than a byte.
    """
    budget = max(budget, 0)
    head = payload[:budget]
    cut = len(head) < len(payload)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not (cut and exc.reason == "unexpected end of data"):
            return _base64_prefix(payload, budget)
        # The cut fell inside a character: keep the characters before it.
        text = head[: exc.start].decode("utf-8")
    fitted = _fit_text(text, budget)
    return fitted, "utf-8", not cut and len(fitted) == len(text)


def _json_size(text: str) -> int:
    """Bytes ``text`` takes inside a JSON string, escapes included, as the contracts serialise it."""
    return len(pydantic_core.to_json(text)) - 2


def _fit_text(text: str, budget: int) -> str:
    size = _json_size(text)
    while size > budget:
        # Cut in proportion to the overshoot; each round is shorter than the one before.
        text = text[: min(len(text) - 1, len(text) * budget // size)]
        size = _json_size(text)
    return text


def _base64_prefix(payload: bytes, budget: int) -> tuple[str, Encoding, bool]:
    # Base64 needs no JSON escapes: four characters for every three bytes.
    take = budget // 4 * 3
    return base64.b64encode(payload[:take]).decode("ascii"), "base64", take >= len(payload)
