"""The monthly 质量与安全 report as a download: for the department's head and the office only
(``report.report_groups``); anyone else gets a 404, as for a department they cannot see. Only
a month that has ended is reported (its figures are due in the next month)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from keshi.documents.http import download
from keshi.indicators import report
from keshi.web.params import query_id


def last_month(year: int, today: date) -> int | None:
    """The month a report of ``year`` opens on: the last one ended (None: none has yet)."""
    if year < today.year:
        return 12
    if year == today.year and today.month > 1:
        return today.month - 1
    return None


def _month(request, year: int, today: date) -> int:
    """The month asked for, which must have ended: a month is reported once it is over."""
    raw = request.GET.get("month") or ""
    month = int(raw) if raw.isdigit() else last_month(year, today)
    if month is None or not 1 <= month <= 12:
        raise Http404
    if date(year + (month == 12), month % 12 + 1, 1) > today:
        raise Http404
    return month


@login_required
def month_report(request):
    group = get_object_or_404(
        report.report_groups(request.user).select_related("org"), pk=query_id(request, "group")
    )
    today = timezone.localdate()
    raw_year = request.GET.get("year") or ""
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else today.year
    data = report.month_report(group, year, _month(request, year, today), today)
    return download(report.month_report_docx(data), f"{data.title}.docx")
