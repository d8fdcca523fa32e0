"""``storywire eval``: the quality harnesses of a checkout (its top-level ``evaluation/``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click


@click.group(name="eval")
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
_eval("topics", "topics")
_eval("summaries", "summaries")
_eval("languages", "languages")


COMMANDS = (eval_group,)
