"""A per-article time budget for CPU-bound work, on any thread.

Stages run their CPU-bound work on worker threads (so the event loop keeps
answering health probes, renewing leases and reading Redis), where no signal
timer can reach. A timer thread instead raises :class:`BudgetExceeded`
asynchronously in the working thread (``PyThreadState_SetAsyncExc``): Python
delivers it at the next bytecode that thread runs. So the budget interrupts
Python code anywhere, but not a single long call inside a C extension (one
regular-expression match, one lxml parse): those end first. The stages keep
such calls bounded by capping their input (``STORYWIRE_MAX_PAYLOAD_BYTES``)
and by linear-time text code.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)


class BudgetExceeded(Exception):  # noqa: N818 (an outcome of the article, reported as such)
    """The work took longer than its time budget."""


class _Run:
    """One budgeted call: the timer interrupts it only while it is still running."""

    def __init__(self, thread_id: int) -> None:
        self.thread_id = thread_id
        self.lock = threading.Lock()
        self.running = True

    def interrupt(self) -> None:
        # Under the lock, so the exception is never raised after the work has returned.
        with self.lock:
            if self.running:
                _set_async_exc(self.thread_id, BudgetExceeded)

    def finish(self) -> None:
        with self.lock:
            self.running = False


def within_budget(seconds: float | None, work: Callable[[], T]) -> T:
    """Run ``work()`` on this thread; raise :class:`BudgetExceeded` if it runs longer than ``seconds``."""
    if not seconds:
        return work()
    run = _Run(threading.get_ident())
    timer = threading.Timer(seconds, run.interrupt)
    timer.daemon = True
    timer.start()
    try:
        return work()
    finally:
        run.finish()
        timer.cancel()
