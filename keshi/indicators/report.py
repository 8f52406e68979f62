"""The monthly 质量与安全 report of one department (#24 item 5): each indicator's month against
target, last month and the same month last year, its status, the month's 未达标 items first,
and a chart per indicator over the year to date — a .docx in the org's words.

The data (:func:`month_report`) is a read with no access check: the caller has checked that the
user may have it (:func:`report_groups`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from keshi.documents.docx import DocBuilder
from keshi.indicators import measure
from keshi.indicators.forms import setup_groups
from keshi.indicators.models import Indicator
from keshi.indicators.selectors import Row, reporting, rows_for
from keshi.indicators.summary import IndicatorLine, indicator_chart_png, indicator_line
from keshi.org.glossary import glossary_for
from keshi.org.models import Group

# Order in the report: what needs the department's attention first.
STATUS_ORDER = {
    measure.Status.MISSED: 0,
    measure.Status.NO_DATA: 1,
    measure.Status.NO_BASELINE: 2,
    measure.Status.OPEN: 3,
    measure.Status.MET: 4,
}


def report_groups(user) -> QuerySet[Group]:
    """The departments whose monthly report ``user`` may have: the office's (all the
    departments of the orgs it manages) and the ones they head — those who answer for the
    figures, not every reader of them."""
    return setup_groups(user)


@dataclass
class MonthLine:
    line: IndicatorLine  # the year, for the chart
    direction: str  # 越高越好 / 越低越好
    target: str  # the month's target as text ("≥ 85%", a growth target's figure)
    actual: str
    last_month: str
    last_year: str  # the same month last year
    status: measure.Status
    missed_before: bool  # the month before was missed too (two in a row: an alert)

    @property
    def status_label(self) -> str:
        return measure.LABELS[self.status]


@dataclass
class MonthReport:
    group: Group
    year: int
    month: int
    at: date
    lines: list[MonthLine]  # 未达标 first, then 未填报, then the rest; plan order within
    reporting_rate: str
    on_time_rate: str

    @property
    def title(self) -> str:
        return f"{self.group.name}{self.year}年{self.month}月质量与安全报告"

    def count(self, status: measure.Status) -> int:
        return sum(line.status == status for line in self.lines)

    @property
    def missed(self) -> list[MonthLine]:
        return [line for line in self.lines if line.status == measure.Status.MISSED]


def month_report(group: Group, year: int, month: int, at: date | None = None) -> MonthReport:
    """``group``'s active indicators in ``month`` of ``year`` as of ``at`` (today); a month not
    over yet is 进行中 throughout (the page offers only months that have ended)."""
    at = at or timezone.localdate()
    indicators = list(
        Indicator.objects.filter(group=group, active=True)
        .select_related("group", "org")
        .order_by("position", "pk")
    )
    rows = rows_for(indicators, year, at)
    lines = [_line(row, month) for row in rows]
    lines.sort(key=lambda line: STATUS_ORDER[line.status])  # stable: plan order kept
    rates = reporting(indicators, year, min(at, _month_after(year, month)))
    rep = rates.get(group.pk)
    return MonthReport(
        group=group,
        year=year,
        month=month,
        at=at,
        lines=lines,
        reporting_rate=_pct(rep.rate if rep else None),
        on_time_rate=_pct(rep.on_time_rate if rep else None),
    )


def _line(row: Row, month: int) -> MonthLine:
    this = row.months[month - 1]
    before = row.months[month - 2] if month > 1 else row.last_year[11]
    ind = row.indicator
    target = (
        f"{measure.SYMBOLS[ind.definition(this.period.year).comparator]} "
        f"{measure.fmt(this.target)}{ind.display_unit}"
        if this.target is not None
        else ind.target_text(this.period.year)
    )
    return MonthLine(
        line=indicator_line(row),
        direction=ind.get_direction_display(),
        target=target,
        actual=_figure(this.actual, ind),
        last_month=_figure(before.actual, ind),
        last_year=_figure(row.last_year[month - 1].actual, ind),
        status=this.status,
        missed_before=this.status == before.status == measure.Status.MISSED,
    )


def _figure(value, ind: Indicator) -> str:
    return "—" if value is None else f"{measure.fmt(value)}{ind.display_unit}"


def _month_after(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1)


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


# ---- the document ----------------------------------------------------------------------------


def month_report_docx(report: MonthReport) -> bytes:
    """The report as a .docx: 概况, 未达标指标, 指标明细 (未达标 first), 指标趋势 (one chart each)."""
    org = report.group.org
    doc = DocBuilder(words=glossary_for(org.kind).text)
    at = report.at
    doc.title(report.title, subtitle=f"{org.name} · 统计至{at.year}年{at.month}月{at.day}日")
    doc.heading("一、概况")
    met, missed = report.count(measure.Status.MET), report.count(measure.Status.MISSED)
    no_data = report.count(measure.Status.NO_DATA)
    others = len(report.lines) - met - missed - no_data  # 进行中 (a month not over), 缺上年数据
    if report.lines:
        doc.paragraph(
            f"{report.month}月考核指标{len(report.lines)}项：达标{met}项，未达标{missed}项，"
            f"未填报{no_data}项{f'，尚未判定{others}项' if others else ''}。"
            f"本年截至{report.month}月，指标数据上报率{report.reporting_rate}，"
            f"及时率{report.on_time_rate}。"
        )
    else:
        doc.paragraph("本科室还没有启用的指标。")
    doc.heading("二、本月未达标指标")
    if report.missed:
        for n, line in enumerate(report.missed, start=1):
            again = "，已连续两个月未达标" if line.missed_before else ""
            doc.paragraph(
                f"{n}. {line.line.name}：本月{line.actual}，目标{line.target}（{line.direction}）；"
                f"上月{line.last_month}，去年同月{line.last_year}{again}。"
            )
    elif report.lines:
        all_met = met == len(report.lines)
        doc.paragraph("本月各项指标均已达标。" if all_met else "本月没有未达标的指标。")
    if report.lines:
        doc.heading("三、指标明细")
        doc.table(
            ["指标", "目标", "本月", "上月", "去年同月", "状态"],
            [
                (x.line.name, x.target, x.actual, x.last_month, x.last_year, x.status_label)
                for x in report.lines
            ],
            widths_cm=(4.2, 2.9, 2.4, 2.4, 2.4, 1.9),
            center_columns=(1, 2, 3, 4, 5),
        )
        doc.heading("四、指标趋势")
        doc.paragraph(f"各项指标{report.year}年1月至{report.month}月的实际值、目标值与上年同期。")
        for n, x in enumerate(report.lines, start=1):
            doc.picture(
                indicator_chart_png(x.line, report.year, months=report.month),
                caption=f"图{n} {x.line.name}（{report.year}年1—{report.month}月）",
            )
    return doc.to_bytes()
