"""The Dask engine: the per-article stage on a Dask cluster, results stored by the client.

`process_batch` is a pure function of picklable records, so the workers run exactly the
code the local engine runs. Each worker process loads the model and gazetteer once, on
its first batch, and keeps them (`nlp.get_nlp` and `places.get_gazetteer` cache per
process); a worker the nanny restarts loads them again. Without a scheduler address a
LocalCluster of worker processes is started on this machine, listening on loopback only
and without the HTTP dashboard.

Only the per-article stage is distributed: the client reads the input, keeps a bounded
number of batches in flight and writes every result itself, so the workers need no access
to the database.
"""

from __future__ import annotations

import gc
import importlib
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .engine import batches, worker_count
from .errors import ConfigError, FrontwatchError, InputError
from .pipeline import Processed, process_batch
from .records import Article
from .settings import Settings

log = logging.getLogger(__name__)

# Seconds to wait for a remote scheduler to answer, and then for it to have a worker.
CONNECT_TIMEOUT = 30.0

BatchFn = Callable[[Sequence[Article], Settings], list[Processed]]


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class DaskEngine:
    """Batches of articles as Dask tasks; each article with its outcome, in input order.

    `process` is the function the workers run; tests replace it, nothing else should.
    """

    def __init__(self, settings: Settings, *, connect_timeout: float | None = None,
                 process: BatchFn = process_batch) -> None:
        try:
            # Untyped library: held as Any rather than let its types leak into ours.
            dist: Any = importlib.import_module("distributed")
        except ImportError as exc:  # the `dask` extra is not installed
            raise ConfigError("the dask engine needs `pip install frontwatch[dask]`") from exc
        self.settings = settings
        self._process = process
        self._cluster: Any = None
        timeout = CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
        if settings.scheduler:
            self._client: Any = self._connect(dist, settings.scheduler, timeout)
        else:
            self._cluster, self._client = self._local(dist, worker_count(settings.jobs))

    @staticmethod
    def _connect(dist: Any, address: str, timeout: float) -> Any:
        log.info("connecting to the Dask scheduler at %s", address)
        reason = None
        try:
            client = dist.Client(address, timeout=f"{timeout}s")
        except (OSError, ValueError) as exc:  # refused, timed out, or a malformed address
            reason = _one_line(exc)
        if reason is not None:
            # The half-built Client closes itself when collected, taking its IO loop's
            # lock; collected later, inside another cluster's start under that same lock,
            # it deadlocks. Now that its traceback is gone, collect it here.
            gc.collect()
            raise ConfigError(f"cannot reach the Dask scheduler at {address}: {reason}")
        try:
            # Tasks sent to a cluster without workers would wait for ever.
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            client.close()
            raise ConfigError(f"the Dask scheduler at {address} has no workers "
                              f"(waited {timeout:g} s)") from exc
        return client

    @staticmethod
    def _local(dist: Any, workers: int) -> tuple[Any, Any]:
        dask: Any = importlib.import_module("dask")
        log.info("starting a Dask LocalCluster of %d worker process(es)", workers)
        # A Client left for the collector (a failed connection, a caller's leak) must not
        # be finalised while LocalCluster holds its IO loop's lock: that deadlocks.
        gc.collect()
        # No dashboard, and the scheduler's own HTTP server (it always starts one) on a
        # free loopback port with no routes: a local run must open no port to the
        # network, nor fail because another cluster holds :8787.
        with dask.config.set({"distributed.scheduler.http.routes": []}):
            for attempt in (1, 2):
                try:
                    # One thread per worker process: spaCy and the extractors hold the GIL.
                    cluster = dist.LocalCluster(
                        n_workers=workers, threads_per_worker=1, processes=True,
                        host="127.0.0.1", dashboard_address="127.0.0.1:0",
                        scheduler_kwargs={"dashboard": False}, worker_dashboard_address=None)
                    break
                except AssertionError:
                    # distributed gives its IO-loop thread 10 s to start and asserts
                    # when a loaded machine takes longer: once more, then give up.
                    if attempt == 2:
                        raise
                    log.warning("the Dask IO loop was slow to start; trying again")
        try:
            return cluster, dist.Client(cluster)
        except BaseException:
            cluster.close()
            raise

    def _slots(self) -> int:
        info = self._client.scheduler_info()
        threads = sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())
        return max(1, threads)

    def run(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Processed]]:
        # Enough batches to keep every worker thread busy while the client stores the
        # results of the oldest, and no more in memory.
        window = 2 * self._slots()
        pending: deque[tuple[list[Article], Any]] = deque()
        for batch in batches(articles, self.settings.batch_size):
            pending.append((batch, self._submit(batch)))
            if len(pending) >= window:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    def _submit(self, batch: list[Article]) -> Any:
        # pure=False: two identical batches are still two tasks to run.
        return self._client.submit(self._process, batch, self.settings, pure=False)

    def _collect(self, batch: list[Article], future: Any
                 ) -> Iterator[tuple[Article, Processed]]:
        try:
            results: list[Processed] = future.result()
        except FrontwatchError:
            # The model or gazetteer cannot be loaded on a worker: every batch would fail
            # the same way, so the run stops with that one message.
            raise
        except Exception as exc:
            yield from self._salvage(batch, exc)
            return
        yield from zip(batch, results, strict=True)

    def _salvage(self, batch: list[Article], exc: Exception
                 ) -> Iterator[tuple[Article, Processed]]:
        """A batch was lost (its worker died, or the scheduler gave up on it): run its
        articles again one by one, so only an article that kills workers fails.

        One at a time, not all at once: a worker that dies takes the tasks queued on it
        down too, and the scheduler counts that against them.
        """
        self._check_connected(exc)
        if len(batch) == 1:
            yield batch[0], self._lost(batch[0], exc)
            return
        log.warning("a batch of %d article(s) was lost on the Dask cluster (%s); "
                    "running them one by one", len(batch), _one_line(exc))
        for article in batch:
            try:
                yield article, self._submit([article]).result()[0]
            except FrontwatchError:
                raise
            except Exception as again:
                self._check_connected(again)
                yield article, self._lost(article, again)

    def _check_connected(self, exc: Exception) -> None:
        # Without the scheduler every batch would come back lost: stop instead of
        # reporting each remaining article as failed.
        if self._client.status != "running":
            raise ConfigError(f"lost the connection to the Dask scheduler: {_one_line(exc)}"
                              ) from exc

    @staticmethod
    def _lost(article: Article, exc: Exception) -> Processed:
        log.warning("%s: lost on the Dask cluster: %s", article.name, _one_line(exc))
        where = article.path or article.name
        return Processed(error=InputError(where, f"lost on the Dask cluster: {_one_line(exc)}"))

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def quiet_logs() -> None:
    """Dask's scheduler and nannies log every start, connection and shutdown at INFO;
    the CLI shows them only with -v. Importing `distributed` sets its loggers' levels
    from the Dask config, so it is imported first and the level set after."""
    try:
        importlib.import_module("distributed")
    except ImportError:
        return
    logging.getLogger("distributed").setLevel(logging.WARNING)
