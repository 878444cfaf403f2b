"""Seconds spent per pipeline stage, for the benchmark's breakdown.

The pipeline takes an optional clock; without one it times nothing, so production runs
pay no more than a no-op context manager per stage.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

STAGES = ("clean", "nlp", "places", "dates", "extraction", "fusion", "store")


class StageClock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def add(self, other: StageClock) -> None:
        for name, secs in other.seconds.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + secs


class _NoClock(StageClock):
    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        yield


NO_CLOCK: StageClock = _NoClock()
