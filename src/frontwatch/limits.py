"""A wall-clock limit on one piece of work, for hostile input that makes a stage crawl.

`time_limit(seconds)` arms SIGALRM with `signal.setitimer`; when it fires, the handler
raises `TimeLimitExceeded` in the code that is running, which unwinds out of the `with`
block. Signals only reach the main thread of a process, and only where SIGALRM exists,
so anywhere else (a thread, Windows) the block simply runs without a limit: a missing
limit is better than a crash. Worker processes of the pool engine run batches in their
main thread, so the limit holds there too.

Python runs signal handlers between bytecodes: a single long call into C (one huge regex
match, one lxml parse) is interrupted only when it returns. The limit is therefore a
bound on pure-Python stages and on loops over C calls, not a hard real-time guarantee.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

log = logging.getLogger(__name__)


class TimeLimitExceeded(BaseException):
    """The work inside `time_limit` ran out of time.

    A BaseException, like KeyboardInterrupt, so that the many `except Exception` guards
    of the stages (which turn one failure into a logged warning and go on) cannot
    swallow it and keep working on the article the limit is meant to stop.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


def limits_supported() -> bool:
    """Whether `time_limit` can enforce anything here (SIGALRM, main thread)."""
    return (
        hasattr(signal, "setitimer")
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in this block once `seconds` have passed; 0 or less (or
    no support here, see `limits_supported`) means no limit.

    Nests: an enclosing limit that would fire first is left to fire, and one that fires
    later is re-armed on exit with what is left of it. The previous SIGALRM handler is
    always restored.
    """
    if seconds <= 0 or not limits_supported() or signal.getsignal(signal.SIGALRM) is None:
        # None: a handler installed outside Python (libFuzzer's), which could not be put
        # back afterwards.
        yield
        return
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    if 0 < outer_left <= seconds:
        # The enclosing limit is the tighter one; arming ours would only delay it.
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded(seconds)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:
            left = outer_left - (time.monotonic() - started)
            # Already overdue: fire the outer limit at once rather than never. A periodic
            # outer timer (libFuzzer's hang detector is one) keeps its period.
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), outer_interval)


def time_left(limit: float, spent: float) -> float:
    """What is left of `limit` after `spent` seconds, for the next stage of the same
    work: never 0 (which would mean no limit) while a limit is set."""
    if limit <= 0:
        return 0.0
    # A stage that starts overdue gets a millisecond: it fails at once, as it should.
    return max(limit - spent, 0.001)
