"""The indicators' part of the 工作总结: each department's indicators with the year's figures,
and a chart per indicator (PNG, for the Word document)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from keshi.documents.charts import line_chart
from keshi.indicators import measure
from keshi.indicators.models import Indicator
from keshi.indicators.selectors import Row, reporting, rows_for
from keshi.org.models import Org


@dataclass
class IndicatorLine:
    department: str
    name: str
    unit: str
    target: str
    months: list[str]  # twelve figures as text ("—" when missing)
    year_value: str
    year_status: str
    met: int
    missed: int
    series: list[float | None]  # for the chart
    last_year: list[float | None]
    targets: list[float | None]


@dataclass
class IndicatorSummary:
    org: Org
    year: int
    at: date
    lines: list[IndicatorLine]
    reporting: list[tuple[str, str, str]]  # department, 上报率, 及时率

    @property
    def headline(self) -> str:
        met = sum(line.year_status == measure.LABELS[measure.Status.MET] for line in self.lines)
        return f"{self.year}年共考核指标{len(self.lines)}项，全年达标{met}项。"


def indicator_summary(org: Org, year: int, at: date | None = None) -> IndicatorSummary:
    """The data; ``at`` defaults to the day after the year (the whole year judged). The caller
    has already checked that the user reads ``org``."""
    at = at or date(year + 1, 1, 1)
    indicators = list(
        Indicator.objects.filter(org__path__startswith=org.path, active=True).select_related(
            "group", "org"
        )
    )
    lines = [indicator_line(row) for row in rows_for(indicators, year, at)]
    rates = reporting(indicators, year, at)
    table = [
        (r.group.name, _pct(r.rate), _pct(r.on_time_rate))
        for r in sorted(rates.values(), key=lambda r: r.group.name)
    ]
    return IndicatorSummary(org, year, at, lines, table)


def indicator_line(row: Row) -> IndicatorLine:
    """One indicator's year as the documents print it (figures as text, series for charts)."""
    ind, year = row.indicator, row.ytd.period.year
    return IndicatorLine(
        department=ind.group.name,
        name=ind.name,
        unit=ind.display_unit,
        target=ind.target_text(year),
        months=[measure.fmt(j.actual) for j in row.months],
        year_value=measure.fmt(row.ytd.actual),
        year_status=measure.LABELS[row.ytd.status],
        met=sum(p.status == measure.Status.MET for p in row.periods),
        missed=row.missed,
        series=[_f(j.actual) for j in row.months],
        last_year=[_f(j.actual) for j in row.last_year],
        targets=[_f(j.target) for j in row.months],
    )


def _f(value) -> float | None:
    return None if value is None else float(value)


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def indicator_chart_png(line: IndicatorLine, year: int, *, months: int = 12) -> bytes:
    """本年、上年 and the target per month, as a line chart; ``months`` < 12 draws the year to
    date (1月 to that month: the monthly 质量与安全 report)."""
    labels = [f"{m}月" for m in range(1, months + 1)]
    series = [
        (f"{year}年", line.series[:months]),
        (f"{year - 1}年", line.last_year[:months]),
        ("目标", line.targets[:months]),
    ]
    return line_chart(
        labels,
        series,
        title=f"{line.department} · {line.name}",
        ylabel=line.unit,
        percent=False,
        highlight=f"{year}年",
    )
