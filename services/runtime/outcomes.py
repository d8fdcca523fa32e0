"""What a stage's handler returns: expected outcomes are data, not exceptions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from storywire.contracts import Contract

In = TypeVar("In", bound=Contract)

#: A tiny article run once at start-up to load models and tables.
WARM_UP_TEXT = (
    "Maria Lopez, the mayor of Lisbon, said on Tuesday that the city council approved the budget.\n\n"
    '"We will build three schools," she told reporters at the town hall in Lisbon.'
)


@dataclass(frozen=True, slots=True)
class Emit:
    """Publish these messages and acknowledge the input, once per idempotency key."""

    messages: tuple[tuple[str, Contract], ...]
    #: Identity of the input version (e.g. ``article_id:content_hash``); a second
    #: input with the same key is acknowledged without publishing anything.
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Reject:
    """The input is well formed but cannot be used (e.g. a page with no article)."""

    kind: str
    reason: str


Outcome = Emit | Reject

Handler = Callable[[In], Awaitable[Outcome]]


@dataclass(frozen=True, slots=True)
class Stage(Generic[In]):
    """One hop of the pipeline: read ``input_stream`` as ``input_type``, run ``handle``."""

    name: str
    input_stream: str
    input_type: type[In]
    handle: Handler[In]
    #: Failures of this stage worth a retry, besides the runtime's infrastructure errors.
    retryable: tuple[type[BaseException], ...] = ()
    #: Loads lazy models and tables before the first message, so it does not wait for them.
    warm_up: Callable[[], object] | None = None
