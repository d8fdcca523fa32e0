"""Shared fixtures: a real Redis for integration tests, unique stream names per test."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis as sync_redis

from storywire.services.runtime.embedded_redis import EmbeddedRedis
from storywire.services.runtime.streams import StreamNames
from tests.containers import engine

log = logging.getLogger(__name__)

PROJECT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT / "seeds"
SHARED_DATA = Path(os.environ.get("STORYWIRE_SHARED_DATA", PROJECT.parent / "shared" / "data"))


INTEGRATION_SUITE = PROJECT / "tests" / "integration"
#: Worker processes' lifecycle (signals, ports, restarts): the operating system's part more than the
#: server's, and the slowest third of a pass. Run on the first server of the matrix only.
FIRST_SERVER_ONLY = {"test_worker_process.py", "test_resilience.py"}


@dataclass(frozen=True)
class RedisUnderTest:
    """A real Redis server the tests talk to, and how it was started."""

    url: str
    kind: str
    server: EmbeddedRedis | None = None


#: Every server the session started, by how it was started, with the version it reported.
_USED: dict[str, str] = {}


def _matrix_on() -> bool:
    """The integration suite runs once per server of the matrix: an engine and its images are there."""
    return not os.environ.get("STORYWIRE_TEST_REDIS_URL") and engine.engine_ready()


def _server_version(url: str) -> str:
    with sync_redis.Redis.from_url(url) as client:
        info = client.info("server")
    if "valkey_version" in info:
        return f"Valkey {info['valkey_version']}"
    return f"Redis {info['redis_version']}"


def pytest_report_header(config: pytest.Config) -> str:
    if os.environ.get("STORYWIRE_TEST_REDIS_URL"):
        return "integration Redis: STORYWIRE_TEST_REDIS_URL"
    if _matrix_on():
        names = ", ".join(server.name for server in engine.servers())
        return (
            f"integration Redis: testcontainers on {engine.engine_name()}; tests/integration on each of {names}"
            f" ({', '.join(sorted(FIRST_SERVER_ONLY))} on the first only)"
        )
    if os.environ.get("STORYWIRE_CONTAINERS") == "off":
        reason = "STORYWIRE_CONTAINERS=off"
    elif engine.docker_client() is None:
        reason = "no container engine answers (tests/containers/setup-engine.sh sets one up, as root)"
    else:
        reason = f"the engine lacks {', '.join(engine.missing_images())} (tests/containers/setup-engine.sh)"
    return f"integration Redis: local redis-server: {reason}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The integration suite's tests run once per server of the matrix; other tests on the first."""
    path = metafunc.definition.path
    if "redis_server" not in metafunc.fixturenames or not path.is_relative_to(INTEGRATION_SUITE):
        return
    if _matrix_on():
        servers = engine.servers()[:1] if path.name in FIRST_SERVER_ONLY else engine.servers()
        metafunc.parametrize("redis_server", servers, ids=lambda s: s.name, indirect=True, scope="session")


@pytest.fixture(scope="session")
def redis_server(request: pytest.FixtureRequest) -> Iterator[RedisUnderTest]:
    """A real Redis for the whole run: a container of the matrix's server, else a local redis-server."""
    if os.environ.get("STORYWIRE_TEST_REDIS_URL"):
        url = os.environ["STORYWIRE_TEST_REDIS_URL"]
        _USED["external"] = _server_version(url)
        yield RedisUnderTest(url, "external")
        return
    if engine.engine_ready():
        from testcontainers.community.redis import RedisContainer

        server: engine.Server = getattr(request, "param", engine.servers()[0])
        container = RedisContainer(server.image)
        # Published on the loopback address only (testcontainers' own API takes no address).
        container.ports = {"6379/tcp": ("127.0.0.1", None)}
        if server.command:
            container = container.with_command(server.command)
        with container:  # no reaper: leaving the block stops it
            url = f"redis://127.0.0.1:{container.get_exposed_port(6379)}/0"
            _USED[f"container {server.name} ({server.image})"] = _server_version(url)
            yield RedisUnderTest(url, f"testcontainers {server.name}")
        return
    local = EmbeddedRedis(appendonly=True)
    local.start()
    _USED[f"local redis-server ({local.binary})"] = _server_version(local.url)
    try:
        yield RedisUnderTest(local.url, "local redis-server", local)
    finally:
        local.cleanup()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for kind, version in _USED.items():
        terminalreporter.write_line(f"integration tests ran on: {kind}: {version}")


@pytest.fixture()
def redis_url(redis_server: RedisUnderTest) -> str:
    """URL of the session's real Redis."""
    return redis_server.url


@pytest.fixture()
def names() -> StreamNames:
    """Stream names no other test uses (tests never flush: a flushed stream stops subscribers)."""
    return StreamNames(prefix=f"t{uuid.uuid4().hex[:10]}:")
