"""CLI verbs that talk to Redis: run, publish, tail, demo."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

import click
from redis import Redis as SyncRedis
from redis.asyncio import Redis

from storywire.contracts import ArticleSummary, RawArticle, StorySummary
from storywire.services.cli.inputs import InputError, expand, read_articles
from storywire.services.cli.render import render_entry, render_story
from storywire.services.runtime.app import ServiceDefinition, Worker
from storywire.services.runtime.embedded_redis import EmbeddedRedis
from storywire.services.runtime.pipeline_stats import PipelineMonitor, format_table
from storywire.services.runtime.redis_values import stream_reply
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.tracing import install_exporter
from storywire.services.runtime.wire import DATA_FIELD, encode_entry

#: Where ``storywire run`` with an embedded server writes its URL, so that
#: ``publish`` and ``tail`` in another terminal find it.
ANNOUNCE_FILE = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()) / "storywire-embedded.url"
_PUBLISH_CHUNK = 200


def service_definitions(names: Sequence[str]) -> list[ServiceDefinition]:
    """The services to run, by name, in pipeline order."""
    from storywire.services.cleaner.app import SERVICE as CLEANER  # noqa: PLC0415 (import only what runs)
    from storywire.services.dedup.app import SERVICE as DEDUP  # noqa: PLC0415
    from storywire.services.summarizer.app import SERVICE as SUMMARIZER  # noqa: PLC0415

    known = {s.name: s for s in (CLEANER, DEDUP, SUMMARIZER)}
    return [known[name] for name in ("cleaner", "dedup", "summarizer") if name in names]


def resolve_url(redis_url: str | None) -> str:
    """The URL given, else the one an embedded ``storywire run`` announced."""
    if redis_url:
        return redis_url
    if ANNOUNCE_FILE.is_file():
        return ANNOUNCE_FILE.read_text().strip()
    raise InputError("no Redis to talk to: pass --redis-url, set STORYWIRE_REDIS_URL, or start `storywire run`")


@contextmanager
def _redis_for_run(redis_url: str | None) -> Iterator[str]:
    if redis_url:
        yield redis_url
        return
    server = EmbeddedRedis(appendonly=True)
    url = server.start()
    ANNOUNCE_FILE.write_text(url)
    click.echo(f"embedded Redis at {url} (data in {server.data_dir}; stops with this process)", err=True)
    try:
        yield url
    finally:
        ANNOUNCE_FILE.unlink(missing_ok=True)
        server.cleanup()


def run_workers(names: Sequence[str], *, redis_url: str | None, prefix: str) -> int:
    """Run the named services in this process until a signal stops them; return the exit code."""
    with _redis_for_run(redis_url) as url:
        settings = Settings(redis_url=url, stream_prefix=prefix)
        if settings.tracing:
            install_exporter("+".join(names))
        worker = Worker(settings, service_definitions(names))
        return asyncio.run(worker.run(hard_exit=True))


def run_board(*, host: str, port: int, redis_url: str | None, prefix: str) -> None:
    """The board on the given (or announced) Redis; else on an embedded one with all workers."""
    from storywire.services.board.app import serve  # noqa: PLC0415 (web stack only when asked for)

    known = redis_url or (ANNOUNCE_FILE.read_text().strip() if ANNOUNCE_FILE.is_file() else None)
    if known:
        serve(Settings(redis_url=known, stream_prefix=prefix), host, port)
        return
    with _redis_for_run(None) as url:
        settings = Settings(redis_url=url, stream_prefix=prefix, http_port=None)
        stop = threading.Event()
        thread = threading.Thread(target=_workers_until, args=(settings, stop), name="workers", daemon=True)
        thread.start()
        click.echo(
            f"board on http://{host}:{port}; publish with `storywire publish PATH` in another terminal", err=True
        )
        try:
            serve(settings, host, port)
        finally:
            stop.set()
            thread.join(timeout=settings.graceful_timeout_s + 5)


def _workers_until(settings: Settings, stop: threading.Event) -> None:
    """All workers in this thread's own event loop until ``stop`` is set."""

    async def work() -> None:
        worker = Worker(settings, service_definitions(("cleaner", "dedup", "summarizer")))
        async with worker.app:
            await asyncio.to_thread(stop.wait)

    asyncio.run(work())


def publish_articles(paths: Sequence[str], *, redis_url: str | None, prefix: str) -> int:
    """XADD every article in ``paths`` to ``articles.raw``; return how many."""
    files = expand(paths)
    stream = StreamNames(prefix).raw
    client = SyncRedis.from_url(resolve_url(redis_url))
    published = 0
    show_progress = len(files) > 10 and sys.stderr.isatty()
    with (
        client,
        click.progressbar(length=len(files), label="publishing", file=sys.stderr, hidden=not show_progress) as bar,
    ):
        pipe = client.pipeline(transaction=False)
        for article in read_articles(files):
            pipe.xadd(stream, encode_entry(article))  # type: ignore[arg-type]
            published += 1
            if published % _PUBLISH_CHUNK == 0:
                pipe.execute()
            bar.update(1)
        pipe.execute()
    return published


