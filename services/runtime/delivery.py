"""At-least-once delivery made effectively-once: processing, commit, dead letters, reclaim.

A stage reads a batch of entries, runs its handler on each, and commits every
outcome with one Lua script per entry, all sent in one pipeline. The script
acknowledges the input and publishes the outputs atomically, and publishes
only when the acknowledgement took the entry off the pending list and the
input's idempotency key was new. So a redelivered entry whose first commit
went through, or a second consumer racing on a reclaimed entry, publishes
nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, cast

from redis.asyncio import Redis
from redis.exceptions import (
    AskError,
    BusyLoadingError,
    ClusterError,
    ReadOnlyError,
    RedisError,
    ResponseError,
    TryAgainError,
)

from storywire.contracts import DeadLetter
from storywire.services.runtime import wire
from storywire.services.runtime.dead_letters import bounded_letter, without_payload
from storywire.services.runtime.errors import PoisonMessage, is_retryable
from storywire.services.runtime.logs import message_context, set_article_id
from storywire.services.runtime.outcomes import Emit, In, Outcome, Reject, Stage
from storywire.services.runtime.redis_values import as_bytes, stream_reply
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames, sleep_unless_stopped
from storywire.services.runtime.tracing import Tracing
from storywire.services.time_budget import BudgetExceeded

log = logging.getLogger(__name__)

Entry = tuple[bytes, Mapping[bytes, bytes]]

# KEYS: input stream, idempotency key, then one key per output stream.
# ARGV: group, entry id, ttl, use-idempotency flag, then per output the
# number of field pairs followed by the pairs.
_COMMIT_LUA = """
local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
if acked == 0 then return 0 end
if ARGV[4] == '1' then
  if not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', tonumber(ARGV[3])) then
    return 2
  end
end
local a = 5
for k = 3, #KEYS do
  local n = tonumber(ARGV[a])
  a = a + 1
  local fields = {}
  for j = 1, n * 2 do
    fields[j] = ARGV[a]
    a = a + 1
  end
  redis.call('XADD', KEYS[k], '*', unpack(fields))
