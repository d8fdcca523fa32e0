"""The one reader of the development sets' JSONL files (one JSON object a line) for the harnesses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

__all__ = ["read_jsonl"]


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Each row of ``path`` in order, blank lines skipped.

    A line that is not a JSON object is an error naming the file and line: a harness reading a
    broken set should stop, not score what is left of it.
    """
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = orjson.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{number}: not a JSON object")
            yield row
