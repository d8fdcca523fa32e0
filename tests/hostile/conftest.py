"""The heavy adversarial cases (`make hostile`): worker processes on a real Redis, as an attacker or bad luck
would meet them. `make test` runs the quick versions of each among the integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from redis import Redis

from storywire.services.runtime.streams import StreamNames

PROJECT = Path(__file__).resolve().parents[2]


@contextmanager
def workers(
    redis_url: str, names: StreamNames, stages: list[str], **settings: str
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``storywire run <stage>`` processes, one per item of ``stages``; stopped (then killed) at the end."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWIRE_")}
    env.update(
        STORYWIRE_REDIS_URL=redis_url,
        STORYWIRE_STREAM_PREFIX=names.prefix,
        STORYWIRE_HTTP_PORT="0",
        STORYWIRE_BLOCK_MS="100",
        PYTHONPATH=str(PROJECT),
    )
    env.update({f"STORYWIRE_{k.upper()}": v for k, v in settings.items()})
    processes = [
        subprocess.Popen([sys.executable, "-m", "storywire.services.cli", "run", stage], env=env, cwd=PROJECT)
        for stage in stages
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until(predicate: object, timeout_s: float, what: str) -> float:
    """Poll ``predicate()`` until true; return the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if predicate():  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout_s} s")


def length(client: Redis, stream: str) -> int:
    return int(client.xlen(stream))
