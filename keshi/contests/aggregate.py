"""Judges' scores → one score per entry → ranks → award levels. Pure: no Django.

Tie rule (ranking): equal scores share a rank and the next rank skips ("1, 2, 2, 4" — standard
competition ranking). Scores are compared after rounding to 0.01, the precision shown.

Quota rule (awards): quotas are counted cumulatively in level order (一等奖, 二等奖, …). An entry
of rank *r* gets the first level whose cumulative quota reaches *r*. Tied entries share the rank
of the first of them, so a tie straddling a quota boundary gets the higher level for all tied
entries; that level then exceeds its quota and the following levels shrink by as much, because
the cumulative cut-offs stay where they were.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")
MEAN = "mean"
TRIMMED_MEAN = "trimmed_mean"


def aggregate(values: Iterable[Decimal], method: str = MEAN) -> Decimal | None:
    """The mean, or with ``trimmed_mean`` and at least 3 scores the mean without one highest and
    one lowest score. ``None`` when nobody scored."""
    scores = sorted(values)
    if not scores:
        return None
    if method == TRIMMED_MEAN and len(scores) >= 3:
        scores = scores[1:-1]
    elif method not in (MEAN, TRIMMED_MEAN):
        raise ValueError(f"unknown aggregation {method!r}")
    return (sum(scores, Decimal(0)) / len(scores)).quantize(TWO, ROUND_HALF_UP)


def rank(scores: Mapping[Hashable, Decimal]) -> dict[Hashable, int]:
    """Competition ranking, highest score first; equal scores share a rank."""
    ordered = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    ranks: dict[Hashable, int] = {}
    previous: Decimal | None = None
    current = 0
    for position, (key, value) in enumerate(ordered, start=1):
        value = value.quantize(TWO, ROUND_HALF_UP)
        if value != previous:
            current, previous = position, value
        ranks[key] = current
    return ranks


def awards(ranks: Mapping[Hashable, int], quotas: Sequence[tuple[str, int]]) -> dict[Hashable, str]:
    """The level of every entry (``""`` for none) from its rank and the ``(level, quota)`` list."""
    cutoffs: list[tuple[int, str]] = []
    total = 0
    for level, quota in quotas:
        if quota > 0:
            total += quota
            cutoffs.append((total, level))
    result: dict[Hashable, str] = {}
    for key, r in ranks.items():
        result[key] = next((level for cutoff, level in cutoffs if r <= cutoff), "")
    return result


def advancing(
    scores: Mapping[Hashable, Decimal | None],
    *,
    top: int | None = None,
    line: Decimal | None = None,
) -> set[Hashable]:
    """Who goes on to the next round of a 学科竞赛: the first ``top`` by rank (everyone tied at
    the cut goes on too) and/or everyone scoring at least ``line`` (以上 includes the line).
    With both, an entry must meet both; with neither, everyone who has a score. A missing score
    (absent) never goes on."""
    present = {k: v for k, v in scores.items() if v is not None}
    ranks = rank(present)
    return {
        k
        for k, v in present.items()
        if (top is None or ranks[k] <= top) and (line is None or v >= line)
    }
