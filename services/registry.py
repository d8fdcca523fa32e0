"""The pipeline's services in order: the one list that ``storywire run``, the AsyncAPI document,
the demo, the board and the tests take their workers from."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from storywire.services.runtime.stages import STAGES

if TYPE_CHECKING:  # the command line imports this module to name the services: it stays light
    from storywire.services.runtime.service import ServiceDefinition

#: The services by name, in pipeline order: the runtime's stages (each service declares its name in
#: its own module; a test keeps the two in step, so that naming a service here does not import them all).
SERVICE_NAMES = STAGES


def service_definitions(names: Collection[str] = SERVICE_NAMES) -> list[ServiceDefinition[Any]]:
    """The named services, in pipeline order; ``ValueError`` for a name that is none of them."""
    # Imported when asked for: the command line names them without loading the services' models.
    from storywire.services.cleaner.app import SERVICE as CLEANER  # noqa: PLC0415
    from storywire.services.dedup.app import SERVICE as DEDUP  # noqa: PLC0415
    from storywire.services.summarizer.app import SERVICE as SUMMARIZER  # noqa: PLC0415

    known: dict[str, ServiceDefinition[Any]] = {s.name: s for s in (CLEANER, DEDUP, SUMMARIZER)}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise ValueError(f"no such service: {', '.join(unknown)} (known: {', '.join(known)})")
    return [known[name] for name in SERVICE_NAMES if name in names]
