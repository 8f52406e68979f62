"""Judging one person's standing on one requirement in one period. Pure: no Django.

* ``not_due``: the period has not begun;
* ``met``: the target is reached (for 不超过 rules: within the limit so far — a limit is never
  owed, so it is never on track, behind or shown as 还差);
* ``on_track``: not reached yet, but at least the elapsed share of the target is done
  (whole units: with 15 节 over 150 days, 1 节 is expected from day 10);
* ``behind``: less than the elapsed share, and the deadline has not passed;
* ``missed``: the deadline passed without reaching the target (or a limit was exceeded);
* ``exempt``: excused (leave, part-time), decided by the caller.

The deadline day itself still belongs to the period: on it, an unmet target is ``behind``.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    NOT_DUE = "not_due"
    EXEMPT = "exempt"


LABELS = {
    Status.MET: "已完成",
    Status.ON_TRACK: "进度正常",
    Status.BEHIND: "进度落后",
    Status.MISSED: "未完成",
    Status.NOT_DUE: "未开始",
    Status.EXEMPT: "免考核",
}


def expected_so_far(target: Decimal, start: date, due: date, at: date) -> int:
    """Whole units of ``target`` that the elapsed share of ``start..due`` asks for by ``at``."""
    total = (due - start).days + 1
    elapsed = min(max((at - start).days + 1, 0), total)
    return math.floor(target * elapsed / total)


def judge(
    *, comparator: str, value: Decimal, target: Decimal, start: date, due: date, at: date
) -> Status:
    """``comparator`` is ``gte`` (不少于), ``lte`` (不超过) or ``eq`` (等于)."""
    if at < start:
        return Status.NOT_DUE
    ended = at > due
    if comparator == "lte":  # a limit is never owed: within it is met, past it is missed
        return Status.MISSED if value > target else Status.MET
    if comparator == "eq" and value > target:
        return Status.MISSED
    if value >= target:
        return Status.MET
    if ended:
        return Status.MISSED
    return Status.ON_TRACK if value >= expected_so_far(target, start, due, at) else Status.BEHIND
