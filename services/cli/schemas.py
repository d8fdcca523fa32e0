"""JSON Schemas of the contracts, for consumers in other languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from faststream import FastStream

from storywire.contracts import ALL_CONTRACTS
from storywire.services.runtime.app import Worker
from storywire.services.runtime.settings import Settings


def schema_documents() -> dict[str, dict[str, Any]]:
    """``Name`` -> JSON Schema of every contract, with its version in ``$id``."""
    documents: dict[str, dict[str, Any]] = {}
    for contract in ALL_CONTRACTS:
        schema = contract.model_json_schema(mode="serialization")
        schema["$id"] = f"https://storywire.invalid/schemas/{contract.schema_tag()}"
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        documents[contract.contract_name] = schema
    return documents


def _render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write ``<Name>.json`` for every contract into ``folder``; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schema_documents().items():
        path = folder / f"{name}.json"
        path.write_text(_render(schema), encoding="utf-8")
        written.append(path)
    return written


def check_schemas(folder: Path) -> list[str]:
    """Names of the contracts whose file in ``folder`` is missing or out of date."""
    return [
        name
        for name, schema in schema_documents().items()
        if not (folder / f"{name}.json").is_file()
        or (folder / f"{name}.json").read_text(encoding="utf-8") != _render(schema)
    ]


def docs_app() -> FastStream:
    """All three services in one app, for the specification only (no connection is made).

    ``faststream docs gen storywire.services.cli.schemas:docs_app --factory`` gives the same document.
    """
    from storywire.services.cli.live import service_definitions  # noqa: PLC0415 (imports every service)

    settings = Settings(redis_url="redis://localhost:6379/0", consumer_name="consumer", http_port=None)
    return Worker(settings, service_definitions(("cleaner", "dedup", "summarizer"))).app


def asyncapi_document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the pipeline, generated from the apps."""
    document: dict[str, Any] = docs_app().schema.to_specification().to_jsonable()
    return document


def check_asyncapi(path: Path) -> bool:
    """True when the committed AsyncAPI file matches the apps."""
    return path.is_file() and path.read_text(encoding="utf-8") == _render(asyncapi_document())


def write_asyncapi(path: Path) -> Path:
    """Write the AsyncAPI document to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_render(asyncapi_document()), encoding="utf-8")
    return path
