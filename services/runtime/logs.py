"""Logging with the article id and message id on every line about a message."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_article_id: contextvars.ContextVar[str] = contextvars.ContextVar("article_id", default="-")
_message_id: contextvars.ContextVar[str] = contextvars.ContextVar("message_id", default="-")


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


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "article_id": getattr(record, "article_id", "-"),
            "message_id": getattr(record, "message_id", "-"),
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
            logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s [article=%(article_id)s msg=%(message_id)s] %(message)s"
            )
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
