"""The verbs of the pipeline on Redis: run, publish, tail, demo, stats, board (the work is in :mod:`.live`)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from storywire.services.cli.options import friendly_errors, prefix_option, redis_errors, redis_url_option
from storywire.services.registry import SERVICE_NAMES


@click.command()
@click.argument("services", nargs=-1, type=click.Choice(SERVICE_NAMES))
@redis_url_option
@prefix_option
@friendly_errors
def run(services: Sequence[str], redis_url: str | None, prefix: str) -> None:
    """Run workers (all three by default) until SIGINT or SIGTERM."""
    from storywire.services.cli.live import run_workers  # noqa: PLC0415

    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    code = run_workers(tuple(services) or SERVICE_NAMES, redis_url=redis_url, prefix=prefix)
    if code:
        sys.exit(code)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@redis_url_option
@prefix_option
@friendly_errors
@redis_errors
def publish(paths: Sequence[str], redis_url: str | None, prefix: str) -> None:
    """Publish articles (.html/.htm/.txt files, folders, .jsonl files, - for stdin) to articles.raw."""
    from storywire.services.cli.live import publish_articles  # noqa: PLC0415

    count = publish_articles(paths, redis_url=redis_url, prefix=prefix)
    click.echo(f"published {count} article(s)", err=True)


@click.command()
@click.argument("stream", default="summaries")
@click.option("--json", "as_json", is_flag=True, help="Print each entry's data as a JSON line.")
@click.option("--from-start", is_flag=True, help="Start at the first entry, not at new ones.")
@click.option("--count", type=int, default=None, help="Stop after this many entries.")
@redis_url_option
@prefix_option
@friendly_errors
@redis_errors
def tail(stream: str, as_json: bool, from_start: bool, count: int | None, redis_url: str | None, prefix: str) -> None:
    """Follow a stream (default: summaries), readable or as JSON lines."""
    from storywire.services.cli.live import tail_stream  # noqa: PLC0415

    tail_stream(stream, as_json=as_json, from_start=from_start, count=count, redis_url=redis_url, prefix=prefix)


@click.command()
@click.option(
    "--seeds",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of articles to publish (default: the project's seeds/).",
)
@click.option("--timeout", type=float, default=120.0, show_default=True)
@friendly_errors
def demo(seeds: Path | None, timeout: float) -> None:
    """Embedded Redis, all workers, publish the seeds, print the summaries by story."""
    from storywire.services.cli.live import run_demo  # noqa: PLC0415

    sys.exit(asyncio.run(run_demo(seeds, timeout_s=timeout)))


@click.command()
@click.option("--watch", is_flag=True, help="Refresh every --interval seconds until interrupted.")
@click.option("--interval", type=float, default=2.0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@redis_url_option
@prefix_option
@friendly_errors
@redis_errors
def stats(watch: bool, interval: float, as_json: bool, redis_url: str | None, prefix: str) -> None:
    """Stream lengths, group lag, pending and consumers, dead letters, entries added per minute (--watch, Redis 7+)."""
    from storywire.services.cli.live import show_stats  # noqa: PLC0415

    show_stats(redis_url=redis_url, prefix=prefix, watch=watch, interval_s=interval, as_json=as_json)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, type=int, show_default=True)
@redis_url_option
@prefix_option
@friendly_errors
def board(host: str, port: int, redis_url: str | None, prefix: str) -> None:
    """Serve the live story board; with no Redis given, on an embedded one with all workers."""
    from storywire.services.cli.live import run_board  # noqa: PLC0415

    run_board(host=host, port=port, redis_url=redis_url, prefix=prefix)


COMMANDS = (run, publish, tail, demo, stats, board)
