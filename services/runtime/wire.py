"""The stream entry layout, readable and writable with any plain Redis client.

An entry has these fields:

``data``
    The contract as a UTF-8 JSON document (the only required field).
``schema``
    ``Name/version`` of the contract, e.g. ``RawArticle/1`` (optional on input).
``correlation_id``
    Carried from the raw article to its summary (optional on input).

No FastStream envelope and no pickle: ``XADD articles.raw * data '{...}'`` is a
complete message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

import pydantic

from storywire.contracts import Contract
from storywire.services.runtime.errors import PoisonMessage

DATA_FIELD = "data"
SCHEMA_FIELD = "schema"
CORRELATION_FIELD = "correlation_id"

_B_DATA = DATA_FIELD.encode()
_B_CORRELATION = CORRELATION_FIELD.encode()

#: One JSON escape: ``\uXXXX`` (the hex digits captured) or a backslash and one character.
_JSON_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)

C = TypeVar("C", bound=Contract)

Fields = dict[str, str | bytes]


def encode_entry(message: Contract, *, correlation_id: str | None = None) -> Fields:
    """The fields of a stream entry carrying ``message``."""
    fields: Fields = {
        DATA_FIELD: message.model_dump_json(exclude_none=False),
        SCHEMA_FIELD: message.schema_tag(),
    }
    if correlation_id:
        fields[CORRELATION_FIELD] = correlation_id
    return fields


def raw_payload(fields: Mapping[bytes, bytes]) -> bytes:
    """The ``data`` field of an entry as read from Redis, or b"" when it is missing."""
    return fields.get(_B_DATA, b"")


def correlation_of(fields: Mapping[bytes, bytes]) -> str | None:
    """The entry's correlation id, if it has a readable one."""
    value = fields.get(_B_CORRELATION)
    if value is None:
        return None
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_entry(fields: Mapping[bytes, bytes], contract: type[C], *, max_bytes: int) -> C:
    """Validate an entry's ``data`` as ``contract``; raise PoisonMessage with the reason."""
    payload = fields.get(_B_DATA)
    if payload is None:
        raise PoisonMessage("MissingData", f"entry has no `{DATA_FIELD}` field")
    if len(payload) > max_bytes:
        raise PoisonMessage("PayloadTooLarge", f"payload is {len(payload)} bytes, the limit is {max_bytes}")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PoisonMessage("NotUtf8", f"payload is not UTF-8: {exc.reason} at {exc.start}") from exc
    try:
        return contract.model_validate_json(text)
    except pydantic.ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        kind = "InvalidJson" if first["type"] == "json_invalid" else "SchemaViolation"
        where = ".".join(str(p) for p in first["loc"]) or "payload"
        message = first["msg"]
        if kind == "InvalidJson" and ("surrogate" in message or "hex escape" in message):
            # The parser's words ("unexpected end of hex escape") hide the cause: half a UTF-16 pair.
            lone = _lone_surrogate(text)
            if lone is not None:
                message = f"Invalid JSON: lone UTF-16 surrogate {lone[0]} at position {lone[1]}"
        raise PoisonMessage(kind, f"{where}: {message}") from exc


def _lone_surrogate(text: str) -> tuple[str, int] | None:
    """The first ``\\uXXXX`` escape in JSON ``text`` that is half a surrogate pair alone, and its position."""
    high: re.Match[str] | None = None
    for escape in _JSON_ESCAPE.finditer(text):
        code = int(escape.group(1), 16) if escape.group(1) else None
        if high is not None:
            if code is not None and 0xDC00 <= code <= 0xDFFF and escape.start() == high.end():
                high = None
                continue
            break
        if code is not None and 0xD800 <= code <= 0xDBFF:
            high = escape
        elif code is not None and 0xDC00 <= code <= 0xDFFF:
            return escape.group(), escape.start()
    return (high.group(), high.start()) if high is not None else None
