"""What a service declares, once: its name, the stream it reads and its contract, its handler, its outputs.

The runtime builds the service's :class:`~storywire.services.runtime.outcomes.Stage` from the
declaration and the handler (:meth:`ServiceDefinition.stage`); the service's module never restates
its name, stream or contract.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, ParamSpec, TypeVar

from redis.asyncio import Redis

from storywire.contracts import Contract
from storywire.services.runtime.outcomes import Handler, In, Stage
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames
from storywire.services.time_budget import within_budget

P = ParamSpec("P")
T = TypeVar("T")

#: Where several stages share one process, its endpoints listen here by default.
SHARED_HTTP_PORT = 8000

StreamOf = Callable[[StreamNames], str]


class Compute:
    """Runs a stage's CPU-bound work on a thread of its own, within a time budget.

    The event loop stays free meanwhile: it answers health probes, renews the leases of the
    entries being worked on, and keeps reading Redis for the other stages of the process.
    """

    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="storywire-compute")

    async def __call__(self, budget_s: float | None, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``work(*args, **kwargs)`` on a compute thread; :class:`BudgetExceeded` past ``budget_s``."""
        call = functools.partial(within_budget, budget_s, functools.partial(work, *args, **kwargs))
        # The thread logs with the message's ids: it runs in a copy of this task's context.
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(self._pool, context.run, call)

    def close(self) -> None:
        """Let running work finish on its own; start no more."""
        self._pool.shutdown(wait=False, cancel_futures=True)


@dataclass(frozen=True, slots=True)
class WorkerContext:
    """What a handler may use, made at start-up: settings, names and the Redis client."""

    settings: Settings
    names: StreamNames
    redis: Redis
    #: Where the stage runs its CPU-bound work (off the event loop).
    compute: Compute


HandlerBuilder = Callable[[WorkerContext], Awaitable[Handler[In]]]


@dataclass(frozen=True, slots=True)
class ServiceDefinition(Generic[In]):
    """A service as the runtime sees it, declared once in the service's module."""

    #: The stage's name: its consumer group, its dead-letter stream, its figures.
    name: str
    input_stream: StreamOf
    input_contract: type[In]
    #: Builds the handler at start-up, when Redis is reachable.
    build_handler: HandlerBuilder[In]
    #: What the stage publishes where (its dead letters are added by the runtime); for the AsyncAPI spec.
    outputs: tuple[tuple[StreamOf, type[Contract]], ...] = ()
    #: Failures of this stage worth a retry, besides the runtime's infrastructure errors.
    retryable: tuple[type[BaseException], ...] = ()
    #: Loads lazy models and tables before the first message, so it does not wait for them.
    warm_up: Callable[[Settings], object] | None = None
    #: The port of its endpoints when it runs alone and none is configured: stages started as separate
    #: processes on one host must not compete for one port.
    http_port: int = SHARED_HTTP_PORT

    def stage(self, names: StreamNames, handle: Handler[In]) -> Stage[In]:
        """The stage the runtime runs: this declaration with its handler."""
        return Stage(self.name, self.input_stream(names), self.input_contract, handle, retryable=self.retryable)
