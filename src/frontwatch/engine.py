"""Where the per-article stage runs: in this process, or in a pool of worker processes.

An engine takes a stream of articles and yields, in input order, each article with its
`Processed` outcome. Articles travel in batches (spaCy parses a batch much faster than
the same texts one by one) and only a few batches are in flight at once, so a folder of
a million articles never sits in memory. The Dask engine (`engine_dask`) has the same
shape; `get_engine` picks one from the settings.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from multiprocessing.pool import AsyncResult, Pool
from typing import Protocol

from .errors import ConfigError
from .pipeline import Processed, process_batch
from .records import Article
from .settings import Settings

log = logging.getLogger(__name__)

ENGINES = ("local", "dask")


class Engine(Protocol):
    def run(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Processed]]:
        """Each article with its outcome, in input order."""
        ...

    def close(self) -> None: ...


def batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


def worker_count(jobs: int) -> int:
    """`jobs`, or every core this process may use when it is 0."""
    if jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _warm(settings: Settings) -> None:
    from .nlp import get_nlp
    from .places import get_gazetteer

    get_nlp(settings.spacy_model)
    get_gazetteer(settings)


_worker_settings: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    # Ctrl-C is the parent's to handle: it stores what is done, then closes the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm(settings)


def _run_batch(batch: list[Article]) -> list[Processed]:
    assert _worker_settings is not None, "worker not initialised"
    return process_batch(batch, _worker_settings)


class SerialEngine:
    """Everything in this process: the reference every other engine must match."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Processed]]:
        for batch in batches(articles, self.settings.batch_size):
            yield from zip(batch, process_batch(batch, self.settings), strict=True)

    def close(self) -> None:
        pass


class PoolEngine:
    """Worker processes on this machine, each with its own model and gazetteer.

    The parent loads both before forking, so the workers share their pages instead of
    each loading (or, on a cold cache, each building) its own copy.
    """

    def __init__(self, settings: Settings, jobs: int) -> None:
        self.settings = settings
        self.jobs = jobs
        self._pool: Pool | None = None

    def _start(self) -> Pool:
        if self._pool is None:
            _warm(self.settings)
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ctx.Pool(self.jobs, initializer=_init_worker,
                                  initargs=(self.settings,))
        return self._pool

    def run(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Processed]]:
        window = 2 * self.jobs  # enough to keep every worker busy, no more in memory
        stream = batches(articles, self.settings.batch_size)
        first = next(stream, None)
        if first is None:
            return
        second = next(stream, None)
        if second is None:
            # One batch: starting workers would cost more than they save.
            yield from zip(first, process_batch(first, self.settings), strict=True)
            return
        pending: deque[tuple[list[Article], AsyncResult[list[Processed]]]] = deque()
        for batch in chain((first, second), stream):
            pending.append((batch, self._start().apply_async(_run_batch, (batch,))))
            if len(pending) >= window:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


def _collect(batch: Sequence[Article], result: AsyncResult[list[Processed]]
             ) -> Iterator[tuple[Article, Processed]]:
    yield from zip(batch, result.get(), strict=True)


def get_engine(settings: Settings) -> Engine:
    """The engine the settings name (`engine`, `jobs`, `scheduler`)."""
    if settings.engine == "dask":
        from .engine_dask import DaskEngine

        return DaskEngine(settings)
    if settings.engine != "local":
        raise ConfigError(f"unknown engine {settings.engine!r}; one of {', '.join(ENGINES)}")
    jobs = worker_count(settings.jobs)
    return SerialEngine(settings) if jobs <= 1 else PoolEngine(settings, jobs)
