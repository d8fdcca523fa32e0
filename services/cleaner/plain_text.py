"""TEMPORARY line filter used until the real one lands (being written in parallel)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_JUNK = re.compile(
    r"(notification|advertisement|your support|donat|join our|comment|register|log ?in|sign ?up|"
    r"subscribe|newsletter|paywall|journalis[tm].*(ground|available)|we (need|believe)|makes all the difference)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PlainTextCleaning:
    text: str
    title: str | None
    byline: str | None
    dateline: str | None
    removed: tuple[str, ...]


def clean_plain_text(text: str) -> PlainTextCleaning:
    kept, removed = [], []
    for block in re.split(r"\n\s*\n", text):
        line = block.strip()
        if not line:
            continue
        if _JUNK.search(line) and len(line.split()) < 80 or len(line.split()) < 6:
            removed.append(line[:200])
        else:
            kept.append(line)
    return PlainTextCleaning("\n\n".join(kept), None, None, None, tuple(removed[:50]))
