"""Builds a FastStream app that runs one or more stages on Redis streams.

Each service's ``create_app(settings)`` is a thin composition root over
``build_worker_app``; ``storywire run`` combines several services in one
process with the same function. Connections are opened in the app's start-up
hook, never at import or construction time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from faststream import FastStream
from faststream.middlewares import AckPolicy
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.message import RedisBatchStreamMessage
from faststream.redis.prometheus import RedisPrometheusMiddleware
from faststream.specification import AsyncAPI
from redis.asyncio import Redis

from storywire.contracts import Contract, DeadLetter
from storywire.services import __version__
from storywire.services.runtime.delivery import Entry, StageCounters, StageRunner
from storywire.services.runtime.http_endpoints import HttpEndpoints
from storywire.services.runtime.maintenance import Maintenance
from storywire.services.runtime.metrics import WorkerMetrics
from storywire.services.runtime.outcomes import Stage
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames, ensure_group, unique_consumer_name

log = logging.getLogger(__name__)


def _broker_logger() -> logging.Logger:
    """The logger FastStream writes to: ours, so its lines go through our handlers, at WARNING."""
    broker_log = logging.getLogger(f"{__name__}.faststream")
    broker_log.setLevel(logging.WARNING)
    return broker_log


StageBuilder = Callable[["WorkerContext"], Awaitable[Stage[Any]]]


StreamOf = Callable[[StreamNames], str]


@dataclass(frozen=True, slots=True)
class ServiceDefinition:
    """A service as the runtime sees it: its streams and contracts, and how to build its stage."""

    name: str
    input_stream: StreamOf
    build_stage: StageBuilder
    input_contract: type[Contract]
    #: What the stage publishes where (its dead letters are added by the runtime); for the AsyncAPI spec.
    outputs: tuple[tuple[StreamOf, type[Contract]], ...] = ()


@dataclass(frozen=True, slots=True)
class WorkerContext:
    """What a stage may use, made at start-up: settings, names and the Redis client."""

    settings: Settings
    names: StreamNames
    redis: Redis


class Worker:
    """One process's FastStream app and the runners behind its subscribers."""

    def __init__(self, settings: Settings, services: Sequence[ServiceDefinition]) -> None:
        if settings.redis_url is None:
            raise ValueError("a worker needs settings.redis_url (the CLI starts an embedded one)")
        self.settings = settings
        self.names = StreamNames(settings.stream_prefix)
        self.services = tuple(services)
        self.consumers = {s.name: settings.consumer_name or unique_consumer_name(s.name) for s in services}
        self.runners: dict[str, StageRunner[Any]] = {}
        self._subscribers: dict[str, Any] = {}
        self.redis: Redis | None = None
        self.maintenance: Maintenance | None = None
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.metrics = WorkerMetrics(self.counters)
        self.http = HttpEndpoints(ready=self.readiness, metrics=self._render_metrics)
        self.broker = RedisBroker(
            settings.redis_url,
            graceful_timeout=settings.graceful_timeout_s,
            # FastStream logs every message at this level: keep it off the hot path.
            log_level=logging.DEBUG,
            # Its supervisor also says INFO whenever a subscriber task ends (at every stop); through a
            # logger of ours at WARNING only its warnings and errors reach operators.
            logger=_broker_logger(),
            middlewares=[RedisPrometheusMiddleware(registry=self.metrics.registry, app_name="storywire")],
        )
        for service in self.services:
            self._subscribe(service)
        self.app = FastStream(
            self.broker,
            specification=AsyncAPI(
                title="storywire",
                version=__version__,
                description="Clean news articles, detect stories, summarise them, on Redis streams.",
            ),
            on_startup=[self._on_startup],
            after_startup=[self._after_startup],
            on_shutdown=[self._on_shutdown],
            after_shutdown=[self._after_shutdown],
        )

    def _subscribe(self, service: ServiceDefinition) -> None:
        stream = service.input_stream(self.names)
        sub = StreamSub(
            stream,
            group=service.name,
            consumer=self.consumers[service.name],
            batch=True,
            max_records=self.settings.batch_size,
            polling_interval=self.settings.block_ms,
        )

        async def consume(entries: Any) -> None:
            await self.runners[service.name].process(entries)

        # The spec shows the contract; "| Any" lets our own decoder hand over raw entries, so
        # that validation (and poison handling) stays in the delivery code.
        consume.__annotations__["entries"] = list[service.input_contract] | Any  # type: ignore[name-defined]

        subscriber = self.broker.subscriber(
            stream=sub,
            parser=_parse_batch,
            decoder=_decode_batch,
            ack_policy=AckPolicy.MANUAL,
            title=f"{service.name}:{stream}",
            description=(
                f"The {service.name} stage reads {stream} as consumer group `{service.name}`. Each entry's"
                f" `data` field is one {service.input_contract.contract_name} as JSON (see wire format)."
            ),
        )
        subscriber(consume)
        self._subscribers[service.name] = subscriber
        dead_letters: tuple[StreamOf, type[Contract]] = (lambda names: names.dead_letters(service.name), DeadLetter)
        for output, contract in (*service.outputs, dead_letters):
            # Declared for the specification only: stages publish through the commit script.
            self.broker.publisher(
                stream=output(self.names),
                schema=contract,
                title=f"{output(self.names)}:{contract.contract_name}",
                description=f"The {service.name} stage writes one {contract.contract_name} per entry (`data` field).",
            )

    async def _on_startup(self) -> None:
        assert self.settings.redis_url is not None
        self.redis = Redis.from_url(self.settings.redis_url, health_check_interval=10, socket_keepalive=True)
        context = WorkerContext(self.settings, self.names, self.redis)
        for service in self.services:
            stream = service.input_stream(self.names)
            await ensure_group(self.redis, stream, service.name)
            stage = await service.build_stage(context)
            if stage.warm_up is not None:
                started = time.perf_counter()
                stage.warm_up()
                log.info("%s warmed up in %.2f s", service.name, time.perf_counter() - started)
            self.runners[service.name] = StageRunner(
                self.redis,
                stage,
                settings=self.settings,
                names=self.names,
                group=service.name,
                consumer=self.consumers[service.name],
            )
        self.maintenance = Maintenance(self.redis, self.settings, self.names)

    async def _after_startup(self) -> None:
        self._stop.clear()
        for runner in self.runners.values():
            self._tasks.append(asyncio.create_task(runner.reclaim_forever(self._stop)))
        if self.maintenance is not None:
            groups = {runner.stage.input_stream: runner.group for runner in self.runners.values()}
            self._tasks.append(asyncio.create_task(self.maintenance.run_forever(self._stop, groups)))
        if self.settings.http_port is not None:
            await self.http.start(self.settings.http_host, self.settings.http_port)
        log.info("started %s", ", ".join(f"{n} as {c}" for n, c in self.consumers.items()))

    async def _on_shutdown(self) -> None:
        await self.http.stop()
        self._stop.set()
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, timeout=self.settings.graceful_timeout_s)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
        self._tasks.clear()

    async def _after_shutdown(self) -> None:
        # A read cut short by the shutdown leaves entries delivered to us but unprocessed.
        deadline = time.monotonic() + self.settings.graceful_timeout_s
        for runner in self.runners.values():
            try:
                await runner.finish_own_pending(deadline)
            except Exception as exc:  # noqa: BLE001 (what is left is reclaimed by another consumer)
                log.warning("could not finish pending entries of %s: %r", runner.stage.name, exc)
        if self.redis is not None:
            await self.redis.aclose()
            self.redis = None
        log.info("stopped")

    def counters(self) -> Mapping[str, StageCounters]:
        """Each stage's running totals."""
        return {name: runner.counters for name, runner in self.runners.items()}

    async def readiness(self) -> tuple[bool, str]:
        """Ready when Redis answers and every subscriber and background loop runs."""
        problems = [f"subscriber {name} stopped" for name, sub in self._subscribers.items() if not sub.running]
        problems += [f"background task {t.get_name()} ended" for t in self._tasks if t.done()]
        if not self._tasks:
            problems.append("not started")
        try:
            if self.redis is None or not await asyncio.wait_for(self.redis.ping(), timeout=2):
                problems.append("redis not connected")
        except Exception as exc:  # noqa: BLE001 (any failure to ping means not ready)
            problems.append(f"redis unreachable: {type(exc).__name__}")
        return (not problems), ("ready" if not problems else "; ".join(problems))

    async def _render_metrics(self) -> bytes:
        return await self.metrics.render(self.redis, self.names)


async def _parse_batch(raw: Any, _original: Any) -> RedisBatchStreamMessage:
    # Skips FastStream's envelope parsing: our entries are plain fields (see wire.py).
    ids: list[bytes] = raw["message_ids"]
    first = ids[0].decode() if ids else ""
    return RedisBatchStreamMessage(
        raw_message=raw,
        body=b"",
        message_id=first,
        correlation_id=first,
        consumer=_NoConsumer(),
        group=None,
    )


async def _decode_batch(message: RedisBatchStreamMessage, _original: Any) -> list[Entry]:
    raw = message.raw_message
    return list(zip(raw["message_ids"], raw["data"], strict=True))


class _NoConsumer:
    """Acknowledgement is ours (in the commit script), so FastStream gets a no-op consumer."""

    async def xack(self, name: str, groupname: str, *ids: bytes) -> None:
        return None

    async def xdel(self, name: str, *ids: bytes) -> None:
        return None

    async def xpending_range(
        self,
        name: str,
        groupname: str,
        min: bytes,  # noqa: A002 (the protocol's parameter names)
        max: bytes,  # noqa: A002
        count: int,
    ) -> list[dict[str, Any]]:
        return []
