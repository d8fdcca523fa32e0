"""Values as redis-py returns them without ``decode_responses``: typed as ``bytes | str``, always bytes here."""

from __future__ import annotations

from typing import Any, cast

#: XREAD / XREADGROUP / XRANGE replies: ``[(stream, [(entry_id, fields), ...]), ...]``.
StreamReply = list[tuple[bytes, list[tuple[bytes, dict[bytes, bytes]]]]]


def as_bytes(value: bytes | str) -> bytes:
    """The value as bytes, whichever way the client typed it."""
    return value if isinstance(value, bytes) else value.encode()


def as_text(value: bytes | str) -> str:
    """The value as text (UTF-8)."""
    return value.decode() if isinstance(value, bytes) else value


def stream_reply(reply: Any) -> StreamReply:
    """An XREAD-style reply with its real shape (redis-py types it loosely)."""
    return cast(StreamReply, reply or [])
