"""The container engine the tests use, when there is one: its socket, the local images, the servers.

``tests/containers/setup-engine.sh`` (run by ``make test``) installs podman, serves its Docker API
on ``PODMAN_SOCKET`` and builds the images named in ``images.env``. Here the tests find them; where
either is missing the integration tests fall back to a local redis-server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PODMAN_SOCKET = Path("/run/podman/podman.sock")
DOCKER_SOCKET = Path("/var/run/docker.sock")


def images() -> dict[str, str]:
    """The image names of images.env, which setup-engine.sh builds."""
    pairs = {}
    for line in (HERE / "images.env").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            pairs[key.strip()] = value.strip()
    return pairs


@dataclass(frozen=True)
class Server:
    """One server of the matrix: a name for test ids, its image, and the command that starts it."""

    name: str
    image: str
    command: str | None = None


def servers() -> tuple[Server, ...]:
    """The server matrix of the integration suite, the default (the first) being Debian's Redis 7.0."""
    names = images()
    # No config file: without these a server refuses clients that reach it through a port mapping.
    flags = '--protected-mode no --save "" --appendonly yes'
    return (
        Server("redis-7.0", names["BASE_IMAGE"], f"redis-server {flags}"),
        Server("redis-6.2", names["REDIS62_IMAGE"], flags),
        Server("valkey", names["VALKEY_IMAGE"], flags),
    )


def use_podman_socket() -> None:
    """Point the Docker SDK and testcontainers at podman's socket, unless told otherwise already.

    No reaper (its image cannot be pulled; the fixtures stop their containers), and ports are reached
    on the Docker host: this machine has a /.dockerenv, from which testcontainers would otherwise
    conclude that it runs inside a container and look for a gateway.
    """
    if os.environ.get("DOCKER_HOST") or DOCKER_SOCKET.exists() or not PODMAN_SOCKET.exists():
        return
    os.environ["DOCKER_HOST"] = f"unix://{PODMAN_SOCKET}"
    os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")
    os.environ.setdefault("TESTCONTAINERS_CONNECTION_MODE", "docker_host")


@cache
def docker_client() -> Any:
    """A Docker SDK client that answered a ping, or None (no engine, no socket, no permission, or
    STORYWIRE_CONTAINERS=off)."""
    if os.environ.get("STORYWIRE_CONTAINERS") == "off":
        return None
    use_podman_socket()
    try:
        import docker  # type: ignore[import-untyped]

        client = docker.from_env(timeout=10)
        client.ping()
        return client
    except Exception:  # noqa: BLE001 (whatever the reason, it means "no engine")
        return None


@cache
def missing_images() -> tuple[str, ...]:
    """The images of images.env the engine does not have (all of them without an engine)."""
    client = docker_client()
    wanted = sorted(set(images().values()))
    if client is None:
        return tuple(wanted)
    present = {tag for image in client.images.list() for tag in image.tags}
    return tuple(name for name in wanted if name not in present and f"{name}:latest" not in present)


def engine_ready() -> bool:
    """An engine answers and has every local image: the container tests can run."""
    return docker_client() is not None and not missing_images()


def engine_name() -> str:
    """'Podman Engine 4.3.1' or 'Docker Engine 27.0', as the engine names itself."""
    client = docker_client()
    if client is None:
        return "none"
    version = client.version()
    component = next(iter(version.get("Components") or []), {})
    return f"{component.get('Name', 'engine')} {component.get('Version', version.get('Version', '?'))}"
