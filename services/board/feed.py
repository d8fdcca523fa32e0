"""What the story board shows, read from the ``story_summaries`` stream; knows nothing of HTTP.

Each entry of ``story_summaries`` is a whole ``StorySummary`` emitted when a story gains an
article, so the latest entry for a ``story_id`` supersedes the earlier ones; a story named in a
later summary's ``absorbed_story_ids`` is gone (folded into that story). A board starts
from a snapshot (the latest summary of each of the most recent stories, read backwards and
bounded) and then follows the stream from the snapshot's last entry id, so nothing published
between the two reads is missed and nothing is shown twice.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from storywire.contracts import StorySummary
from storywire.services.runtime.errors import PoisonMessage
from storywire.services.runtime.redis_values import StreamReply, as_text, stream_reply
from storywire.services.runtime.wire import decode_entry

log = logging.getLogger(__name__)

#: XRANGE / XREVRANGE replies as redis-py returns them without ``decode_responses``.
_Entries = list[tuple[bytes, dict[bytes, bytes]]]
#: The id XREAD starts from on an empty stream: every later entry is newer than it.
START_ID = "0-0"


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """One summary of a story and the stream entry id it was read from."""

    entry_id: str
    story: StorySummary


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The stories to show first, newest first, and the id to follow the stream from."""

    stories: tuple[StoryEntry, ...]
    last_id: str


@dataclass(frozen=True, slots=True)
class FeedLimits:
    """Bounds on what one board connection reads."""

    max_stories: int = 50
    #: The snapshot reads at most this many entries backwards, however few stories they hold.
    max_scan: int = 5_000
    page_size: int = 200
    #: Short, so a stream notices a stopping server quickly; an idle XREAD a second is cheap.
    block_ms: int = 1_000
    max_payload_bytes: int = 4 * 1024 * 1024


def parse_entry(entry_id: bytes | str, fields: dict[bytes, bytes], *, max_bytes: int) -> StoryEntry | None:
    """The entry as a StoryEntry, or None (logged) when it is not a valid StorySummary."""
    try:
        story = decode_entry(fields, StorySummary, max_bytes=max_bytes)
    except PoisonMessage as exc:
        # The board only reads: a bad entry is skipped, never fatal to the page.
        log.warning("skipping story_summaries entry %s: %s", as_text(entry_id), exc)
        return None
    return StoryEntry(as_text(entry_id), story)


async def snapshot(redis: Redis, stream: str, limits: FeedLimits = FeedLimits()) -> Snapshot:
    """The latest summary of each of the ``max_stories`` most recently updated stories, newest first."""
    latest: dict[str, StoryEntry] = {}
    folded: set[str] = set()
    newest_id: str | None = None
    upper = "+"
    scanned = 0
    while len(latest) < limits.max_stories and scanned < limits.max_scan:
        count = min(limits.page_size, limits.max_scan - scanned)
        page = cast(_Entries, await redis.xrevrange(stream, max=upper, min="-", count=count) or [])
        if not page:
            break
        for entry_id, fields in page:
            scanned += 1
            if newest_id is None:
                newest_id = as_text(entry_id)
            entry = parse_entry(entry_id, fields, max_bytes=limits.max_payload_bytes)
            if entry is None or entry.story.story_id in folded:
                continue
            # Read backwards, a story that absorbed others is seen before them: hide them.
            folded.update(entry.story.absorbed_story_ids)
            # Read backwards, the first summary seen of a story is its latest one.
            if entry.story.story_id not in latest:
                latest[entry.story.story_id] = entry
                if len(latest) >= limits.max_stories:
                    break
        # "(" makes the bound exclusive, so the next page starts below this one.
        upper = "(" + as_text(page[-1][0])
        if len(page) < count:
            break
    return Snapshot(tuple(latest.values()), newest_id or START_ID)


async def follow(
    redis: Redis,
    stream: str,
    after: str,
    limits: FeedLimits = FeedLimits(),
) -> AsyncGenerator[list[StoryEntry], None]:
    """Batches of entries added after ``after``, oldest first; an empty batch each idle ``block_ms``.

    The empty batches let a caller notice a closed connection or send a keep-alive.
    """
    last = after
    while True:
        reply: StreamReply = stream_reply(
            await redis.xread({stream: last}, count=limits.page_size, block=limits.block_ms)
        )
        batch: list[StoryEntry] = []
        for _stream, entries in reply:
            for entry_id, fields in entries:
                last = as_text(entry_id)
                entry = parse_entry(entry_id, fields, max_bytes=limits.max_payload_bytes)
                if entry is not None:
                    batch.append(entry)
        yield batch
