"""Near-duplicate articles: the same story re-published with other boilerplate or light edits.

A 64-bit SimHash of the cleaned text's word 3-shingles: copies of one story differ in a few
bits, different stories in about half. Signatures are split in four 16-bit bands; two
signatures within `MAX_DISTANCE` bits agree on at least one band, so a store can find the
candidates of a new article with one indexed lookup per band and check only those. This
is how the index stays fast for millions of articles.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

BITS = 64
BANDS = 4
BAND_BITS = BITS // BANDS
# Copies seen in syndication differ by 0-3 bits; unrelated war stories by 20 and more.
MAX_DISTANCE = 3
SHINGLE = 3
# Texts this short are headlines or crumbs: too little to call one a copy of another.
MIN_WORDS = 25

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MASK = (1 << BITS) - 1


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _shingles(words: list[str]) -> Iterator[str]:
    if len(words) < SHINGLE:
        yield " ".join(words)
        return
    for i in range(len(words) - SHINGLE + 1):
        yield " ".join(words[i:i + SHINGLE])


def simhash(text: str) -> int | None:
    """The text's signature, or None when it is too short to compare."""
    words = _words(text)
    if len(words) < MIN_WORDS:
        return None
    import numpy as np

    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(sh.encode(), digest_size=8).digest(), "big")
         for sh in _shingles(words)), dtype=np.uint64)
    # Bit `b` of the signature is set when more shingles have it set than clear.
    ones = ((hashes[:, None] >> np.arange(BITS, dtype=np.uint64)) & np.uint64(1)).sum(axis=0)
    return sum(1 << bit for bit in range(BITS) if 2 * int(ones[bit]) > len(hashes))


def distance(a: int, b: int) -> int:
    return ((a ^ b) & _MASK).bit_count()


def bands(sig: int) -> tuple[int, ...]:
    mask = (1 << BAND_BITS) - 1
    return tuple((sig >> (i * BAND_BITS)) & mask for i in range(BANDS))


def to_signed(sig: int) -> int:
    """SQLite integers are signed 64-bit."""
    return sig - (1 << BITS) if sig >= 1 << (BITS - 1) else sig


def from_signed(value: int) -> int:
    return value & _MASK


@dataclass
class DuplicateIndex:
    """Signatures by band, for finding an article's original in memory."""

    max_distance: int = MAX_DISTANCE
    _sigs: dict[str, int] = field(default_factory=dict)
    _bands: list[dict[int, list[str]]] = field(
        default_factory=lambda: [{} for _ in range(BANDS)])

    def add(self, key: str, sig: int) -> None:
        if key in self._sigs:
            return
        self._sigs[key] = sig
        for i, b in enumerate(bands(sig)):
            self._bands[i].setdefault(b, []).append(key)

    def candidates(self, sig: int) -> Iterable[str]:
        seen: set[str] = set()
        for i, b in enumerate(bands(sig)):
            for key in self._bands[i].get(b, ()):
                if key not in seen:
                    seen.add(key)
                    yield key

    def original_of(self, sig: int) -> str | None:
        """The earliest-added article this signature copies, if any."""
        best: tuple[int, int, str] | None = None
        order = {k: i for i, k in enumerate(self._sigs)}
        for key in self.candidates(sig):
            d = distance(sig, self._sigs[key])
            if d <= self.max_distance and (best is None or (order[key], d) < best[:2]):
                best = (order[key], d, key)
        return None if best is None else best[2]
