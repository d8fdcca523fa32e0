"""Builds a FastStream app that runs one or more services on Redis streams.

Each service's ``create_app(settings)`` is a thin composition root over :class:`Worker` with its
one :class:`~storywire.services.runtime.service.ServiceDefinition`; ``storywire run`` combines
several services in one process the same way. Connections are opened in the app's start-up hook,
never at import or construction time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

from faststream import FastStream
from faststream.middlewares import AckPolicy
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.message import RedisBatchStreamMessage
from faststream.redis.prometheus import RedisPrometheusMiddleware
from faststream.specification import AsyncAPI
from redis.asyncio import Redis
from redis.exceptions import AuthenticationError, ResponseError

from storywire.contracts import Contract, DeadLetter
from storywire.services import __version__
from storywire.services.runtime.delivery import Entry, StageCounters, StageRunner
from storywire.services.runtime.http_endpoints import HttpEndpoints
from storywire.services.runtime.logs import quiet_tracebacks
from storywire.services.runtime.maintenance import Maintenance
from storywire.services.runtime.metrics import WorkerMetrics
from storywire.services.runtime.service import SHARED_HTTP_PORT, Compute, ServiceDefinition, StreamOf, WorkerContext
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames, ensure_group, sleep_unless_stopped, unique_consumer_name

log = logging.getLogger(__name__)


def _broker_logger() -> logging.Logger:
    """The logger FastStream writes to: ours, so its lines go through our handlers, at WARNING, and a
    failed read while Redis is away is one line."""
    broker_log = logging.getLogger(f"{__name__}.faststream")
    broker_log.setLevel(logging.WARNING)
    return quiet_tracebacks(broker_log)


class StartupError(Exception):
    """A worker cannot start; the message says why in one line."""


class Worker:
    """One process's FastStream app and the runners behind its subscribers."""

    def __init__(self, settings: Settings, services: Sequence[ServiceDefinition[Any]]) -> None:
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
        self._failed = asyncio.Event()
        self.compute = Compute(len(self.services))
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
            logger=_broker_logger(),
            on_startup=[self._on_startup],
            after_startup=[self._after_startup],
            on_shutdown=[self._on_shutdown],
            after_shutdown=[self._after_shutdown],
        )
        self._signalled = asyncio.Event()
        # Assigning to the app is how FastStream lets its user take over ``exit`` (see its Application).
        self._app_exit = self.app.exit
        self.app.exit = self._exit_requested  # type: ignore[method-assign]

    def _subscribe(self, service: ServiceDefinition[Any]) -> None:
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

    @property
    def http_port(self) -> int | None:
        """The configured port, else the stage's own (or the shared one for several stages); None: off."""
        if not self.settings.http_enabled:
            return None
        if "http_port" in self.settings.model_fields_set:
            return self.settings.http_port
        return self.services[0].http_port if len(self.services) == 1 else SHARED_HTTP_PORT

    async def _on_startup(self) -> None:
        assert self.settings.redis_url is not None
        try:
            self.redis = Redis.from_url(self.settings.redis_url, health_check_interval=10, socket_keepalive=True)
        except ValueError as exc:
            raise StartupError(f"the Redis URL is not valid: {exc}") from None
        await self._wait_for_redis(self.redis)
        port = self.http_port
        if port is not None:
            # Bound before any subscriber starts, so a port in use stops the worker before it reads anything.
            try:
                await self.http.start(self.settings.http_host, port)
            except OSError as exc:
                raise StartupError(
                    f"cannot serve /healthz, /readyz and /metrics on {self.settings.http_host}:{port}: {exc.strerror}"
                    " (set STORYWIRE_HTTP_PORT to a free port, 0 for any, or empty for none)"
                ) from None
        context = WorkerContext(self.settings, self.names, self.redis, self.compute)
        for service in self.services:
            stream = service.input_stream(self.names)
            await ensure_group(self.redis, stream, service.name)
            stage = service.stage(self.names, await service.build_handler(context))
            if service.warm_up is not None:
                started = time.perf_counter()
                service.warm_up(self.settings)
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

    async def _wait_for_redis(self, redis: Redis) -> None:
        """Ping until Redis answers, backing off, for ``startup_timeout_s``; a wrong password fails at once."""
        deadline = time.monotonic() + self.settings.startup_timeout_s
        delay = 0.2
        while True:
            try:
                await redis.ping()
                return
            except AuthenticationError as exc:
                raise StartupError(f"Redis refused the credentials in the URL: {exc}") from None
            except ResponseError as exc:
                # NOAUTH, WRONGPASS, NOPERM: waiting will not mend them.
                raise StartupError(f"Redis refused the connection: {exc}") from None
            except Exception as exc:  # noqa: BLE001 (down, refused, DNS: all worth a few more tries)
                if time.monotonic() + delay > deadline:
                    waited = self.settings.startup_timeout_s
                    raise StartupError(
                        f"Redis did not answer within {waited:g} s: {type(exc).__name__}: {exc}"
                    ) from None
                log.warning("Redis does not answer yet (%s); trying again in %.1f s", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _after_startup(self) -> None:
        self._stop.clear()
        for runner in self.runners.values():
            self._tasks.append(asyncio.create_task(runner.reclaim_forever(self._stop)))
        if self.maintenance is not None:
            groups = {runner.stage.input_stream: runner.group for runner in self.runners.values()}
            self._tasks.append(asyncio.create_task(self.maintenance.run_forever(self._stop, groups)))
        self._tasks.append(asyncio.create_task(self._keep_subscribed(self._stop), name="keep-subscribed"))
        log.info("started %s", ", ".join(f"{n} as {c}" for n, c in self.consumers.items()))

    async def _keep_subscribed(self, stop: asyncio.Event) -> None:
        """Restart a subscriber whose consumer group vanished, with the group recreated from the start.

        Redis restarted without persistence, a failover to a replica without the group, a FLUSHALL or a
        deleted stream take the group away; FastStream then stops the subscriber for good. Nothing the
        group had acknowledged can be told apart from what it had not, so it reads again from ``0``: the
        commit script's idempotency keys keep what was already published from being published twice.
        """
        failures: dict[str, int] = {}
        while not stop.is_set():
            await sleep_unless_stopped(stop, 1.0)
            for service in self.services:
                subscriber = self._subscribers[service.name]
                if subscriber.running or stop.is_set() or self.redis is None:
                    continue
                stream = service.input_stream(self.names)
                try:
                    await ensure_group(self.redis, stream, service.name)
                    await subscriber.start()
                except Exception as exc:  # noqa: BLE001 (Redis may still be coming back)
                    failures[service.name] = failures.get(service.name, 0) + 1
                    log.warning(
                        "could not resume %s on %s (try %s): %r", service.name, stream, failures[service.name], exc
                    )
                    if failures[service.name] >= _RESUME_TRIES:
                        self.fail(f"the {service.name} subscriber stopped and could not be resumed: {exc!r}")
                    continue
                failures.pop(service.name, None)
                log.warning(
                    "resumed %s on %s: its consumer group was gone and is recreated from the start",
                    service.name,
                    stream,
                )

    def fail(self, reason: str) -> None:
        """Stop the worker with a non-zero exit: something it cannot mend stopped it."""
        if not self._failed.is_set():
            log.error("stopping: %s", reason)
        self._failed.set()

    def _exit_requested(self) -> None:
        """FastStream's exit, called by signal handlers and by a subscriber that stopped itself.

        A subscriber stops itself (from its own task) when its consumer group is gone; the worker resumes
        it instead of exiting (see :meth:`_keep_subscribed`). Signal handlers run outside any task.
        """
        if asyncio.current_task() is not None and any(not s.running for s in self._subscribers.values()):
            log.warning("a subscriber stopped: resuming it rather than exiting")
            return
        self._signalled.set()
        self._app_exit()

    async def run(self, *, hard_exit: bool = False) -> int:
        """Run until SIGTERM or SIGINT; return the exit code (0 after a clean stop, 1 after a failure).

        Unlike ``FastStream.run``, a start-up failure is one log line and exit code 1. With ``hard_exit``
        (a worker process of its own) a stop always ends the process: past the graceful timeout, and
        shortly after a clean stop, it exits even if some library's task will not finish.
        """
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._signalled.set)
        starting = asyncio.ensure_future(self.app.start())
        # A signal while waiting for Redis at start-up cancels the start.
        await _first_of(starting, self._signalled.wait())
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await starting
        if starting.cancelled() or starting.exception() is not None:
            if not starting.cancelled():
                exc = starting.exception()
                log.error("cannot start: %s", exc if isinstance(exc, StartupError) else repr(exc))
            await self._stop_within_deadline()
            code = 0 if starting.cancelled() else 1
        else:
            await _first_of(self._signalled.wait(), self._failed.wait())
            if hard_exit:
                _exit_after(self.settings.graceful_timeout_s + _STOP_MARGIN_S, code=1)
            await self._stop_within_deadline()
            code = 1 if self._failed.is_set() else 0
        if hard_exit:
            _exit_after(_STOP_MARGIN_S, code=code)
        return code

    async def _stop_within_deadline(self) -> None:
        try:
            await asyncio.wait_for(self.app.stop(), timeout=self.settings.graceful_timeout_s + _STOP_MARGIN_S / 2)
        except TimeoutError:
            log.error("did not stop within the graceful timeout; leaving the rest to reclaim")
        except Exception as exc:  # noqa: BLE001 (stopping is best effort; what is left is reclaimed)
            log.warning("stopping failed: %r", exc)

    async def _on_shutdown(self) -> None:
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
        await self.http.stop()
        self.compute.close()
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


_RESUME_TRIES = 30
_STOP_MARGIN_S = 5.0


async def _first_of(*waits: Awaitable[Any]) -> None:
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


def _exit_after(seconds: float, *, code: int) -> None:
    """End the process in ``seconds`` unless it has ended by then (a daemon timer, so it never delays an exit)."""

    def end() -> None:
        log.error("the process did not end in time after stopping; exiting with %s", code)
        logging.shutdown()
        os._exit(code)

    timer = threading.Timer(seconds, end)
    timer.daemon = True
    timer.start()


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
