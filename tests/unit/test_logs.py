"""Logs: one format for every library, no colour codes, library chatter at debug."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from storywire.services.runtime.app import _broker_logger
from storywire.services.runtime.logs import configure_logging


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
