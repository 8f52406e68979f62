"""Fingerprinting many texts at once, in worker processes. Pure: no Django.

Workers are *spawned* (fresh interpreters importing only this module, normalise and
fingerprint): forking a process that already runs numpy's and Django's threads can leave a
child waiting on a lock held by a thread that does not exist in it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator

from keshi.originality import fingerprint as fp
from keshi.originality.normalize import normalize

Prints = list[tuple[int, list[int]]]
PARALLEL_FROM = 2000  # fewer texts are not worth starting processes for


def prints(text: str) -> tuple[int, Prints]:
    """(normalised length, ``[(part, band keys)]``) of one text."""
    norm = normalize(text)
    return len(norm), fp.fingerprint(norm)


def prints_all(texts: list[str], workers: int = 2) -> Iterator[tuple[int, Prints]]:
    """:func:`prints` of every text, in order; in ``workers`` processes for many texts."""
    if workers <= 1 or len(texts) < PARALLEL_FROM:
        yield from map(prints, texts)
        return
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        yield from pool.imap(prints, texts, chunksize=200)


def chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
