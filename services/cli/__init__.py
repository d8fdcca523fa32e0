"""The ``storywire`` command line."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
from pydantic import ValidationError

from storywire.services import __version__
from storywire.services.cli.inputs import InputError

P = ParamSpec("P")
R = TypeVar("R")

SERVICE_NAMES = ("cleaner", "dedup", "summarizer")

log = logging.getLogger(__name__)


def _friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures into one-line messages and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            raise click.ClickException(str(exc)) from None
        except ValidationError as exc:
            raise click.ClickException(f"invalid setting: {_first_problem(exc)}") from None
        except (ConnectionError, OSError) as exc:
            raise click.ClickException(f"{type(exc).__name__}: {exc}") from None

    return wrapper


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "value"
    return f"{field} ({'STORYWIRE_' + field.upper()}): {error['msg']}"


def _redis_errors(func: Callable[P, R]) -> Callable[P, R]:
    from redis.exceptions import RedisError  # noqa: PLC0415 (keep CLI start-up light)

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except RedisError as exc:
            raise click.ClickException(f"Redis: {type(exc).__name__}: {exc}") from None

    return wrapper


redis_url_option = click.option(
    "--redis-url",
    envvar="STORYWIRE_REDIS_URL",
    default=None,
    help="redis:// or rediss:// URL (default: $STORYWIRE_REDIS_URL, else the embedded server).",
)
prefix_option = click.option("--prefix", envvar="STORYWIRE_STREAM_PREFIX", default="", help="Prefix of stream names.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storywire")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("--log-json", is_flag=True, envvar="STORYWIRE_LOG_JSON", help="Logs as JSON lines.")
def main(verbose: int, log_json: bool) -> None:
    """storywire: clean news articles, detect stories, summarise them, on Redis streams."""
    from storywire.services.runtime.logs import configure_logging  # noqa: PLC0415

    level = ("WARNING", "INFO", "DEBUG")[min(verbose, 2)]
    configure_logging(level, json_lines=log_json)


# --- the pipeline on Redis ---------------------------------------------------------


@main.command()
@click.argument("services", nargs=-1, type=click.Choice(SERVICE_NAMES))
@redis_url_option
@prefix_option
@_friendly_errors
def run(services: Sequence[str], redis_url: str | None, prefix: str) -> None:
    """Run workers (all three by default) until SIGINT or SIGTERM."""
    from storywire.services.cli.live import run_workers  # noqa: PLC0415

    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    code = run_workers(tuple(services) or SERVICE_NAMES, redis_url=redis_url, prefix=prefix)
    if code:
        sys.exit(code)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@redis_url_option
@prefix_option
@_friendly_errors
@_redis_errors
def publish(paths: Sequence[str], redis_url: str | None, prefix: str) -> None:
    """Publish articles (.html/.htm/.txt files, folders, .jsonl files, - for stdin) to articles.raw."""
    from storywire.services.cli.live import publish_articles  # noqa: PLC0415

    count = publish_articles(paths, redis_url=redis_url, prefix=prefix)
    click.echo(f"published {count} article(s)", err=True)


@main.command()
@click.argument("stream", default="summaries")
@click.option("--json", "as_json", is_flag=True, help="Print each entry's data as a JSON line.")
@click.option("--from-start", is_flag=True, help="Start at the first entry, not at new ones.")
@click.option("--count", type=int, default=None, help="Stop after this many entries.")
@redis_url_option
@prefix_option
@_friendly_errors
@_redis_errors
def tail(stream: str, as_json: bool, from_start: bool, count: int | None, redis_url: str | None, prefix: str) -> None:
    """Follow a stream (default: summaries), readable or as JSON lines."""
    from storywire.services.cli.live import tail_stream  # noqa: PLC0415

    tail_stream(stream, as_json=as_json, from_start=from_start, count=count, redis_url=redis_url, prefix=prefix)


@main.command()
@click.option(
    "--seeds",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of articles to publish (default: the project's seeds/).",
)
@click.option("--timeout", type=float, default=120.0, show_default=True)
@_friendly_errors
def demo(seeds: Path | None, timeout: float) -> None:
    """Embedded Redis, all workers, publish the seeds, print the summaries by story."""
    from storywire.services.cli.live import run_demo  # noqa: PLC0415

    sys.exit(asyncio.run(run_demo(seeds, timeout_s=timeout)))


@main.group()
def dlq() -> None:
    """Dead letters: list, replay or purge them."""


stage_option = click.option(
    "--stage", "stages", multiple=True, type=click.Choice(SERVICE_NAMES), help="Only these stages (default: all)."
)


@dlq.command(name="list")
@stage_option
@click.option("--json", "as_json", is_flag=True, help="Print each DeadLetter as a JSON line.")
@redis_url_option
@prefix_option
@_friendly_errors
@_redis_errors
def dlq_list(stages: Sequence[str], as_json: bool, redis_url: str | None, prefix: str) -> None:
    """List dead letters, oldest first per stage."""
    from redis import Redis  # noqa: PLC0415

    from storywire.services.cli.dead_letters import describe, letters  # noqa: PLC0415
    from storywire.services.cli.live import resolve_url  # noqa: PLC0415
    from storywire.services.runtime.streams import StreamNames  # noqa: PLC0415

    with Redis.from_url(resolve_url(redis_url)) as client:
        for stored in letters(client, StreamNames(prefix), stages or SERVICE_NAMES):
            letter = stored.letter
            if as_json:
                click.echo(letter.model_dump_json())
            else:
                click.echo(describe(stored))


@dlq.command(name="replay")
@stage_option
@redis_url_option
@prefix_option
@_friendly_errors
@_redis_errors
def dlq_replay(stages: Sequence[str], redis_url: str | None, prefix: str) -> None:
    """Put dead letters back on the streams they came from (after a fix), removing them here.

    A letter that keeps only part of its payload is not replayed (it would publish a cut article):
    it is named, stays, and the command exits with status 1.
    """
    from redis import Redis  # noqa: PLC0415

    from storywire.services.cli.dead_letters import NotReplayable, letters, replay  # noqa: PLC0415
    from storywire.services.cli.live import resolve_url  # noqa: PLC0415
    from storywire.services.runtime.logs import printable  # noqa: PLC0415
    from storywire.services.runtime.streams import StreamNames  # noqa: PLC0415

    replayed = refused = 0
    with Redis.from_url(resolve_url(redis_url)) as client:
        for stored in list(letters(client, StreamNames(prefix), stages or SERVICE_NAMES)):
            try:
                replay(client, stored)
                replayed += 1
            except NotReplayable as exc:
                click.echo(f"refused {printable(str(exc))}", err=True)
                refused += 1
    click.echo(f"replayed {replayed} dead letter(s)" + (f", refused {refused}" if refused else ""), err=True)
    if refused:
        sys.exit(1)


@dlq.command(name="purge")
@stage_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@redis_url_option
@prefix_option
@_friendly_errors
@_redis_errors
def dlq_purge(stages: Sequence[str], yes: bool, redis_url: str | None, prefix: str) -> None:
    """Delete dead letters for good."""
    from redis import Redis  # noqa: PLC0415

    from storywire.services.cli.dead_letters import purge  # noqa: PLC0415
    from storywire.services.cli.live import resolve_url  # noqa: PLC0415
    from storywire.services.runtime.streams import StreamNames  # noqa: PLC0415

    if not yes:
        click.confirm("Delete the dead letters for good?", abort=True)
    with Redis.from_url(resolve_url(redis_url)) as client:
        removed = purge(client, StreamNames(prefix), stages or SERVICE_NAMES)
    click.echo(f"purged {removed} dead letter(s)", err=True)


@main.command()
@click.option("--watch", is_flag=True, help="Refresh every --interval seconds until interrupted.")
@click.option("--interval", type=float, default=2.0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@redis_url_option
@prefix_option
@_friendly_errors
@_redis_errors
def stats(watch: bool, interval: float, as_json: bool, redis_url: str | None, prefix: str) -> None:
    """Stream lengths, group lag, pending and consumers, dead letters, entries added per minute (--watch, Redis 7+)."""
    from storywire.services.cli.live import show_stats  # noqa: PLC0415

    show_stats(redis_url=redis_url, prefix=prefix, watch=watch, interval_s=interval, as_json=as_json)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, type=int, show_default=True)
@redis_url_option
@prefix_option
@_friendly_errors
def board(host: str, port: int, redis_url: str | None, prefix: str) -> None:
    """Serve the live story board; with no Redis given, on an embedded one with all workers."""
    from storywire.services.cli.live import run_board  # noqa: PLC0415

    run_board(host=host, port=port, redis_url=redis_url, prefix=prefix)


# --- offline verbs -------------------------------------------------------------------


def _offline(kind: str) -> Callable[[Callable[..., Any]], click.Command]:
    def decorate(func: Callable[..., Any]) -> click.Command:
        func = click.argument("paths", nargs=-1, required=True)(func)
        func = click.option("-o", "--output", type=click.File("w"), default="-", help="Where to write JSON lines.")(
            func
        )
        return main.command(name=kind)(_friendly_errors(func))

    return decorate


@_offline("clean")
def clean_command(paths: Sequence[str], output: Any) -> None:
    """Clean articles in-process, no Redis: one CleanArticle JSON line per article."""
    from storywire.services.cli.offline import run_offline  # noqa: PLC0415

    run_offline(paths, output, stage="clean")


@_offline("dedup")
def dedup_command(paths: Sequence[str], output: Any) -> None:
    """Assign stories in-process, in input order, on a fresh index: StoryAssignment lines."""
    from storywire.services.cli.offline import run_offline  # noqa: PLC0415

    run_offline(paths, output, stage="dedup")


@main.command(name="summarize")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.File("w"), default="-", help="Where to write JSON lines.")
@click.option(
    "--stories/--no-stories",
    default=False,
    help="After the ArticleSummary lines, add a StorySummary line per story with 2+ articles.",
)
@_friendly_errors
def summarize_command(paths: Sequence[str], output: Any, stories: bool) -> None:
    """Summarise articles in-process, no Redis: one ArticleSummary JSON line per article."""
    from storywire.services.cli.offline import run_offline  # noqa: PLC0415

    run_offline(paths, output, stage="summarize", story_summaries=stories)


# --- contracts -----------------------------------------------------------------------


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write one <Contract>.json file per contract here instead of printing.",
)
@click.option("--check", is_flag=True, help="Fail if the files in --out differ from the code.")
def schema(out: Path | None, check: bool) -> None:
    """Export the contracts' JSON Schemas."""
    from storywire.services.cli.schemas import check_schemas, schema_documents, write_schemas  # noqa: PLC0415

    if out is None:
        import json  # noqa: PLC0415

        click.echo(json.dumps(schema_documents(), indent=2, sort_keys=True))
        return
    if check:
        drift = check_schemas(out)
        if drift:
            raise click.ClickException("schemas drifted from the code: " + ", ".join(drift))
        click.echo(f"{out}: schemas match the code")
        return
    for path in write_schemas(out):
        click.echo(str(path))