def tail_stream(
    stream: str, *, as_json: bool, from_start: bool, count: int | None, redis_url: str | None, prefix: str
) -> None:
    """Print entries of a stream as they arrive."""
    name = stream if stream.startswith(prefix) else prefix + stream
    client = SyncRedis.from_url(resolve_url(redis_url))
    last = "0-0" if from_start else "$"
    seen = 0
    with client:
        length = int(client.xlen(name))
        if not length:
            click.echo(f"{name} is empty; waiting for entries (Ctrl-C to stop)", err=True)
        elif not from_start:
            click.echo(f"{name} holds {length} entries; waiting for new ones (--from-start shows them)", err=True)
        while count is None or seen < count:
            for _stream, entries in stream_reply(client.xread({name: last}, block=1000, count=100)):
                for entry_id, fields in entries:
                    last = entry_id.decode()
                    data = fields.get(DATA_FIELD.encode(), b"")
                    click.echo(data.decode("utf-8", "replace") if as_json else render_entry(entry_id, data))
                    seen += 1
                    if count is not None and seen >= count:
                        return


def show_stats(*, redis_url: str | None, prefix: str, watch: bool, interval_s: float, as_json: bool) -> None:
    """Print the pipeline's figures once, or refreshed until interrupted."""

    async def loop() -> None:
        client = Redis.from_url(resolve_url(redis_url))
        # A fresh snapshot per refresh; entries per minute appear from the second one on.
        monitor = PipelineMonitor(client, StreamNames(prefix), max_age_s=0)
        try:
            while True:
                state = await monitor.state()
                figures = state.stats
                if figures is None:
                    raise click.ClickException(f"cannot read the pipeline's figures from Redis: {state.error}")
                if as_json:
                    click.echo(json.dumps(asdict(figures)))
                else:
                    if watch:
                        click.clear()
                    click.echo(format_table(figures))
                if not watch:
                    return
                await asyncio.sleep(interval_s)
        finally:
            await client.aclose()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(loop())


def default_seeds() -> Path:
    """The two sample articles, shipped with the package (``storywire/seeds``: a link in a checkout)."""
    return Path(str(resources.files("storywire") / "seeds"))


async def run_demo(seeds: Path | None, *, timeout_s: float) -> int:
    """Run the whole pipeline on an embedded Redis over the seeds; print summaries by story."""
    folder = seeds or default_seeds()
    articles = list(read_articles([str(folder)]))
    with EmbeddedRedis() as url:
        settings = Settings(redis_url=url, block_ms=50, stream_prefix="demo:", http_port=None)
        names = StreamNames(settings.stream_prefix)
        worker = Worker(settings, service_definitions(("cleaner", "dedup", "summarizer")))
        client = Redis.from_url(url)
        async with worker.app:
            click.echo(f"published {len(articles)} article(s) from {folder}", err=True)
            await _publish(client, names.raw, articles)
            summaries = await _await_summaries(client, names, len(articles), timeout_s)
            stories = await _read_all(client, names.story_summaries, StorySummary)
        await client.aclose()
    _print_by_story(summaries, stories)
    if len(summaries) < len(articles):
        click.echo(f"only {len(summaries)} of {len(articles)} summaries arrived in time", err=True)
        return 1
    return 0


async def _publish(client: Redis, stream: str, articles: Sequence[RawArticle]) -> None:
    pipe = client.pipeline(transaction=False)
    for article in articles:
        pipe.xadd(stream, encode_entry(article))  # type: ignore[arg-type]
    await pipe.execute()


async def _await_summaries(client: Redis, names: StreamNames, expected: int, timeout_s: float) -> list[ArticleSummary]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        dead = sum([await client.xlen(names.dead_letters(s)) for s in ("cleaner", "dedup", "summarizer")])
        done = await client.xlen(names.summaries)
        if done + dead >= expected:
            break
        await asyncio.sleep(0.1)
    # Story summaries trail the article summaries by one commit.
    await asyncio.sleep(0.3)
    return await _read_all(client, names.summaries, ArticleSummary)


async def _read_all(client: Redis, stream: str, contract: type[Any]) -> list[Any]:
    entries = stream_reply([(b"", await client.xrange(stream))])
    return [contract.model_validate_json(fields[DATA_FIELD.encode()]) for _id, fields in entries[0][1]]


def _print_by_story(summaries: Sequence[ArticleSummary], stories: Sequence[StorySummary]) -> None:
    latest: dict[str, StorySummary] = {}
    for story in stories:
        latest[story.story_id] = story
    by_story: dict[str, list[ArticleSummary]] = {}
    for summary in summaries:
        by_story.setdefault(summary.story_id, []).append(summary)
    for story_id, members in by_story.items():
        click.echo(render_story(story_id, members, latest.get(story_id)))
