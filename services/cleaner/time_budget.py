"""A per-article time budget for the CPU-bound cleaning of one page.

Cleaning runs on the worker's main thread (the asyncio loop's), so a real
interval timer can interrupt it: SIGALRM raises :class:`BudgetExceeded` in the
running Python code. Off the main thread (tests, embedded use) no timer can be
set and the budget is not enforced.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

T = TypeVar("T")


class BudgetExceeded(Exception):  # noqa: N818 (an outcome of the page, reported as such)
    """The page took longer than its time budget."""


def _raise(_signum: int, _frame: FrameType | None) -> None:
    raise BudgetExceeded


def within_budget(seconds: float | None, work: Callable[[], T]) -> T:
    """Run ``work()``; raise BudgetExceeded if it runs longer than ``seconds``."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        return work()
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
