"""Shingles, MinHash signatures and LSH band keys. Pure: numpy and datasketch, no Django.

A normalised text becomes the set of its character ``SHINGLE``-grams, each hashed to 32 bits
with numpy in one pass (hashing shingle by shingle in Python would cost more than everything
else together). The signature is datasketch's MinHash (scheme ``affine32``) of that set,
computed with datasketch's own permutations in one vectorised step; a test holds it equal to
``MinHash.update_batch``. Bands of ``ROWS`` values each become one 63-bit key: two texts share a
key when their signatures agree on a whole band, which for Jaccard similarity ``s`` happens in
at least one of ``BANDS`` bands with probability ``1 - (1 - s**ROWS) ** BANDS``.

Long texts (papers, whole plans) are cut into overlapping windows, each fingerprinted alone, so
that a reflection copied from a part of a long template still has a high Jaccard similarity
with the window it came from.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from datasketch import MinHash

SHINGLE = 5  # chosen by measurement: see docs/originality.md
NUM_PERM = 128
BANDS, ROWS = 42, 3  # 126 of the 128 values; P(candidate | s=0.5) = 0.996
SEED = 7
MIN_CHARS = 40  # shorter normalised texts are not checked
LONG, WINDOW, STRIDE = 2000, 1000, 500

_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_P = np.uint64(0x100000001B3)


@cache
def permutations() -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def shingles(norm: str, n: int = SHINGLE) -> np.ndarray:
    """The sorted, distinct 32-bit hashes of the character n-grams of ``norm``."""
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    with np.errstate(over="ignore"):
        h = codes[:count].copy()
        for j in range(1, n):
            h = h * _P + codes[j : j + count]
        h = _fmix64(h)
    h = (h >> np.uint64(32)).astype(np.uint32)
    h.sort()  # sort-based distinct: several times faster here than np.unique's hashing
    return h[np.concatenate(([True], h[1:] != h[:-1]))]


def signature(hashes: np.ndarray) -> np.ndarray:
    """datasketch MinHash (affine32) of the shingle hashes: ``NUM_PERM`` uint32 values."""
    a, b = permutations()
    if len(hashes) == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        # One row per permutation: the row-wise minimum runs over contiguous memory.
        values = a.reshape(-1, 1) * _fmix32(hashes.astype(np.uint32)).reshape(1, -1)
        values += b.reshape(-1, 1)
    return values.min(axis=1)


def band_keys(sig: np.ndarray) -> list[int]:
    """One non-negative 63-bit key per band (the band number is part of the key's row)."""
    rows = sig[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        h = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        for j in range(ROWS):
            h = (h ^ rows[:, j]) * _P
        h = _fmix64(h) & np.uint64(0x7FFFFFFFFFFFFFFF)
    return [int(x) for x in h]


def windows(length: int) -> list[tuple[int, int]]:
    """The parts of a normalised text of ``length`` characters that are fingerprinted."""
    if length <= LONG:
        return [(0, length)]
    starts = list(range(0, length - WINDOW + 1, STRIDE))
    if starts[-1] + WINDOW < length:
        starts.append(length - WINDOW)
    return [(s, s + WINDOW) for s in starts]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two shingle sets from :func:`shingles`."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def fingerprint(norm: str) -> list[tuple[int, list[int]]]:
    """``[(part, band keys)]`` for every window of a normalised text long enough to check."""
    if len(norm) < MIN_CHARS:
        return []
    return [
        (part, band_keys(signature(shingles(norm[start:end]))))
        for part, (start, end) in enumerate(windows(len(norm)))
    ]
