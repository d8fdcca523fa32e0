"""The contracts' documents: ``storywire schema`` and ``storywire asyncapi`` (the work is in :mod:`.schemas`)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
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


@click.command()
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


COMMANDS = (schema, asyncapi)