end
return 1
"""

#: Commit script results, and what a refused dead letter ends as when not even its entry's stripped
#: letter could be written (the entry acknowledged with a plain XACK).
COMMITTED, ALREADY_ACKED, DUPLICATE, ACKED_WITHOUT_LETTER = 1, 0, 2, 3

_OUTCOME_NAMES = {COMMITTED: "committed", DUPLICATE: "duplicate", ACKED_WITHOUT_LETTER: "acked_without_letter"}

#: Refusals that say more about the server's state than about the letter: a later try may pass.
_SERVER_STATE_ERRORS = (ReadOnlyError, ClusterError, TryAgainError, AskError)

#: Retryable errors remembered for the dead letter written after the last try.
_LAST_ERROR_TTL_S = 24 * 3600


@dataclass(slots=True)
class StageCounters:
    """Running totals for one stage, read by metrics and tests."""

    processed: int = 0
    #: Outputs published (dead letters not included).
    published: int = 0
    duplicates: int = 0
    #: Dead letters written, counted once their commit went through.
    dead_lettered: int = 0
    retried: int = 0
    reclaimed: int = 0
    busy_seconds: float = 0.0
    by_outcome: dict[str, int] = field(default_factory=dict)
    #: Entries acknowledged without their letter as built (Redis refused it): written without
    #: payload, or not written at all.
    dead_letters_lost: int = 0


@dataclass(frozen=True, slots=True)
class _Commit:
    entry_id: bytes
    outputs: tuple[tuple[str, wire.Fields], ...]
    idempotency_key: str | None
    #: Set when the one output is this dead letter.
    letter: DeadLetter | None = None


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def _id_order(entry_id: bytes) -> tuple[int, int]:
    millis, _, seq = entry_id.partition(b"-")
    return int(millis), int(seq or 0)


class StageRunner(Generic[In]):
    """Runs one stage's handler over entries and commits the outcomes."""

    def __init__(
        self,
        redis: Redis,
        stage: Stage[In],
        *,
        settings: Settings,
        names: StreamNames,
        group: str,
        consumer: str,
    ) -> None:
        self.redis = redis
        self.stage = stage
        self.settings = settings
        self.names = names
        self.group = group
        self.consumer = consumer
        self.counters = StageCounters()
        self.tracing = Tracing(settings.tracing, stage.name)
        self._commit = redis.register_script(_COMMIT_LUA)
        self._dead_letter_stream = names.dead_letters(stage.name)
        self._reclaim_cursor = b"0-0"

    async def process(self, entries: Sequence[Entry], deliveries: Mapping[bytes, int] | None = None) -> None:
        """Handle a batch of entries; commit what they produced in pipelined round trips, at least every
        ``commit_interval_ms``."""
        started = time.perf_counter()
        flushed = time.monotonic()
        flush_s = self.settings.commit_interval_ms / 1000
        commits: list[_Commit] = []
        # While a handler computes, the lease on the whole batch is renewed so no other consumer takes it.
        leased = {entry_id for entry_id, _ in entries}
        keeper = asyncio.create_task(self._keep_leased(leased), name=f"lease-{self.stage.name}")
        try:
            for entry_id, fields in entries:
                delivered = (deliveries or {}).get(entry_id, 1)
                commit = await self._process_one(entry_id, fields, delivered)
                if commit is not None:
                    commits.append(commit)
                if commits and time.monotonic() - flushed >= flush_s:
                    # Slow entries would otherwise hold the whole batch's results back.
                    await self._commit_all(commits)
                    leased.difference_update(c.entry_id for c in commits)
                    commits, flushed = [], time.monotonic()
            if commits:
                await self._commit_all(commits)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        self.counters.busy_seconds += time.perf_counter() - started

    async def _keep_leased(self, entry_ids: set[bytes]) -> None:
        """Every third of the reclaim idle time, claim the batch's uncommitted entries again."""
        lease_s = self.settings.reclaim_idle_ms / 1000 / 3
        while True:
            await asyncio.sleep(lease_s)
            if not entry_ids:
                continue
            try:
                await self._renew(sorted(entry_ids, key=_id_order))
            except Exception as exc:  # noqa: BLE001 (a missed renewal risks a double delivery, which commits once)
                log.warning("could not renew the lease of %s entries: %r", len(entry_ids), exc)

    async def _renew(self, entry_ids: Sequence[bytes]) -> None:
        """Claim our own entries again (JUSTID: the delivery count stays) to reset their idle time."""
        await self.redis.xclaim(
            self.stage.input_stream,
            self.group,
            self.consumer,
            min_idle_time=0,
            message_ids=list(entry_ids),
            justid=True,
        )

    async def _process_one(self, entry_id: bytes, fields: Mapping[bytes, bytes], delivered: int) -> _Commit | None:
        message_id = entry_id.decode()
        # An entry without a correlation id starts a conversation named after itself.
        correlation_id = wire.correlation_of(fields) or message_id
        with (
            message_context(message_id=message_id),
            self.tracing.span(
                self.stage.name, fields, message_id=message_id, correlation_id=correlation_id
            ) as trace_fields,
        ):
            self.counters.processed += 1
            if delivered > self.settings.max_deliveries:
                kind, reason = await self._last_error(entry_id)
                log.warning("giving up after %s deliveries: %s", delivered - 1, reason)
                return self._dead_letter(entry_id, fields, kind, reason, delivered - 1, None)
            try:
                message = wire.decode_entry(fields, self.stage.input_type, max_bytes=self.settings.max_payload_bytes)
            except PoisonMessage as poison:
                log.warning("poison message: %s", poison)
                return self._dead_letter(entry_id, fields, poison.kind, poison.detail, delivered, None)
            article_id = getattr(message, "article_id", None)
            if article_id:
                set_article_id(article_id)
            try:
                outcome = await self._handle_with_retries(message)
            except BudgetExceeded:
                log.warning("over its time budget: dead-lettered")
                reason = "the stage took longer than its per-article time budget (STORYWIRE_STAGE_TIME_BUDGET_S)"
                return self._dead_letter(entry_id, fields, "TimeBudgetExceeded", reason, delivered, article_id)
            except Exception as exc:
                if self._retryable(exc):
                    log.warning("will retry after the reclaim idle time (delivery %s): %r", delivered, exc)
                    await self._remember_error(entry_id, exc)
                    return None
                log.exception("permanent failure")
                return self._dead_letter(entry_id, fields, type(exc).__name__, str(exc)[:2000], delivered, article_id)
            if isinstance(outcome, Reject):
                log.info("rejected: %s: %s", outcome.kind, outcome.reason)
                return self._dead_letter(entry_id, fields, outcome.kind, outcome.reason, delivered, article_id)
            return self._emit(entry_id, outcome, correlation_id, trace_fields)

    def _retryable(self, exc: BaseException) -> bool:
        return is_retryable(exc) or isinstance(exc, self.stage.retryable)

    async def _handle_with_retries(self, message: In) -> Outcome:
        """The handler's outcome, retrying retryable failures in place with jittered exponential backoff."""
        delay = self.settings.retry_backoff_ms / 1000
        for attempt in range(1, self.settings.retries_in_place + 1):
            try:
                return await self.stage.handle(message)
            except Exception as exc:
                if not self._retryable(exc):
                    raise
                self.counters.retried += 1
                log.info("retryable failure (attempt %s), retrying in %.2f s: %r", attempt, delay, exc)
                await asyncio.sleep(delay * random.uniform(0.5, 1.5))
                delay *= 2
        return await self.stage.handle(message)

    def _emit(self, entry_id: bytes, outcome: Emit, correlation_id: str, trace_fields: Mapping[str, str]) -> _Commit:
        outputs = tuple(
            (stream, {**wire.encode_entry(message, correlation_id=correlation_id), **trace_fields})
            for stream, message in outcome.messages
        )
        key = self.names.key("done", self.stage.name, outcome.idempotency_key) if outcome.idempotency_key else None
        return _Commit(entry_id, outputs, key)

    def _dead_letter(
        self,
        entry_id: bytes,
        fields: Mapping[bytes, bytes],
        kind: str,
        reason: str,
        attempts: int,
        article_id: str | None,
    ) -> _Commit:
        letter = bounded_letter(
            stage=self.stage.name,
            error_type=kind,
            error_message=reason,
            attempts=attempts,
            source_stream=self.stage.input_stream,
            source_entry_id=entry_id.decode(),
            article_id=article_id,
            correlation_id=wire.correlation_of(fields),
            failed_at=datetime.now(UTC),
            payload=wire.raw_payload(fields),
            max_bytes=self.settings.dead_letter_max_bytes,
        )
        return self._letter_commit(entry_id, letter)

    def _letter_commit(self, entry_id: bytes, letter: DeadLetter) -> _Commit:
        return _Commit(entry_id, ((self._dead_letter_stream, wire.encode_entry(letter)),), None, letter)

    async def _commit_all(self, commits: Sequence[_Commit]) -> None:
        """Commit outputs in one pipelined round trip, then each dead letter on its own."""
        outputs = [commit for commit in commits if commit.letter is None]
        if outputs:
            pipe = self.redis.pipeline(transaction=False)
            for commit in outputs:
                await self._commit(*self._script_arguments(commit), client=pipe)
            results = await pipe.execute()
            for commit, result in zip(outputs, results, strict=True):
                self._count(commit, int(result))
        # Letters are rare; on its own, a letter Redis refuses is known for what it is and cannot
        # take the connection, and the rest of the batch, down with it.
        for commit in commits:
            if commit.letter is not None:
                self._count(commit, await self._commit_letter(commit))

    def _script_arguments(self, commit: _Commit) -> tuple[list[str], list[Any]]:
        keys: list[str] = [self.stage.input_stream, commit.idempotency_key or self.stage.input_stream]
        args: list[Any] = [
            self.group,
            commit.entry_id,
            self.settings.idempotency_ttl_s,
            "1" if commit.idempotency_key else "0",
        ]
        for stream, fields in commit.outputs:
            keys.append(stream)
            args.append(len(fields))
            for name, value in fields.items():
                args.extend((name, value))
        return keys, args

    async def _run_commit(self, commit: _Commit) -> int:
        return int(await self._commit(*self._script_arguments(commit)))

    def _count(self, commit: _Commit, outcome: int) -> None:
        entry = commit.entry_id.decode()
        if outcome == COMMITTED:
            if commit.letter is None:
                self.counters.published += len(commit.outputs)
            else:
                self.counters.dead_lettered += 1
        elif outcome == DUPLICATE:
            self.counters.duplicates += 1
            log.info("entry %s repeats a version already published", entry)
        elif outcome == ALREADY_ACKED:
            log.info("entry %s was already acknowledged elsewhere", entry)
        name = _OUTCOME_NAMES.get(outcome, "already_acked")
        self.counters.by_outcome[name] = self.counters.by_outcome.get(name, 0) + 1

    async def _commit_letter(self, commit: _Commit) -> int:
        """Commit a dead letter; when Redis refuses it, acknowledge its entry anyway and count the loss.

        A letter Redis will never take must not leave its entry pending: it would be delivered,
        given up on and refused again for good, and hold back the trimming of its stream.
        """
        assert commit.letter is not None
        result = await self._commit_or_refusal(commit)
        if isinstance(result, RedisError) and not isinstance(result, ResponseError):
            # The connection broke while Redis stays up: the letter's fault, or a blip. Once more.
            result = await self._commit_or_refusal(commit)
        if not isinstance(result, RedisError):
            return result
        entry, why = commit.entry_id.decode(), _describe(result)
        log.error("the dead letter of %s was refused (%s); writing it without its payload", entry, why)
        outcome = await self._commit_or_refusal(
            self._letter_commit(commit.entry_id, without_payload(commit.letter, why))
        )
        if isinstance(outcome, RedisError):
            log.error(
                "the dead letter of %s could not be written at all (%s); acknowledging the entry without it",
                entry,
                _describe(outcome),
            )
            await self.redis.xack(self.stage.input_stream, self.group, commit.entry_id)
            outcome = ACKED_WITHOUT_LETTER
        self.counters.dead_letters_lost += 1
        # Acknowledged already: the refused script got as far as its XACK.
        return ACKED_WITHOUT_LETTER if outcome == ALREADY_ACKED else outcome

    async def _commit_or_refusal(self, commit: _Commit) -> int | RedisError:
        """The commit's outcome, or Redis's refusal of it; any other failure is raised."""
        try:
            return await self._run_commit(commit)
        except RedisError as exc:
            if not await self._refused(exc):
                raise
            return exc

    async def _refused(self, exc: RedisError) -> bool:
        """True when the failure is the letter's own, not Redis being away or in a passing state."""
        # A refused argument makes Redis close the connection, which then sits broken in the pool.
        await self.redis.connection_pool.disconnect(inuse_connections=False)
        if isinstance(exc, ResponseError):
            return not isinstance(exc, _SERVER_STATE_ERRORS)
        if isinstance(exc, BusyLoadingError):
            return False  # Redis is loading its data set; it takes the letter later
        # A broken connection is the letter's doing only when Redis still answers.
        try:
            return bool(await self.redis.ping())
        except RedisError:
            return False

    async def _remember_error(self, entry_id: bytes, exc: BaseException) -> None:
        key = self.names.key("lasterror", self.stage.name, entry_id.decode())
        try:
            await self.redis.set(key, f"{type(exc).__name__}\n{exc}"[:2000], ex=_LAST_ERROR_TTL_S)
        except Exception:  # noqa: BLE001 (Redis may be the thing that failed; the retry still happens)
            log.debug("could not record the error of %s", entry_id)

    async def _last_error(self, entry_id: bytes) -> tuple[str, str]:
        raw = await self.redis.get(self.names.key("lasterror", self.stage.name, entry_id.decode()))
        if not raw:
            return "TooManyDeliveries", "delivered too often without being acknowledged"
        kind, _, message = as_bytes(raw).decode("utf-8", "replace").partition("\n")
        return kind, message

    async def reclaim_once(self) -> int:
        """Claim entries idle longer than the reclaim time (a crashed consumer's) and process them."""
        reply = await self.redis.xautoclaim(
            self.stage.input_stream,
            self.group,
            self.consumer,
            min_idle_time=self.settings.reclaim_idle_ms,
            start_id=self._reclaim_cursor,
            count=self.settings.batch_size,
        )
        start, next_cursor, claimed = self._reclaim_cursor, as_bytes(reply[0]), reply[1]
        self._reclaim_cursor = next_cursor
        live: list[Entry] = [(item[0], item[1]) for item in claimed if item[0] is not None and item[1] is not None]
        if len(live) < len(claimed):
            # Redis 6.2 hands back an entry deleted from the stream as an empty one, id and all, and
            # keeps it pending (7.0 drops it from the pending list and lists it apart): find it
            # among what this consumer holds in the range just scanned, and acknowledge it.
            vanished = await self._deleted_pending(start, next_cursor, {entry_id for entry_id, _ in live})
            if vanished:
                await self.redis.xack(self.stage.input_stream, self.group, *vanished)
        if not live:
            return 0
        deliveries = await self._delivery_counts([entry_id for entry_id, _ in live])
        self.counters.reclaimed += len(live)
        log.info("reclaimed %s idle entries from %s", len(live), self.stage.input_stream)
        await self.process(live, deliveries)
        return len(live)

    async def _deleted_pending(self, start: bytes, end: bytes, live: set[bytes]) -> list[bytes]:
        """Entries this consumer holds from ``start`` up to ``end`` (the stream's end for 0-0) that
        are no longer in the stream."""
        rows = await self.redis.xpending_range(
            self.stage.input_stream,
            self.group,
            min=start,
            max="+" if end == b"0-0" else end,
            count=self.settings.batch_size * 4 + 16,
            consumername=self.consumer,
        )
        gone = []
        for row in cast("list[dict[str, Any]]", rows):  # redis-py types the rows loosely
            entry_id = as_bytes(row["message_id"])
            if entry_id in live or (end != b"0-0" and _id_order(entry_id) >= _id_order(end)):
                continue
            if not await self.redis.xrange(self.stage.input_stream, min=entry_id, max=entry_id, count=1):
                gone.append(entry_id)
        return gone

    async def _delivery_counts(self, entry_ids: Sequence[bytes]) -> dict[bytes, int]:
        pending = await self.redis.xpending_range(
            self.stage.input_stream,
            self.group,
            min=min(entry_ids, key=_id_order),
            max=max(entry_ids, key=_id_order),
            count=len(entry_ids) * 4 + 16,
            consumername=self.consumer,
        )
        rows = cast("list[dict[str, Any]]", pending)  # redis-py types the rows loosely
        return {as_bytes(row["message_id"]): int(row["times_delivered"]) for row in rows}

    async def finish_own_pending(self, deadline: float) -> int:
        """Process what this consumer was handed but did not finish (a read cut short by shutdown)."""
        finished = 0
        while time.monotonic() < deadline:
            reply = await self.redis.xreadgroup(
                self.group, self.consumer, {self.stage.input_stream: "0"}, count=self.settings.batch_size
            )
            entries: list[Entry] = [
                (entry_id, fields) for _stream, batch in stream_reply(reply) for entry_id, fields in batch if fields
            ]
            if not entries:
                break
            await self.process(entries, await self._delivery_counts([entry_id for entry_id, _ in entries]))
            finished += len(entries)
        if finished:
            log.info("finished %s entries read before shutdown from %s", finished, self.stage.input_stream)
        return finished

    async def reclaim_forever(self, stop: asyncio.Event) -> None:
        """Reclaim idle entries until ``stop`` is set; survive Redis outages."""
        interval = self.settings.reclaim_interval_ms / 1000
        while not stop.is_set():
            try:
                claimed = await self.reclaim_once()
            except Exception as exc:  # noqa: BLE001 (the loop must outlive Redis restarts)
                log.warning("reclaim of %s failed, will retry: %r", self.stage.input_stream, exc)
                claimed = 0
            if claimed == 0:
                await sleep_unless_stopped(stop, interval)
