"""Log lines: one line per record, whatever untrusted text a message or an article id holds."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from storywire.services.runtime.logs import configure_logging, message_context, printable, set_article_id

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
