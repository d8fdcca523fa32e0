"""The offline verbs: clean, dedup, summarize in-process, no Redis (the work is in :mod:`.offline`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from storywire.services.cli.options import friendly_errors


def _offline(kind: str) -> Callable[[Callable[..., Any]], click.Command]:
    def decorate(func: Callable[..., Any]) -> click.Command:
        func = click.argument("paths", nargs=-1, required=True)(func)
        func = click.option("-o", "--output", type=click.File("w"), default="-", help="Where to write JSON lines.")(
            func
        )
        return click.command(name=kind)(friendly_errors(func))

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


@click.command(name="summarize")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.File("w"), default="-", help="Where to write JSON lines.")
@click.option(
    "--stories/--no-stories",
    default=False,
    help="After the ArticleSummary lines, add a StorySummary line per story with 2+ articles.",
)
@friendly_errors
def summarize_command(paths: Sequence[str], output: Any, stories: bool) -> None:
    """Summarise articles in-process, no Redis: one ArticleSummary JSON line per article."""
    from storywire.services.cli.offline import run_offline  # noqa: PLC0415

    run_offline(paths, output, stage="summarize", story_summaries=stories)


COMMANDS = (clean_command, dedup_command, summarize_command)
