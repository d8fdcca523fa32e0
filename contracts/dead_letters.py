"""Messages a stage gave up on, with why."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from storywire.contracts.base import Contract


class DeadLetter(Contract):
    """A message a stage could not process, kept for inspection and replay."""

    contract_name: ClassVar[str] = "DeadLetter"

    schema_version: Literal[1] = 1
    stage: str
    error_type: str = Field(description="Exception class or rejection kind, e.g. `InvalidJson`.")
    error_message: str
    attempts: int = Field(ge=1, description="Deliveries made before giving up.")
    source_stream: str
    source_entry_id: str
    article_id: str | None = None
    correlation_id: str | None = None
    failed_at: datetime
    payload: str = Field(description="The original `data` field, as text or base64.")
    payload_encoding: Literal["utf-8", "base64"] = "utf-8"
