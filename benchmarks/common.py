"""What every benchmark shares: inputs, statistics, Redis and worker processes, result files.

Timings on a small shared VM are noisy, so benchmarks compare variants side by side in
one run, interleaving rounds (A, B, A, B, ...) and reporting medians and ratios.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import redis
from redis.asyncio import Redis

from storywire.contracts import RawArticle
from storywire.services.cleaner.extraction import decode_html
from storywire.services.registry import SERVICE_NAMES
from storywire.services.runtime.embedded_redis import EmbeddedRedis, find_redis_server
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import encode_entry
from tests.chaos.articles import EVENTS, event_text, event_title, html_page

REPO = Path(__file__).resolve().parents[1]
STAGES = SERVICE_NAMES


@dataclass(frozen=True, slots=True)
class Context:
    """How the suite was asked to run."""

    quick: bool
    shared: Path
    out_dir: Path

    @property
    def pages_dir(self) -> Path:
        """The real HTML pages (trafilatura's evaluation set), gzipped."""
        return self.shared / "extraction" / "trafilatura-eval" / "pages"


@dataclass
class Result:
    """One benchmark's figures (``data`` goes to JSON) and its markdown report."""

    name: str
    title: str
    summary: list[str]
    markdown: str
    data: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- statistics


def median(values: Sequence[float]) -> float:
    """The median, 0.0 for no values (a benchmark that produced nothing shows as 0)."""
    return float(statistics.median(values)) if values else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between closest ranks."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def rnd(value: float, digits: int = 2) -> float:
    """Rounded for the reports (JSON keeps what the table shows)."""
    return round(value, digits)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def goal(met: bool) -> str:
    """How a goal reads in a table."""
    return "met" if met else "NOT met"


# ---------------------------------------------------------------- inputs


def load_pages(ctx: Context, count: int, seed: int = 11) -> list[RawArticle]:
    """``count`` real HTML pages, a fixed random sample (so every run sees the same pages)."""
    files = sorted(ctx.pages_dir.glob("*.html.gz"))
    if not files:
        raise SystemExit(f"no pages under {ctx.pages_dir}: pass --shared <path to shared/data>")
    chosen = random.Random(seed).sample(files, min(count, len(files)))
    return [
        RawArticle(
            article_id=f"page-{path.name.split('.', 1)[0]}",
            content=decode_html(gzip.decompress(path.read_bytes())),
            content_type="text/html",
        )
        for path in chosen
    ]


def generated_articles(count: int, seed: int = 5, *, html_share: float = 0.0) -> list[RawArticle]:
    """Plain-text (and optionally simple HTML) articles of the chaos run's generator, many events."""
    rng = random.Random(seed)
    out: list[RawArticle] = []
    for i in range(count):
        event = rng.choice(EVENTS)
        text = event_text(rng, rng.randint(3, 6), event)
        title = f"{event_title(rng, event)} ({i})"
        if rng.random() < html_share:
            out.append(
                RawArticle(article_id=f"gen-{seed}-{i}", content=html_page(title, text), content_type="text/html")
            )
        else:
            out.append(RawArticle(article_id=f"gen-{seed}-{i}", title=title, content=text, outlet="wire.example"))
    return out


def mixed_articles(ctx: Context, count: int, html_pages: float, seed: int = 5) -> list[RawArticle]:
    """``html_pages`` of ``count`` real HTML pages, the rest generated plain text, shuffled together."""
    pages = load_pages(ctx, round(count * html_pages), seed=seed)
    mix = pages + generated_articles(count - len(pages), seed=seed)
    random.Random(seed).shuffle(mix)
    return mix


def mix_label(articles: Sequence[RawArticle]) -> str:
    """What a table's inputs were, e.g. ``25 real HTML pages + 75 generated plain-text``."""
    pages = sum(1 for a in articles if a.article_id.startswith("page-"))
    generated_html = sum(1 for a in articles if a.content_type == "text/html" and not a.article_id.startswith("page-"))
    plain = len(articles) - pages - generated_html
    parts = [f"{pages} real HTML pages (trafilatura-eval)"] if pages else []
    if plain:
        parts.append(f"{plain} generated plain-text articles (tests/chaos generator)")
    if generated_html:
        parts.append(f"{generated_html} generated HTML articles")
    return " + ".join(parts)


def encoded(articles: Sequence[RawArticle]) -> list[dict[bytes, bytes]]:
    """Stream entries ready to XADD (encoded once, outside any timed section)."""
    return [{k.encode(): v.encode() if isinstance(v, str) else v for k, v in encode_entry(a).items()} for a in articles]


# ---------------------------------------------------------------- Redis


@contextmanager
def redis_server() -> Iterator[str]:
    """A private redis-server with persistence off (the benchmarks measure our code, not fsync)."""
    with EmbeddedRedis() as url:
        yield url


def publish(url: str, stream: str, entries: Sequence[dict[bytes, bytes]]) -> None:
    """XADD all entries, pipelined in chunks."""
    client = redis.Redis.from_url(url)
    with client:
        for start in range(0, len(entries), 500):
            pipe = client.pipeline(transaction=False)
            for fields in entries[start : start + 500]:
                pipe.xadd(stream, fields)  # type: ignore[arg-type]
            pipe.execute()


def stream_total(client: redis.Redis, streams: Sequence[str]) -> int:
    """Entries in these streams together."""
    pipe = client.pipeline(transaction=False)
    for stream in streams:
        pipe.xlen(stream)
    return sum(int(n) for n in pipe.execute())


def wait_total_sync(client: redis.Redis, streams: Sequence[str], expected: int, timeout_s: float) -> float:
    """Wait until the streams hold ``expected`` entries together; the ``perf_counter`` when they do."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if stream_total(client, streams) >= expected:
            return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError(f"{list(streams)} did not reach {expected} entries")


async def wait_total(client: Redis, streams: Sequence[str], expected: int, timeout_s: float) -> float:
    """Wait until the streams hold ``expected`` entries together; the perf_counter when they did."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        pipe = client.pipeline(transaction=False)
        for stream in streams:
            pipe.xlen(stream)
        if sum(int(n) for n in await pipe.execute()) >= expected:
            return time.perf_counter()
        await asyncio.sleep(0.01)
    raise TimeoutError(f"{streams} did not reach {expected} entries in {timeout_s} s")


def outputs_of(names: StreamNames, last_stage: str) -> list[str]:
    """The streams that together hold one entry per input once ``last_stage`` is done."""
    final = {"cleaner": names.clean, "dedup": names.assigned, "summarizer": names.summaries}[last_stage]
    upto = STAGES[: STAGES.index(last_stage) + 1]
    return [final, *(names.dead_letters(s) for s in upto)]


def redis_version(url: str) -> str:
    """The server's version string."""
    client = redis.Redis.from_url(url)
    with client:
        return str(client.info("server")["redis_version"])


# ---------------------------------------------------------------- worker processes


class WorkerProcesses:
    """``python -m storywire.services.cli run <stage>`` subprocesses, as deployed (one stage each)."""

    def __init__(self, url: str, prefix: str, stages: Sequence[str], per_stage: int, log_dir: Path) -> None:
        self.url, self.prefix, self.log_dir = url, prefix, log_dir
        self.env = {**os.environ, "STORYWIRE_HTTP_PORT": "0"}
        self.procs: list[subprocess.Popen[bytes]] = []
        self.slots = [(stage, n) for stage in stages for n in range(per_stage)]
        #: Workers of other sets still connected to this server (so readiness counts only new ones).
        self._others = 0

    def start(self, timeout_s: float = 120.0) -> None:
        """Start every process and wait until each has joined its consumer group (first read done)."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with redis.Redis.from_url(self.url) as client:
            self._others = sum(1 for c in client.client_list() if c.get("cmd") == "xreadgroup")
        for stage, n in self.slots:
            command = [sys.executable, "-m", "storywire.services.cli", "run", stage, "--redis-url", self.url]
            with (self.log_dir / f"{self.prefix.strip(':')}-{stage}-{n}.log").open("ab") as log:
                self.procs.append(
                    subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                        [*command, "--prefix", self.prefix], env=self.env, stdout=log, stderr=log, cwd=REPO
                    )
                )
        try:
            self._wait_reading(len(self.slots) + self._others, timeout_s)
        except BaseException:
            self.stop()  # never leave orphaned workers behind
            raise

    def _wait_reading(self, wanted: int, timeout_s: float) -> None:
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + timeout_s
        with client:
            while time.monotonic() < deadline:
                if any(p.poll() is not None for p in self.procs):
                    raise RuntimeError(f"a worker exited early; see {self.log_dir}")
                # Redis 6.2 lists a consumer only once something was delivered to it, so readiness is
                # read from the connections instead: each worker blocks in XREADGROUP once it polls.
                reading = sum(1 for c in client.client_list() if c.get("cmd") == "xreadgroup")
                if reading >= wanted:
                    return
                time.sleep(0.1)
        raise TimeoutError("workers did not join their groups in time")

    @property
    def pids(self) -> list[int]:
        """Process ids, for CPU accounting."""
        return [p.pid for p in self.procs]

    def stop(self) -> None:
        """SIGTERM, then wait (they finish the batch in flight)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()


# ---------------------------------------------------------------- CPU sampling


def _cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already in user/nice
    return total - idle, total


class CpuSampler:
    """Machine-wide CPU utilisation between start and stop, plus a per-interval series (/proc/stat)."""

    def __init__(self, interval_s: float = 0.25) -> None:
        self.interval_s = interval_s
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._first = (0.0, 0.0)
        self.utilisation = 0.0

    def _loop(self) -> None:
        last = _cpu_times()
        while not self._stop.wait(self.interval_s):
            now = _cpu_times()
            if now[1] > last[1]:
                self.samples.append((now[0] - last[0]) / (now[1] - last[1]))
            last = now

    def __enter__(self) -> CpuSampler:
        self._first = _cpu_times()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        busy, total = _cpu_times()
        if total > self._first[1]:
            self.utilisation = (busy - self._first[0]) / (total - self._first[1])


# ---------------------------------------------------------------- machine and files


def machine() -> dict[str, Any]:
    """The machine the figures come from."""
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    with redis_server() as url:
        version = redis_version(url)
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "redis": version,
        "redis_server": str(find_redis_server()),
        "os": platform.platform(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def write_result(ctx: Context, result: Result, info: dict[str, Any]) -> None:
    """``<name>.json`` and ``<name>.md`` in the output folder."""
    ctx.out_dir.mkdir(parents=True, exist_ok=True)
    doc = {"name": result.name, "title": result.title, "quick": ctx.quick, "machine": info, **result.data}
    doc["summary"] = result.summary
    (ctx.out_dir / f"{result.name}.json").write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    header = (
        f"# {result.title}\n\n"
        f"Machine: {info['cpu_model']}, {info['cores']} cores, {info['ram_gib']} GiB RAM, Python {info['python']},"
        f" Redis {info['redis']}; {info['date']}{' (quick mode: small N, not for comparison)' if ctx.quick else ''}."
        f" Regenerate with `python -m benchmarks.run --only {result.name}`.\n\n"
    )
    (ctx.out_dir / f"{result.name}.md").write_text(header + result.markdown.rstrip() + "\n")
