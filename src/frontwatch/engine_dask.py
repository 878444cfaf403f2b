"""The Dask engine: the per-article stage on a Dask cluster, results stored by the client.

`process_batch` is a pure function of picklable records, so the workers run exactly the
code the local engine runs; each worker loads the model and gazetteer once (lazily, on
its first batch) and keeps them. Without a scheduler address a LocalCluster of worker
processes is started on this machine.
"""

from __future__ import annotations

import importlib
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from .engine import batches, worker_count
from .errors import ConfigError
from .pipeline import Processed, process_batch
from .records import Article
from .settings import Settings

log = logging.getLogger(__name__)


class DaskEngine:
    def __init__(self, settings: Settings) -> None:
        try:
            # Untyped library: held as Any rather than let its types leak into ours.
            dist: Any = importlib.import_module("distributed")
        except ImportError as exc:  # the `dask` extra is not installed
            raise ConfigError("the dask engine needs `pip install frontwatch[dask]`") from exc
        self.settings = settings
        self._cluster: Any = None
        if settings.scheduler:
            log.info("connecting to the Dask scheduler at %s", settings.scheduler)
            try:
                self._client: Any = dist.Client(settings.scheduler, timeout="30s")
            except OSError as exc:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at {settings.scheduler}: {exc}") from exc
        else:
            workers = worker_count(settings.jobs)
            log.info("starting a Dask LocalCluster of %d worker process(es)", workers)
            # One thread per worker process: spaCy and the extractors hold the GIL.
            self._cluster = dist.LocalCluster(n_workers=workers, threads_per_worker=1,
                                         processes=True, dashboard_address=None)
            self._client = dist.Client(self._cluster)

    def _slots(self) -> int:
        info = self._client.scheduler_info()
        threads = sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())
        return max(1, threads)

    def run(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Processed]]:
        window = 2 * self._slots()
        pending: deque[tuple[list[Article], Any]] = deque()
        for batch in batches(articles, self.settings.batch_size):
            # pure=False: two identical batches are still two tasks to run.
            future = self._client.submit(process_batch, batch, self.settings, pure=False)
            pending.append((batch, future))
            if len(pending) >= window:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    @staticmethod
    def _collect(batch: list[Article], future: Any) -> Iterator[tuple[Article, Processed]]:
        results: list[Processed] = future.result()
        yield from zip(batch, results, strict=True)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
