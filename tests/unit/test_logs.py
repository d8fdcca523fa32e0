"""Logs: one line per record in one format for every library, whatever untrusted text a message or an
article id holds; no colour codes; library chatter at debug."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from storywire.services.runtime.app import _broker_logger
from storywire.services.runtime.logs import configure_logging, message_context, printable, set_article_id


@pytest.fixture()
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    yield stream
    configure_logging("WARNING")


def test_fast_streams_own_lines_come_in_our_format_without_colour_codes(captured: io.StringIO) -> None:
    import faststream._internal.logger.logging  # noqa: F401 (installs FastStream's coloured handler)

    configure_logging("INFO", stream=captured)
    logging.getLogger("faststream").info("FastStream app starting...")
    line = captured.getvalue()
    assert "\x1b[" not in line
    assert "INFO faststream [article=- msg=-] FastStream app starting..." in line


def test_trafilaturas_per_page_warnings_are_debug_lines(captured: io.StringIO) -> None:
    configure_logging("INFO", stream=captured)
    logging.getLogger("trafilatura.core").warning("discarding data: None")
    assert captured.getvalue() == ""
    configure_logging("DEBUG", stream=captured)
    logging.getLogger("trafilatura.core").warning("discarding data: None")
    assert "DEBUG trafilatura.core" in captured.getvalue()


def test_a_failed_read_while_redis_is_away_is_one_line(captured: io.StringIO) -> None:
    configure_logging("INFO", stream=captured)
    try:
        raise ConnectionError("Connection reset by peer")
    except ConnectionError as exc:
        _broker_logger().error("Message fetch error", exc_info=exc)
    lines = captured.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("Message fetch error: ConnectionError('Connection reset by peer')")


FORGED = "real\n2026-01-01 00:00:00,000 INFO storywire.services.runtime.delivery [article=x msg=y] forged\x1b[2J\u202e"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _log_untrusted() -> None:
    with message_context(message_id="1-0"):
        set_article_id(FORGED)
        logging.getLogger("storywire.services.runtime.delivery").warning("rejected: %s", FORGED)


def test_a_text_log_line_stays_one_line_and_shows_control_characters_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO")
    _log_untrusted()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "\x1b" not in lines[0] and "\u202e" not in lines[0]
    assert lines[0].count("real\\x0a2026-01-01") == 2  # the article id and the message
    assert lines[0].endswith("forged\\x1b[2J\\u202e")


def test_a_json_log_line_stays_one_line_and_shows_control_characters_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", json_lines=True)
    _log_untrusted()
    (line,) = capsys.readouterr().err.splitlines()
    doc = json.loads(line)
    assert doc["message"] == "rejected: " + printable(FORGED)
    assert doc["article_id"] == printable(FORGED)
    assert "\\x0a" in doc["article_id"] and "\n" not in doc["article_id"]


def test_printable_escapes_only_what_a_terminal_would_act_on() -> None:
    assert printable("Élection 新闻 — ok \\n") == "Élection 新闻 — ok \\n"
    assert printable("a\tb\x7f\x9b\ud800\ufeff") == "a\\x09b\\x7f\\x9b\\ud800\\ufeff"
