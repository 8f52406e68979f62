"""The department's month on the home page (#24 item 2): last month's figure of each indicator
against its target, with the direction that is better and the status; and the reporting of
that month, due on the due day of this month, per department — entered, still due, or late.

Only the reader's own org: a school has no indicators and gets no board.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from keshi.indicators import measure
from keshi.indicators.models import Indicator
from keshi.indicators.selectors import (
    actuals_grid,
    due_day,
    enterable_indicators,
    is_complete,
    readable_indicators,
    reporting,
    rows_for,
)
from keshi.org.models import Org

STATUS_CSS = {
    measure.Status.MET: "success",
    measure.Status.MISSED: "danger",
    measure.Status.OPEN: "secondary",
    measure.Status.NO_DATA: "warning",
    measure.Status.NO_BASELINE: "secondary",
}


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    target: str  # "≥ 85%"
    direction: str  # 越高越好 / 越低越好
    actual: str  # "91.2%", "—"
    status: str  # 达标 / 未达标 / 未填报…
    css: str  # a Bootstrap colour name


@dataclass
class Due:
    """One department's figures of the board's month."""

    department: str
    expected: int
    entered: int
    due: date
    late: bool  # the due day has passed and some are missing
    on_time_rate: object = None  # the year so far, DHIS2's 及时率

    @property
    def missing(self) -> int:
        return self.expected - self.entered


@dataclass
class Board:
    year: int
    month: int
    lines: list[Line] = field(default_factory=list)
    dues: list[Due] = field(default_factory=list)
    can_enter: bool = False

    @property
    def met(self) -> int:
        return sum(line.css == "success" for line in self.lines)


def last_month(at: date) -> tuple[int, int]:
    return (at.year - 1, 12) if at.month == 1 else (at.year, at.month - 1)


def month_board(user, org: Org | None, at: date) -> Board | None:
    """The board of ``org``'s indicators that ``user`` may read, or None when there are none."""
    if org is None:
        return None
    indicators = list(
        readable_indicators(user)
        .filter(org=org, active=True)
        .select_related("group")
        .order_by("group__name", "position", "pk")
    )
    if not indicators:
        return None
    year, month = last_month(at)
    board = Board(year, month, can_enter=enterable_indicators(user).filter(org=org).exists())
    for row in rows_for(indicators, year, at):
        judged = row.months[month - 1]
        ind = row.indicator
        actual = "—" if judged.actual is None else f"{measure.fmt(judged.actual)}{ind.display_unit}"
        board.lines.append(
            Line(
                indicator=ind,
                target=ind.target_text(year),
                direction=ind.get_direction_display(),
                actual=actual,
                status=str(measure.LABELS[judged.status]),
                css=STATUS_CSS[judged.status],
            )
        )
    grid = actuals_grid(indicators, year)
    due = measure.due_date(year, month, due_day())
    rates = reporting(indicators, year, at)
    by_group: dict[int, Due] = {}
    for ind in indicators:
        entry = by_group.setdefault(
            ind.group_id,
            Due(ind.group.name, 0, 0, due, False, rates[ind.group_id].on_time_rate),
        )
        entry.expected += 1
        actual = grid.get((ind.pk, month))
        if actual is not None and is_complete(actual, ind):
            entry.entered += 1
    for entry in by_group.values():
        entry.late = at > due and entry.missing > 0
    board.dues = sorted(by_group.values(), key=lambda d: d.department)
    return board
