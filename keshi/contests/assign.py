"""Spreading entries over judges. Pure: no Django.

Each entry gets ``per_entry`` distinct judges, never one in conflict with it. Entries with the
fewest eligible judges are served first (so a scarce judge is not used up by easy entries), and
each entry takes the least-loaded eligible judges; without conflicts loads then differ by at most
one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class AssignmentError(ValueError):
    """The message is Chinese and meant for the user."""


def assign(
    entries: Mapping[int, set[int]],
    judges: Sequence[int],
    per_entry: int,
    loads: Mapping[int, int] | None = None,
) -> dict[int, list[int]]:
    """``entries`` maps an entry to the judges in conflict with it; returns entry → judges."""
    if per_entry < 1:
        raise AssignmentError("每件作品至少需要 1 位评委")
    load = {j: (loads or {}).get(j, 0) for j in judges}
    order = {j: i for i, j in enumerate(judges)}
    eligible = {e: [j for j in judges if j not in conflicts] for e, conflicts in entries.items()}
    result: dict[int, list[int]] = {}
    for entry in sorted(entries, key=lambda e: (len(eligible[e]), e)):
        if len(eligible[entry]) < per_entry:
            raise AssignmentError(
                f"可回避后的评委只有 {len(eligible[entry])} 位，不足每件 {per_entry} 位"
            )
        chosen = sorted(eligible[entry], key=lambda j: (load[j], order[j]))[:per_entry]
        for j in chosen:
            load[j] += 1
        result[entry] = chosen
    return result
