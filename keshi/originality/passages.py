"""Aligned passages between two texts, as written. Pure: no Django.

Greedy seed-and-extend on the normalised texts: every ``SEED``-gram of one text that occurs in
the other starts a match, extended as far as both agree; matches close together on both sides
(a changed name, a filled-in year) merge into one passage. Unlike an in-order diff this finds
sentences that were moved around. Offsets map back to the original texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from keshi.originality.normalize import normalize_with_offsets

SEED = 6
GAP = 8  # normalised characters of edits a passage may span
MIN_LENGTH = 12  # shorter common runs are coincidence, not copying
MAX_CANDIDATES = 8


@dataclass(frozen=True)
class Passage:
    start: int  # in the first original text
    end: int
    other_start: int  # in the second original text
    other_end: int
    length: int  # normalised characters matched


def _blocks(a: str, b: str) -> list[tuple[int, int, int]]:
    seeds: dict[str, list[int]] = {}
    for j in range(len(b) - SEED + 1):
        seeds.setdefault(b[j : j + SEED], []).append(j)
    blocks = []
    i = 0
    while i <= len(a) - SEED:
        positions = seeds.get(a[i : i + SEED])
        if not positions:
            i += 1
            continue
        best = (0, 0)
        for j in positions[:MAX_CANDIDATES]:
            n = SEED
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            if n > best[0]:
                best = (n, j)
        blocks.append((i, best[1], best[0]))
        i += best[0]
    return blocks


def _merge(blocks: list[tuple[int, int, int]]) -> list[list[int]]:
    """[[i, j, i_end, j_end, matched]]: neighbours on both sides become one passage."""
    merged: list[list[int]] = []
    for i, j, n in blocks:
        if merged:
            last = merged[-1]
            gap_a, gap_b = i - last[2], j - last[3]
            if 0 <= gap_a <= GAP and 0 <= gap_b <= GAP:
                last[2], last[3], last[4] = i + n, j + n, last[4] + n
                continue
        merged.append([i, j, i + n, j + n, n])
    return merged


def align(text: str, other: str) -> list[Passage]:
    """Passages of ``text`` found in ``other``, in the order of ``text``."""
    a, a_offsets = normalize_with_offsets(text)
    b, b_offsets = normalize_with_offsets(other)
    passages = []
    for i, j, i_end, j_end, matched in _merge(_blocks(a, b)):
        if matched < MIN_LENGTH:
            continue
        passages.append(
            Passage(
                start=a_offsets[i],
                end=a_offsets[i_end - 1] + 1,
                other_start=b_offsets[j],
                other_end=b_offsets[j_end - 1] + 1,
                length=matched,
            )
        )
    return passages


def coverage(text_length: int, passages: list[Passage]) -> float:
    """Share of the normalised text that the passages cover."""
    return min(1.0, sum(p.length for p in passages) / text_length) if text_length else 0.0
