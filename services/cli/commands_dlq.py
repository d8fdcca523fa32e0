"""``storywire dlq``: list, replay or purge dead letters (the work is in :mod:`.dead_letters`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from storywire.services.cli.options import friendly_errors, prefix_option, redis_errors, redis_url_option, stage_option
from storywire.services.registry import SERVICE_NAMES


@click.group()
def dlq() -> None:
    """Dead letters: list, replay or purge them."""


@dlq.command(name="list")
@stage_option
@click.option("--json", "as_json", is_flag=True, help="Print each DeadLetter as a JSON line.")
@redis_url_option
@prefix_option
@friendly_errors
@redis_errors
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
@friendly_errors
@redis_errors
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
@friendly_errors
@redis_errors
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


COMMANDS = (dlq,)
