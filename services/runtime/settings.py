"""Settings for every worker, read from ``STORYWIRE_*`` environment variables."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storywire.services.runtime.dead_letters import MIN_LETTER_BYTES


class Settings(BaseSettings):
    """Everything a worker needs to start; built once, in the composition root."""

    model_config = SettingsConfigDict(env_prefix="STORYWIRE_", env_nested_delimiter="__", frozen=True, extra="ignore")

    redis_url: str | None = Field(
        default=None,
        description=(
            "redis:// or rediss:// URL (user and password for ACL users go in it)."
            " None starts an embedded redis-server for this process."
        ),
    )
    stream_prefix: str = Field(default="", description="Prefix of every stream and key name.")
    consumer_name: str | None = Field(default=None, description="Consumer name; a unique one per process when None.")
    batch_size: int = Field(default=32, ge=1, le=10_000, description="Entries per read.")
    block_ms: int = Field(default=500, ge=1, description="How long one read waits.")
    commit_interval_ms: int = Field(
        default=50, ge=0, description="Results of a batch are committed at least this often (latency bound)."
    )
    reclaim_idle_ms: int = Field(default=30_000, ge=1, description="Pending this long, an entry is claimed by another.")
    reclaim_interval_ms: int = Field(default=1_000, ge=10)
    retries_in_place: int = Field(
        default=3, ge=0, description="Retries of a retryable failure before the entry waits for reclaim."
    )
    retry_backoff_ms: int = Field(default=200, ge=1, description="First in-place retry delay; doubles each time.")
    max_deliveries: int = Field(default=5, ge=1, description="After this many deliveries an entry is dead-lettered.")
    max_payload_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    idempotency_ttl_s: int = Field(
        default=30 * 24 * 3600, ge=60, description="How long a processed version is remembered."
    )
    maintenance_interval_ms: int = Field(default=5_000, ge=10)
    dead_consumer_idle_ms: int = Field(
        default=3_600_000, ge=1, description="Idle consumers with nothing pending are removed."
    )
    terminal_retention_s: int = Field(
        default=7 * 24 * 3600,
        ge=1,
        description=(
            "Age of history kept on the output streams (summaries, stories, story summaries, dead letters),"
            " whatever consumer groups read them."
        ),
    )
    terminal_max_entries: int = Field(
        default=1_000_000, ge=1, description="At most this many entries (about) kept on each output stream."
    )
    graceful_timeout_s: float = Field(default=15.0, gt=0)
    clean_time_budget_s: float = Field(default=10.0, gt=0, description="Seconds the cleaner may spend on one page.")
    stage_time_budget_s: float = Field(
        default=60.0, gt=0, description="Seconds dedup or the summarizer may compute on one article."
    )
    startup_timeout_s: float = Field(
        default=30.0, ge=0, description="How long a worker keeps trying to reach Redis at start-up before it fails."
    )
    story_window_days: float = Field(
        default=730.0,
        gt=0,
        description="A dated article joins only a story published within this many days of it.",
    )
    story_horizon_days: float = Field(
        default=14.0, gt=0, description="Stories without a new article for this many days leave the index."
    )
    http_host: str = Field(
        default="127.0.0.1",
        description="Where /healthz, /readyz and /metrics listen (containers set 0.0.0.0 explicitly).",
    )
    http_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description=(
            "Port of the HTTP endpoints; 0 picks a free one; empty turns them off. Unset: the stage's own port"
            " (8001 cleaner, 8002 dedup, 8003 summarizer, 8000 for several stages in one process)."
        ),
    )
    tracing: bool = Field(default=False, description="OpenTelemetry spans per entry (needs the `tracing` extra).")
    log_level: str = "INFO"
    log_json: bool = False
    dead_letter_max_bytes: int = Field(
        default=64 * 1024,
        ge=MIN_LETTER_BYTES,
        description=(
            "Largest dead letter (its JSON document); a longer payload keeps only its first part,"
            " with the whole payload's size and SHA-256."
        ),
    )

    @field_validator("redis_url")
    @classmethod
    def _redis_url_parses(cls, value: str | None) -> str | None:
        if value is not None:
            from redis.connection import parse_url  # noqa: PLC0415 (settings load without the client)

            parse_url(value)  # type: ignore[no-untyped-call]  # (redis-py leaves it untyped) ValueError says what is wrong
        return value

    @field_validator("http_port", mode="before")
    @classmethod
    def _empty_port_is_off(cls, value: Any) -> Any:
        # STORYWIRE_HTTP_PORT= (empty) is how a shell says "off".
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def http_enabled(self) -> bool:
        """False when the endpoints were turned off (an empty or null port)."""
        return "http_port" not in self.model_fields_set or self.http_port is not None
