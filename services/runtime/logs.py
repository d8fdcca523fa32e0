"""Logging with the article id and message id on every line about a message."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from storywire.contracts.articles import UNPRINTABLE_RANGES

_article_id: contextvars.ContextVar[str] = contextvars.ContextVar("article_id", default="-")
_message_id: contextvars.ContextVar[str] = contextvars.ContextVar("message_id", default="-")


#: What printing escapes: the characters article ids may not hold, and lone surrogates (which a
#: terminal cannot show and an encoder refuses).
_ESCAPED_RANGES = (*UNPRINTABLE_RANGES, (0xD800, 0xDFFF))
_NEEDS_ESCAPE = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _ESCAPED_RANGES) + "]")


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with control, invisible and lone surrogate characters written as escapes (``\\x0a``).

    For whatever a log line or a terminal shows of untrusted input: a newline in it cannot
    start a forged line, an escape sequence cannot drive the terminal.
    """
    return _NEEDS_ESCAPE.sub(_escape, text)


@contextmanager
def message_context(*, message_id: str, article_id: str | None = None) -> Iterator[None]:
    """Tag every log line written inside the block with these ids."""
    m = _message_id.set(message_id)
    a = _article_id.set(article_id or "-")
    try:
        yield
    finally:
        _article_id.reset(a)
        _message_id.reset(m)


def set_article_id(article_id: str) -> None:
    """Name the article once it is known (after the payload is parsed)."""
    _article_id.set(article_id)


def current_article_id() -> str | None:
    """The article id of the message being processed, if known."""
    value = _article_id.get()
    return None if value == "-" else value


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.article_id = _article_id.get()
        record.message_id = _message_id.get()
        return True


class _TextFormatter(logging.Formatter):
    """One line per record whatever its message holds (a traceback, added after it, keeps its lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        return printable(super().formatMessage(record))


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": printable(record.getMessage()),
            "article_id": printable(str(getattr(record, "article_id", "-"))),
            "message_id": printable(str(getattr(record, "message_id", "-"))),
        }
        if record.exc_info:
            doc["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


def configure_logging(level: str = "INFO", *, json_lines: bool = False) -> None:
    """Send logs to stderr, as text or JSON lines, with the message ids on each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter())
    if json_lines:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(
            _TextFormatter("%(asctime)s %(levelname)s %(name)s [article=%(article_id)s msg=%(message_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
