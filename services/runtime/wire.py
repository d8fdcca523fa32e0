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

import base64
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
        raise PoisonMessage(kind, f"{where}: {first['msg']}") from exc


def printable_payload(payload: bytes) -> tuple[str, str]:
    """A payload as (text, encoding): UTF-8 text when it is valid, else base64."""
    try:
        return payload.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(payload).decode("ascii"), "base64"
