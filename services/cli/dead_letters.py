"""``storywire dlq``: inspect, replay and purge the dead-letter streams."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from redis import Redis

from storywire.contracts import DeadLetter
from storywire.services.runtime.logs import printable
from storywire.services.runtime.redis_values import as_text, stream_reply
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import DATA_FIELD

STAGES = ("cleaner", "dedup", "summarizer")


class NotReplayable(Exception):  # noqa: N818 (a letter that is not replayable, not an error of ours)
    """A dead letter that keeps only part of its payload: replaying it would publish a cut article."""


@dataclass(frozen=True, slots=True)
class StoredLetter:
    """A dead letter with the stream and entry id it is stored under."""

    stream: str
    entry_id: str
    letter: DeadLetter


def letters(client: Redis, names: StreamNames, stages: Sequence[str] = STAGES) -> Iterator[StoredLetter]:
    """Every dead letter of the given stages, oldest first per stage."""
    for stage in stages:
        stream = names.dead_letters(stage)
        for entry_id, fields in stream_reply([(b"", client.xrange(stream))])[0][1]:
            data = fields.get(DATA_FIELD.encode())
            if data is not None:
                yield StoredLetter(stream, as_text(entry_id), DeadLetter.model_validate_json(data))


def describe(stored: StoredLetter) -> str:
    """One line about a letter for a terminal, its untrusted parts escaped."""
    letter = stored.letter
    line = (
        f"{stored.entry_id} {letter.stage} {letter.error_type}: {letter.error_message[:120]}"
        f" (article {letter.article_id or '?'}, {letter.attempts} attempt(s)"
    )
    if letter.payload_truncated:
        line += f", payload cut: {_kept_bytes(letter)} of {letter.payload_bytes} bytes kept"
    return printable(line + ")")


def _kept_bytes(letter: DeadLetter) -> int:
    if letter.payload_encoding == "base64":
        return len(base64.b64decode(letter.payload))
    return len(letter.payload.encode())


def replay(client: Redis, stored: StoredLetter) -> str:
    """Put the original payload back on its source stream and drop the dead letter; return the new id.

    Raises NotReplayable, leaving the letter where it is, when the letter keeps only part of its payload.
    """
    letter = stored.letter
    if letter.payload_truncated:
        raise NotReplayable(
            f"{stored.entry_id} ({letter.stage}) keeps {_kept_bytes(letter)} of its payload's"
            f" {letter.payload_bytes} bytes: not replayed (publish the original again)"
        )
    payload = letter.payload.encode() if letter.payload_encoding == "utf-8" else base64.b64decode(letter.payload)
    fields: dict[str, str | bytes] = {DATA_FIELD: payload}
    if letter.correlation_id:
        fields["correlation_id"] = letter.correlation_id
    pipe = client.pipeline(transaction=True)
    pipe.xadd(letter.source_stream, fields)  # type: ignore[arg-type]  # redis-py's field type is invariant
    pipe.xdel(stored.stream, stored.entry_id)
    new_id, _ = pipe.execute()
    return as_text(new_id)


def purge(client: Redis, names: StreamNames, stages: Sequence[str] = STAGES) -> int:
    """Empty the dead-letter streams (trimmed, not deleted); return how many letters went."""
    removed = 0
    for stage in stages:
        removed += int(client.xtrim(names.dead_letters(stage), maxlen=0, approximate=False))
    return removed
