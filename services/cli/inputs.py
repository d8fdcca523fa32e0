"""Reading articles from the paths a user gives: files, folders, JSON lines, stdin."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pydantic

from storywire.contracts import RawArticle
from storywire.contracts.articles import ContentType
from storywire.services.cleaner.extraction import decode_html

_HTML = {".html", ".htm", ".xhtml"}
_TEXT = {".txt", ".text"}
_JSONL = {".jsonl", ".ndjson"}
#: Optional metadata beside an article file: ``story.txt`` + ``story.meta.json``.
META_SUFFIX = ".meta.json"


class InputError(Exception):
    """An input the user gave cannot be read; the message is shown as it is."""


def _suffixes(path: Path) -> tuple[str, bool]:
    """The meaningful suffix of ``path`` and whether it is gzipped."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    if gzipped:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), gzipped


def article_id_of(path: Path) -> str:
    """A file's name without any of its extensions."""
    name = path.name
    return name.split(".", 1)[0] or name


def is_article_file(path: Path) -> bool:
    """True for the file kinds ``publish`` and the offline verbs read."""
    suffix, _ = _suffixes(path)
    return suffix in _HTML | _TEXT | _JSONL


def expand(paths: Iterable[str]) -> list[str]:
    """Paths with folders replaced by the article files under them, in sorted order."""
    expanded: list[str] = []
    for given in paths:
        if given == "-":
            expanded.append(given)
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.is_file() and is_article_file(p))
            if not found:
                raise InputError(f"{given}: no .html, .htm, .txt or .jsonl files in this folder")
            expanded.extend(found)
        elif path.is_file():
            if not is_article_file(path):
                raise InputError(f"{given}: not an .html, .htm, .txt or .jsonl file")
            expanded.append(given)
        else:
            raise InputError(f"{given}: no such file or folder")
    return expanded


def _read_bytes(path: Path, gzipped: bool) -> bytes:
    try:
        data = path.read_bytes()
        return gzip.decompress(data) if gzipped else data
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc


def _jsonl(lines: Iterable[bytes], source: str) -> Iterator[RawArticle]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield RawArticle.model_validate(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            raise InputError(f"{source}:{number}: not valid JSON: {exc}") from exc
        except pydantic.ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"]) or "article"
            raise InputError(f"{source}:{number}: not a RawArticle: {where}: {first['msg']}") from exc


def read_file(path: Path) -> Iterator[RawArticle]:
    """The articles in one file: one for .html/.txt, one per line for .jsonl."""
    suffix, gzipped = _suffixes(path)
    data = _read_bytes(path, gzipped)
    if suffix in _JSONL:
        yield from _jsonl(data.splitlines(), str(path))
        return
    content_type: ContentType = "text/html" if suffix in _HTML else "text/plain"
    if content_type == "text/html":
        text = decode_html(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    fields: dict[str, object] = {
        "article_id": article_id_of(path),
        "content_type": content_type,
        "fetched_at": fetched,
        **_sidecar(path),
        "content": text,
    }
    try:
        yield RawArticle.model_validate(fields)
    except pydantic.ValidationError as exc:
        raise InputError(f"{path}: {exc.errors(include_url=False)[0]['msg']}") from exc


def _sidecar(path: Path) -> dict[str, object]:
    """Metadata from ``<name>.meta.json`` beside an article file (url, outlet, title, dates)."""
    meta = path.with_name(article_id_of(path) + META_SUFFIX)
    if not meta.is_file():
        return {}
    try:
        data = orjson.loads(meta.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InputError(f"{meta}: not a JSON object: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{meta}: not a JSON object")
    unknown = set(data) - set(RawArticle.model_fields) | ({"content"} & set(data))
    if unknown:
        raise InputError(f"{meta}: unknown or forbidden fields {sorted(unknown)}")
    return data


def read_articles(paths: Iterable[str]) -> Iterator[RawArticle]:
    """Every article in ``paths`` (files, folders, or ``-`` for JSON lines on stdin), in order."""
    for given in expand(paths):
        if given == "-":
            yield from _jsonl(sys.stdin.buffer, "stdin")
        else:
            yield from read_file(Path(given))
