"""What the ``storywire`` commands share: options, and expected failures as one-line errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import click
from pydantic import ValidationError

from storywire.services.cli.inputs import InputError
from storywire.services.registry import SERVICE_NAMES

P = ParamSpec("P")
R = TypeVar("R")


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
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


def redis_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a Redis failure into a one-line message and a non-zero exit."""
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
stage_option = click.option(
    "--stage", "stages", multiple=True, type=click.Choice(SERVICE_NAMES), help="Only these stages (default: all)."
)
