"""Which failures are worth retrying, decided in one place."""

from __future__ import annotations

import asyncio

from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError  # noqa: A004


class PoisonMessage(Exception):  # noqa: N818 (a poison message is the thing, not an error in us)
    """An entry that can never be processed: it goes to the dead letters at once."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


#: Failures of the infrastructure, not of the message: the entry stays pending
#: and is delivered again after the reclaim idle time.
RETRYABLE: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    BusyLoadingError,
    asyncio.TimeoutError,
    OSError,
)


def is_retryable(exc: BaseException) -> bool:
    """True when trying the same message again later may succeed."""
    return isinstance(exc, RETRYABLE)
