"""`storywire run` as its users start it: separate processes, one line when it cannot start, SIGTERM honoured."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from redis import Redis

from storywire.services.runtime.streams import StreamNames
from tests.conftest import SEEDS

pytestmark = [pytest.mark.integration, pytest.mark.slow]

STORYWIRE = [sys.executable, "-m", "storywire.services.cli"]
PROJECT = Path(__file__).resolve().parents[2]


def _environment(redis_url: str, names: StreamNames, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWIRE_")}
    env.update(STORYWIRE_REDIS_URL=redis_url, STORYWIRE_STREAM_PREFIX=names.prefix, **extra)
    env["PYTHONPATH"] = str(PROJECT)
    return env


@contextmanager
def _workers(env: dict[str, str], *stages: str) -> Iterator[list[subprocess.Popen[str]]]:
    processes = [
        subprocess.Popen([*STORYWIRE, "run", stage], env=env, stderr=subprocess.PIPE, text=True) for stage in stages
    ]
    try:
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def _held_port() -> tuple[socket.socket, int]:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder, int(holder.getsockname()[1])


def test_a_worker_whose_port_is_taken_says_why_in_one_line_and_exits_non_zero(
    redis_url: str, names: StreamNames
) -> None:
    holder, port = _held_port()
    with holder, _workers(_environment(redis_url, names, STORYWIRE_HTTP_PORT=str(port)), "cleaner") as (worker,):
        _, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 1
    assert "Traceback" not in stderr
    problem = [line for line in stderr.splitlines() if "cannot start" in line]
    assert len(problem) == 1
    assert f"127.0.0.1:{port}" in problem[0] and "address already in use" in problem[0]


def test_a_worker_that_cannot_reach_redis_tries_for_a_while_then_says_so_in_one_line(names: StreamNames) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = f"redis://127.0.0.1:{unused.getsockname()[1]}/0"
    env = _environment(closed, names, STORYWIRE_STARTUP_TIMEOUT_S="1", STORYWIRE_HTTP_PORT="")
    with _workers(env, "cleaner") as (worker,):
        _, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 1
    assert "Traceback" not in stderr
    assert "Redis does not answer yet" in stderr
    assert "cannot start: Redis did not answer within 1 s" in stderr


def test_sigterm_stops_a_worker_that_is_still_waiting_for_redis(names: StreamNames) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = f"redis://127.0.0.1:{unused.getsockname()[1]}/0"
    env = _environment(closed, names, STORYWIRE_STARTUP_TIMEOUT_S="600", STORYWIRE_HTTP_PORT="")
    with _workers(env, "cleaner") as (worker,):
        _wait_for_line(worker, "Redis does not answer yet")
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
    assert worker.returncode == 0


def test_three_stages_run_as_separate_processes_on_one_host_with_default_settings(
    redis_url: str, names: StreamNames
) -> None:
    redis = Redis.from_url(redis_url)
    env = _environment(redis_url, names)
    with _workers(env, "cleaner", "dedup", "summarizer") as workers:
        for worker in workers:
            _wait_for_line(worker, "started")
        published = subprocess.run(
            [*STORYWIRE, "publish", str(SEEDS)], env=env, capture_output=True, text=True, check=True, timeout=60
        )
        assert "published 2" in published.stdout + published.stderr
        deadline = time.monotonic() + 60
        while redis.xlen(names.summaries) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert redis.xlen(names.summaries) == 2
        started = time.monotonic()
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=30) for worker in workers]
    assert codes == [0, 0, 0]
    assert time.monotonic() - started < 20  # within the graceful timeout (15 s) and its margin
    redis.close()


def _wait_for_line(process: subprocess.Popen[str], text: str, timeout_s: float = 60) -> None:
    """Read the process's stderr until a line holds ``text`` (the rest keeps flowing to a drain thread)."""
    assert process.stderr is not None
    deadline = time.monotonic() + timeout_s
    for line in process.stderr:
        if text in line:
            _drain(process)
            return
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"no line with {text!r} (exit code {process.poll()})")


def _drain(process: subprocess.Popen[str]) -> None:
    import threading

    assert process.stderr is not None
    stream = process.stderr
    threading.Thread(target=lambda: [None for _ in stream], daemon=True).start()


def test_tail_says_that_a_stream_is_empty_and_that_it_waits(redis_url: str, names: StreamNames) -> None:
    redis = Redis.from_url(redis_url)
    env = _environment(redis_url, names)
    tail = subprocess.Popen(
        [*STORYWIRE, "tail", "--from-start", "--count", "1", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_line(tail, "is empty; waiting for entries")
        redis.xadd(names.summaries, {"data": '{"article_id": "late"}'})
        out, _ = tail.communicate(timeout=30)
    finally:
        tail.kill()
    assert out.strip() == '{"article_id": "late"}'
    redis.close()
