"""Reading articles from the paths a user gives: files, folders, JSON lines, stdin.

An ``.html``/``.htm``/``.xhtml``/``.txt``/``.text`` file (gzipped or not) is one article whose
``article_id`` is the file's name without those extensions; a JSON line carries its own. Two
different articles with one id in one run are refused up front: the pipeline would take the
second for a new version of the first and replace it.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pydantic

from storywire.contracts import RawArticle
from storywire.contracts.articles import ContentType, content_digest
from storywire.services.cleaner.extraction import decode_html

_HTML = {".html", ".htm", ".xhtml"}
_TEXT = {".txt", ".text"}
_JSONL = {".jsonl", ".ndjson"}
_GZIP = {".gz"}
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
    """A file's name without the extensions it is read by: ``.gz``, then the HTML or text one.

    Every other dot stays, so ``bbc.com.52241221.html`` is ``bbc.com.52241221`` and
    ``news.site.a.html`` and ``news.site.b.html`` stay two articles.
    """
    name = path.name
    for known in (_GZIP, _HTML | _TEXT):
        suffix = Path(name).suffix
        if suffix.lower() in known:
            name = name[: -len(suffix)]
    return name or path.name


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
    for _number, article in _jsonl_rows(lines, source):
        yield article


def _jsonl_rows(lines: Iterable[bytes], source: str) -> Iterator[tuple[int, RawArticle]]:
    """The articles of JSON lines with their line numbers."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, RawArticle.model_validate(orjson.loads(line))
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
    meta = _sidecar(path)
    fields: dict[str, object] = {
        "content_type": content_type,
        "fetched_at": fetched,
        **meta,
        "article_id": _file_article_id(path, meta),
        "content": text,
    }
    try:
        yield RawArticle.model_validate(fields)
    except pydantic.ValidationError as exc:
        raise InputError(f"{path}: {exc.errors(include_url=False)[0]['msg']}") from exc


def _sidecar_path(path: Path) -> Path:
    return path.with_name(article_id_of(path) + META_SUFFIX)


def _file_article_id(path: Path, meta: Mapping[str, object]) -> str:
    """The id its ``.meta.json`` gives an article file, else the file's name without extensions."""
    given = meta.get("article_id")
    if given is None:
        return article_id_of(path)
    if not isinstance(given, str) or not given.strip():
        raise InputError(f"{_sidecar_path(path)}: article_id must be a non-empty string")
    return given


def _sidecar(path: Path) -> dict[str, object]:
    """Metadata from ``<name>.meta.json`` beside an article file (url, outlet, title, dates)."""
    meta = _sidecar_path(path)
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


def _identities(files: Sequence[str], stdin: bytes) -> Iterator[tuple[str, str, str]]:
    """``(article_id, where, sameness)`` of each article in ``files``; equal ``sameness``, one article.

    An article file is the same article only as itself, under whatever path it is named; a
    JSON line is the same article as another when all their fields are equal. Article files
    are not read here, only their ``.meta.json`` (which may give the id).
    """
    for given in files:
        path = Path(given)
        suffix, gzipped = _suffixes(path)
        if given == "-" or suffix in _JSONL:
            source = "stdin" if given == "-" else given
            data = stdin if given == "-" else _read_bytes(path, gzipped)
            for number, article in _jsonl_rows(data.splitlines(), source):
                yield article.article_id, f"{source}:{number}", content_digest(article.model_dump_json())
        else:
            yield _file_article_id(path, _sidecar(path)), given, f"file {path.resolve()}"


def check_ids(files: Sequence[str], stdin: bytes = b"") -> None:
    """Refuse two different articles with one ``article_id`` among ``files`` (already expanded).

    The same article twice (a file named twice, a repeated JSON line) is a re-publication,
    which the pipeline handles once, and passes.
    """
    seen: dict[str, tuple[str, str]] = {}
    for article_id, where, sameness in _identities(files, stdin):
        first, first_sameness = seen.setdefault(article_id, (where, sameness))
        if first_sameness != sameness:
            raise InputError(
                f"{first} and {where} are two different articles with one article_id {article_id!r}:"
                " give one another id (rename the file, or set article_id in its .meta.json or JSON line)"
            )


def read_articles(paths: Iterable[str]) -> Iterator[RawArticle]:
    """Every article in ``paths`` (files, folders, or ``-`` for JSON lines on stdin), in order.

    Ids are checked (:func:`check_ids`) before the first article is yielded, so a caller that
    publishes as it reads publishes nothing when two articles would share one id. Stdin is
    therefore read whole first.
    """
    files = expand(paths)
    stdin = sys.stdin.buffer.read() if "-" in files else b""
    check_ids(files, stdin)
    for given in files:
        if given == "-":
            yield from _jsonl(stdin.splitlines(), "stdin")
        else:
            yield from read_file(Path(given))
