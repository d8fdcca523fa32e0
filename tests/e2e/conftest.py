"""End-to-end tests: a real headless Chromium against the board and a running pipeline."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Registered here too, so `--strict-markers` accepts it wherever pyproject stands.
    config.addinivalue_line("markers", "e2e: drives a real browser (/usr/bin/chromium) against a running board")
