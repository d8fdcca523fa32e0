"""Shared fixtures: a real Redis for integration tests, unique stream names per test."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from storywire.services.runtime.embedded_redis import EmbeddedRedis
from storywire.services.runtime.streams import StreamNames

log = logging.getLogger(__name__)

PROJECT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT / "seeds"
SHARED_DATA = Path(os.environ.get("STORYWIRE_SHARED_DATA", PROJECT.parent / "shared" / "data"))


@dataclass(frozen=True)
class RedisUnderTest:
    """A real Redis server the tests talk to, and how it was started."""

    url: str
    kind: str
    server: EmbeddedRedis | None = None


def _docker_reachable() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        client = docker.from_env(timeout=3)
        client.ping()
        return True
    except Exception:  # noqa: BLE001 (no engine, no socket, no permission: all mean "no Docker")
        return False


_REDIS: RedisUnderTest | None = None


def pytest_report_header(config: pytest.Config) -> str:
    engine = "testcontainers (Docker engine reachable)" if _docker_reachable() else "local redis-server"
    return f"integration Redis: {engine}"


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisUnderTest]:
    """A real Redis for the whole run: a testcontainers container, else a local redis-server."""
    global _REDIS  # noqa: PLW0603 (the one server of the session, for the report line)
    if os.environ.get("STORYWIRE_TEST_REDIS_URL"):
        _REDIS = RedisUnderTest(os.environ["STORYWIRE_TEST_REDIS_URL"], "external")
        yield _REDIS
        return
    if _docker_reachable():
        from testcontainers.redis import RedisContainer

        with RedisContainer("redis:7.2-alpine") as container:
            host = container.get_container_host_ip()
            port = container.get_exposed_port(6379)
            _REDIS = RedisUnderTest(f"redis://{host}:{port}/0", "testcontainers")
            yield _REDIS
        return
    server = EmbeddedRedis(appendonly=True)
    server.start()
    _REDIS = RedisUnderTest(server.url, f"local redis-server ({server.binary})", server)
    try:
        yield _REDIS
    finally:
        server.cleanup()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _REDIS is not None:
        terminalreporter.write_line(f"integration tests ran on: {_REDIS.kind} at {_REDIS.url}")


@pytest.fixture()
def redis_url(redis_server: RedisUnderTest) -> str:
    """URL of the session's real Redis."""
    return redis_server.url


@pytest.fixture()
def names() -> StreamNames:
    """Stream names no other test uses (tests never flush: a flushed stream stops subscribers)."""
    return StreamNames(prefix=f"t{uuid.uuid4().hex[:10]}:")
