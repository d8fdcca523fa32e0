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
    payload: str = Field(
        description=(
            "The original `data` field, as text or base64: all of it, or its first part when"
            " `payload_truncated` (a letter never exceeds the configured size)."
        )
    )
    payload_encoding: Literal["utf-8", "base64"] = "utf-8"
    # Added to version 1 (optional; letters written before carry none of them).
    payload_bytes: int | None = Field(default=None, ge=0, description="Size of the whole original `data` field.")
    payload_sha256: str | None = Field(
        default=None, pattern="^[0-9a-f]{64}$", description="Hex SHA-256 of the whole original `data` field."
    )
    payload_truncated: bool = Field(
        default=False,
        description=(
            "`payload` holds only the first part of the original, or none of it: the letter cannot be replayed."
        ),
    )
