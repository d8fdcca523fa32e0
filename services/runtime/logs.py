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
from typing import TextIO

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


class _AtDebug(logging.Filter):
    """Extraction libraries' warnings repeat per page (trafilatura's "discarding data"): detail, not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR or not record.name.startswith(_CHATTY_LIBRARIES):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger().isEnabledFor(logging.DEBUG)


class _OneLineErrors(logging.Filter):
    """A failed read while Redis is away is one line with its cause, not fifty lines of traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None and record.levelno < logging.CRITICAL:
            record.msg = f"{record.getMessage()}: {record.exc_info[1]!r}"
            record.args = None
            record.exc_info = None
        return True


#: Extraction libraries whose per-page warnings go to debug.
_CHATTY_LIBRARIES = ("trafilatura", "htmldate", "justext", "courlan")
#: Libraries that install a handler of their own (FastStream's colours it always): theirs go through ours.
_OWN_HANDLER_LIBRARIES = ("faststream", "faststream.access", "uvicorn", "uvicorn.error", "uvicorn.access")


_ONE_LINE_ERRORS = _OneLineErrors()


def quiet_tracebacks(logger: logging.Logger) -> logging.Logger:
    """Make ``logger``'s errors with tracebacks one line each (for a library's retry loops)."""
    logger.addFilter(_ONE_LINE_ERRORS)  # once: the same filter is not added twice
    return logger


def configure_logging(level: str = "INFO", *, json_lines: bool = False, stream: TextIO | None = None) -> None:
    """Send logs to stderr, as text or JSON lines, with the message ids on each, in one format for every
    library (no colour codes)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(_ContextFilter())
    handler.addFilter(_AtDebug())
    if json_lines:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(
            _TextFormatter("%(asctime)s %(levelname)s %(name)s [article=%(article_id)s msg=%(message_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in _OWN_HANDLER_LIBRARIES:
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
