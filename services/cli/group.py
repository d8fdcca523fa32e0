"""The ``storywire`` command group: its global options, and the verbs of each ``commands_*`` module."""

from __future__ import annotations

import click

from storywire.services import __version__
from storywire.services.cli import commands_contracts, commands_dlq, commands_eval, commands_live, commands_offline


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storywire")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("--log-json", is_flag=True, envvar="STORYWIRE_LOG_JSON", help="Logs as JSON lines.")
def main(verbose: int, log_json: bool) -> None:
    """storywire: clean news articles, detect stories, summarise them, on Redis streams."""
    from storywire.services.runtime.logs import configure_logging  # noqa: PLC0415

    level = ("WARNING", "INFO", "DEBUG")[min(verbose, 2)]
    configure_logging(level, json_lines=log_json)


for _module in (commands_live, commands_dlq, commands_offline, commands_contracts, commands_eval):
    for _command in _module.COMMANDS:
        main.add_command(_command)
