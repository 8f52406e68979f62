"""Indicator arithmetic: periods, aggregation, targets, status. Pure: no Django.

Aggregation of months into a quarter or a year (docs/indicators.md):

* a rate (numerator/denominator, like DHIS2) is Σnumerator / Σdenominator × factor — never the
  mean of the monthly rates, so a month with few patients weighs little;
* a direct value whose unit counts things (人次, 例, 台次, 人, 元, 万元, 次) is summed;
* any other direct value (天, 分钟, %, 分…) is the mean of the months entered.

A period is judged only when it has ended (the day after its last day) and has data; a growth
target needs last year's same period.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

COUNT_UNITS = frozenset({"人次", "例", "台次", "人", "元", "万元", "次", "床日", "件", "台"})
COMPARATORS = {
    ">=": lambda a, t: a >= t,
    ">": lambda a, t: a > t,
    "<=": lambda a, t: a <= t,
    "<": lambda a, t: a < t,
    "=": lambda a, t: a == t,
}
# Rates whose numerator may pass the denominator: 加床 puts 床位使用率 over 100% routinely,
# and a 完成率 of a quota can be beaten.
MAY_EXCEED_100 = re.compile(r"(?:床位使用率|病床使用率|床位占用率|完成率|周转率|增长率)$")
SYMBOLS = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "=": "＝"}


class Status(StrEnum):
    MET = "met"
    MISSED = "missed"
    OPEN = "open"  # the period has not ended
    NO_DATA = "no_data"  # ended, nothing entered
    NO_BASELINE = "no_baseline"  # growth target without last year's figure


LABELS = {
    Status.MET: "达标",
    Status.MISSED: "未达标",
    Status.OPEN: "进行中",
    Status.NO_DATA: "未填报",
    Status.NO_BASELINE: "缺上年数据",
}


@dataclass(frozen=True)
class Period:
    kind: str  # month / quarter / year
    year: int
    index: int  # month 1–12, quarter 1–4, 1 for the year

    @property
    def months(self) -> tuple[int, ...]:
        if self.kind == "month":
            return (self.index,)
        if self.kind == "quarter":
            return tuple(range(self.index * 3 - 2, self.index * 3 + 1))
        return tuple(range(1, 13))

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[-1]
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        if self.kind == "quarter":
            return f"{self.year}年第{self.index}季度"
        return f"{self.year}年"

    def last_year(self) -> Period:
        return Period(self.kind, self.year - 1, self.index)

    def previous(self) -> Period:
        if self.kind == "year" or self.index == 1:
            count = {"month": 12, "quarter": 4, "year": 1}[self.kind]
            return Period(self.kind, self.year - 1, count)
        return Period(self.kind, self.year, self.index - 1)


def periods_of_year(kind: str, year: int) -> list[Period]:
    count = {"month": 12, "quarter": 4, "year": 1}[kind]
    return [Period(kind, year, i) for i in range(1, count + 1)]


@dataclass(frozen=True)
class Entry:
    """One month's figure: ``value`` for a direct value, ``numerator``/``denominator`` for a
    rate."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class Definition:
    is_rate: bool
    factor: int  # rates: 100 → %, 1000 → ‰, 1 → a plain ratio
    unit: str
    comparator: str
    target: Decimal
    growth: Decimal | None = None  # percent over last year's same period


def sums_unit(unit: str) -> bool:
    return unit.strip() in COUNT_UNITS


def aggregate(d: Definition, entries: list[Entry]) -> Decimal | None:
    """The period's figure from its months' entries (missing months are skipped)."""
    if d.is_rate:
        pairs = [(e.numerator, e.denominator) for e in entries]
        pairs = [(n, m) for n, m in pairs if n is not None and m]
        if not pairs:
            return None
        num = sum((n for n, _ in pairs), Decimal(0))
        den = sum((m for _, m in pairs), Decimal(0))
        return round2(num / den * d.factor)
    values = [e.value for e in entries if e.value is not None]
    if not values:
        return None
    total = sum(values, Decimal(0))
    return round2(total if sums_unit(d.unit) else total / len(values))


def round2(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def effective_target(d: Definition, baseline: Decimal | None) -> Decimal | None:
    """The number to compare with: the target, or for a growth target last year's figure ×
    (1 + growth%) — None when last year is unknown."""
    if d.growth is None:
        return d.target
    if baseline is None:
        return None
    return round2(baseline * (1 + d.growth / 100))


def judge(d: Definition, actual: Decimal | None, target: Decimal | None) -> Status:
    if actual is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_BASELINE
    return Status.MET if COMPARATORS[d.comparator](actual, target) else Status.MISSED


@dataclass(frozen=True)
class Judged:
    period: Period
    actual: Decimal | None
    target: Decimal | None
    baseline: Decimal | None
    status: Status
    entered: int  # months with data
    partial: bool = False  # judged on the months so far (year-to-date)


def evaluate(
    d: Definition, period: Period, entries: dict[tuple[int, int], Entry], at: date
) -> Judged:
    """``entries`` by (year, month), this year's and last year's."""

    def figure(p: Period) -> tuple[Decimal | None, int]:
        found = [entries[(p.year, m)] for m in p.months if (p.year, m) in entries]
        return aggregate(d, found), len(found)

    actual, entered = figure(period)
    baseline = figure(period.last_year())[0] if d.growth is not None else None
    target = effective_target(d, baseline)
    status = Status.OPEN if at <= period.end else judge(d, actual, target)
    return Judged(period, actual, target, baseline, status, entered)


def year_to_date(
    d: Definition, year: int, entries: dict[tuple[int, int], Entry], at: date
) -> Judged:
    """The year so far: months that have ended by ``at`` (all twelve for a past year), judged
    against the target (growth: against last year's same months)."""
    last = 12 if at.year > year else max(0, at.month - 1) if at.year == year else 0
    months = [m for m in range(1, last + 1) if (year, m) in entries]
    actual = aggregate(d, [entries[(year, m)] for m in months])
    baseline = None
    if d.growth is not None:
        old = [entries[(year - 1, m)] for m in months if (year - 1, m) in entries]
        baseline = aggregate(d, old) if len(old) == len(months) else None
    target = effective_target(d, baseline)
    period = Period("year", year, 1)
    return Judged(period, actual, target, baseline, judge(d, actual, target), len(months), True)


def consecutive_misses(judged: list[Judged]) -> list[Judged]:
    """Periods missed right after a missed period (the alert rule: two in a row)."""
    return [
        b
        for a, b in zip(judged, judged[1:], strict=False)
        if a.status == Status.MISSED and b.status == Status.MISSED
    ]


def due_date(year: int, month: int, day: int) -> date:
    """The on-time limit for a month's figures: ``day`` of the next month."""
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(y, m, min(day, calendar.monthrange(y, m)[1]))


def fmt(value: Decimal | None) -> str:
    # Templates hand over "" for a figure that is missing (no last-year month, no row yet).
    if value is None or value == "":
        return "—"
    text = f"{Decimal(value).normalize():f}"
    return text
