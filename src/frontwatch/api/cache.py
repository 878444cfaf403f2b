"""A bounded cache of whole API responses, keyed by the database generation.

The served database only changes by commits from another process (an ingest, a
reprocess), and `Reader.generation()` changes with every one of them. A response built
from a snapshot of generation g is therefore the right answer to the same request for as
long as the generation is still g: the map's whole-database load (hundreds of ms to
build and gzip) then costs once per generation instead of once per request. Bodies are
stored as sent, gzip-encoded when the client accepted gzip.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

DEFAULT_MAX_BYTES = 64 * 1024 * 1024

# (generation, day, method, path, canonical query, gzip accepted)
Key = tuple[int, str, str, str, str, bool]


@dataclass(frozen=True, slots=True)
class Cached:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 64


def canonical_query(raw: bytes) -> str:
    """The query string with parameters in name order, so `a=1&b=2` and `b=2&a=1` share
    an entry. The sort is stable: repeated names keep their order, since the API reads
    the last of them. Parsed the way Starlette parses it, so two strings with the same
    key are the same request to the handlers."""
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda kv: kv[0]))


class ResponseCache:
    """Least recently used responses up to `max_bytes` in all; one larger than a quarter
    of that is not kept (it would push out everything else). Entries of an older
    generation can never be asked for again (generations only grow), so they are dropped
    as soon as a newer one is seen."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 4
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._generation = 0
        self._entries: OrderedDict[Key, Cached] = OrderedDict()
        # The middleware runs on the event loop's thread, but tests and a future server
        # may not: a lock is cheap next to building a response.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def _advance(self, generation: int) -> None:
        if generation > self._generation:
            self._generation = generation
            self._entries.clear()
            self.bytes = 0

    def get(self, key: Key) -> Cached | None:
        with self._lock:
            self._advance(key[0])
            hit = self._entries.get(key)
            if hit is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return hit

    def put(self, key: Key, value: Cached) -> bool:
        """Keep `value`; False if it is too large or of an older generation."""
        size = value.size
        with self._lock:
            self._advance(key[0])
            if size > self.max_entry or key[0] < self._generation:
                return False
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self._entries[key] = value
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.bytes -= dropped.size
            return True