@main.command()
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("docs/asyncapi.json"), show_default=True
)
@click.option("--check", is_flag=True, help="Fail if the file differs from what the apps declare.")
def asyncapi(out: Path, check: bool) -> None:
    """Write the AsyncAPI 3.0 document of the pipeline, generated from the apps."""
    from storywire.services.cli.schemas import check_asyncapi, write_asyncapi  # noqa: PLC0415

    if check:
        if not check_asyncapi(out):
            raise click.ClickException(f"{out} drifted from the apps: run `storywire asyncapi`")
        click.echo(f"{out} matches the apps")
        return
    click.echo(str(write_asyncapi(out)))


# --- evaluation ----------------------------------------------------------------------


@main.group(name="eval")
def eval_group() -> None:
    """Quality harnesses on the development sets (from a checkout, with the eval extra)."""


def _put_checkout_on_path() -> None:
    """Let ``import evaluation`` find the harnesses when this package runs from a checkout.

    The harnesses are the checkout's top-level ``evaluation/`` folder, beside ``storywire/`` and not
    in the wheel. ``python -m`` from the project root finds them by itself, but the ``storywire``
    script of an editable install maps the ``storywire`` name only, so the root goes first on the
    path. An installed wheel has no such folder beside it, and nothing is added.
    """
    import storywire  # noqa: PLC0415 (only the eval verbs need the checkout)

    root = Path(storywire.__file__).resolve().parent.parent
    checkout = (root / "pyproject.toml").is_file() and (root / "evaluation" / "__init__.py").is_file()
    if checkout and str(root) not in sys.path:
        sys.path.insert(0, str(root))


def _eval(name: str, module: str) -> None:
    # --help goes to the harness, which lists its real options.
    @eval_group.command(name=name, context_settings={"ignore_unknown_options": True}, add_help_option=False)
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(args: Sequence[str]) -> None:
        import importlib  # noqa: PLC0415

        _put_checkout_on_path()
        try:
            harness = importlib.import_module(f"evaluation.{module}")
        except ModuleNotFoundError as exc:
            if exc.name in ("evaluation", f"evaluation.{module}"):
                raise click.ClickException(
                    "the harnesses run from a checkout of storywire (`make eval`), with the eval extra"
                ) from None
            raise click.ClickException(
                f"the {name} harness needs {exc.name}: pip install -e '.[eval]' in the checkout"
            ) from None
        sys.exit(harness.main(list(args)))

    command.help = f"Run the {name} harness (its --help lists its options)."


_eval("extract", "extraction")
_eval("stories", "stories")
_eval("summaries", "summaries")
_eval("languages", "languages")
