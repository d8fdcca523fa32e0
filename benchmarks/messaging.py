"""Benchmark ``messaging``: what the runtime costs per message, with a trivial handler.

A ServiceDefinition whose stage returns ``Emit`` of a tiny contract (``Ping``: one int),
so that everything measured is the runtime: FastStream's batched XREADGROUP, JSON
decode and pydantic validation, the handler call, JSON encode, and the commit script
(XACK + SET NX of the idempotency key + XADD, one script per entry, one pipeline per
batch). Single-entry reads (batch_size=1) against batches of 64 and 256, interleaved
round by round, and a raw redis-py floor (XREADGROUP 256, then XADD + XACK per entry
in one pipeline, no validation, no script) for comparison.
"""

from __future__ import annotations

import asyncio
import time
from typing import ClassVar, Literal, cast

from redis.asyncio import Redis

from benchmarks.common import Context, Result, goal, median, redis_server, rnd, table, wait_total
from storywire.contracts import Contract
from storywire.services.runtime.app import ServiceDefinition, Worker, WorkerContext
from storywire.services.runtime.outcomes import Emit, Outcome, Stage
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import encode_entry

NAME = "messaging"
GOAL_PER_S = 10_000
BATCHES = (1, 64, 256)


class Ping(Contract):
    """The tiny contract: a sequence number."""

    contract_name: ClassVar[str] = "Ping"
    schema_version: Literal[1] = 1
    seq: int


def _in(names: StreamNames) -> str:
    return f"{names.prefix}bench.in"


def _out(names: StreamNames) -> str:
    return f"{names.prefix}bench.out"


async def _build(context: WorkerContext) -> Stage[Ping]:
    out = _out(context.names)

    async def handle(ping: Ping) -> Outcome:
        # An idempotency key as every real stage has one: the commit script's SET NX is part of the cost.
        return Emit(((out, ping),), idempotency_key=f"ping:{ping.seq}")

    return Stage("echo", _in(context.names), Ping, handle)


ECHO = ServiceDefinition("echo", _in, _build, input_contract=Ping, outputs=((_out, Ping),))


async def _fill(client: Redis, stream: str, count: int) -> None:
    for start in range(0, count, 1000):
        pipe = client.pipeline(transaction=False)
        for seq in range(start, min(count, start + 1000)):
            pipe.xadd(stream, encode_entry(Ping(seq=seq)))  # type: ignore[arg-type]
        await pipe.execute()


async def through_runtime(url: str, prefix: str, count: int, batch_size: int) -> float:
    """Messages/s of the echo stage over ``count`` entries published beforehand."""
    names = StreamNames(prefix)
    client = Redis.from_url(url)
    await _fill(client, _in(names), count)
    settings = Settings(redis_url=url, stream_prefix=prefix, http_port=None, block_ms=50, batch_size=batch_size)
    worker = Worker(settings, [ECHO])
    try:
        started = time.perf_counter()
        async with worker.app:
            done = await wait_total(client, [_out(names), names.dead_letters("echo")], count, timeout_s=600)
    finally:
        await client.aclose()
    return count / (done - started)


async def raw_floor(url: str, prefix: str, count: int, batch_size: int = 256) -> float:
    """Messages/s of a bare redis-py consumer: XREADGROUP, then XADD + XACK per entry, pipelined."""
    names = StreamNames(prefix)
    client = Redis.from_url(url)
    source, sink = _in(names), _out(names)
    await _fill(client, source, count)
    await client.xgroup_create(source, "raw", id="0", mkstream=True)
    done = 0
    started = time.perf_counter()
    while done < count:
        reply = await client.xreadgroup("raw", "c1", {source: ">"}, count=batch_size, block=50)
        if not reply:
            continue
        # redis-py types XREADGROUP's reply loosely: [[stream, [(id, fields), ...]]] with RESP2.
        entries = cast("list[tuple[bytes, dict[bytes, bytes]]]", reply[0][1])  # type: ignore[index]
        pipe = client.pipeline(transaction=False)
        for entry_id, fields in entries:
            pipe.xadd(sink, {b"data": fields[b"data"]})
            pipe.xack(source, "raw", entry_id)
        await pipe.execute()
        done += len(entries)
    elapsed = time.perf_counter() - started
    await client.aclose()
    return count / elapsed


def run(ctx: Context) -> Result:
    """Interleave batch sizes 1, 64, 256 and the raw floor for a few rounds."""
    count, rounds = (1000, 1) if ctx.quick else (10_000, 3)
    rates: dict[str, list[float]] = {**{f"batch {b}": [] for b in BATCHES}, "raw redis-py (256)": []}
    with redis_server() as url:
        asyncio.run(through_runtime(url, "bench-msg-warm:", 200, 64))  # imports, script load, first connections
        for r in range(rounds):
            for b in BATCHES:
                rates[f"batch {b}"].append(asyncio.run(through_runtime(url, f"bench-msg-{r}-{b}:", count, b)))
            rates["raw redis-py (256)"].append(asyncio.run(raw_floor(url, f"bench-msg-raw-{r}:", count)))
    med = {k: median(v) for k, v in rates.items()}
    best_batched = max(med["batch 64"], med["batch 256"])
    met = best_batched >= GOAL_PER_S
    floor = med["raw redis-py (256)"]
    rows = [
        (k, rnd(v, 0), f"{v / med['batch 1']:.2f}", f"{v / floor:.2f}", " / ".join(f"{x:.0f}" for x in rates[k]))
        for k, v in med.items()
    ]
    markdown = (
        f"Inputs: {count} `Ping` messages (one int, ~60-byte JSON) per variant and round, {rounds} interleaved"
        " rounds; one process, the worker in-process with a trivial handler.\n\n"
        + table(("variant", "messages/s (median)", "vs batch 1", "vs raw floor", "per round"), rows)
        + f"\n\nGoal ≥ {GOAL_PER_S:,} messages/s batched: {goal(met)} (best batched {best_batched:,.0f}/s)."
        "\n\nPer message the runtime adds to the raw floor: pydantic `model_validate_json` of the input,"
        " `model_dump_json` of the output, the logging/tracing context managers, and an EVALSHA of the"
        " commit script (XACK, SET NX EX, XADD) in place of a plain XADD + XACK.\n"
    )
    summary = [
        f"runtime with a trivial handler: batch 1 {med['batch 1']:,.0f}/s, batch 64 {med['batch 64']:,.0f}/s,"
        f" batch 256 {med['batch 256']:,.0f}/s; raw redis-py floor {floor:,.0f}/s"
        f" (goal ≥ {GOAL_PER_S:,}/s batched: {goal(met)})",
    ]
    data = {
        "messages": count,
        "rounds": rounds,
        "messages_per_s": rates,
        "median_messages_per_s": med,
        "best_batched_per_s": best_batched,
        "goal_per_s": GOAL_PER_S,
        "goal_met": met,
    }
    return Result(NAME, "Messaging: runtime overhead with a trivial handler", summary, markdown, data)
