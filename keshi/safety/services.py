"""Writes of 不良事件 reports; each validates and runs in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.org.models import Group, Org, Person
from keshi.safety import selectors
from keshi.safety.models import IncidentReport, Status


@transaction.atomic
def report_incident(
    *,
    reporter: Person,
    by,
    occurred_on: date,
    category: str,
    severity: str,
    title: str,
    description: str,
    department: Group | None = None,
    place: str = "",
    measures: str = "",
) -> IncidentReport:
    """A report by ``reporter`` (a hospital's staff member) from ``department`` — one of the
    groups they belong to; when none is given, their first 科室."""
    if reporter.org.kind != Org.Kind.HOSPITAL:
        raise ValidationError(_("不良事件上报只用于医院。"))
    mine = selectors.departments_of(reporter)
    if department is None:
        department = mine.first()
    elif not mine.filter(pk=department.pk).exists():
        raise ValidationError({"department": _("只能从本人所在的科室上报。")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("发生日期不能晚于今天。")})
    report = IncidentReport(
        org=reporter.org,
        department=department,
        reporter=reporter,
        occurred_on=occurred_on,
        place=place.strip(),
        category=category,
        severity=severity,
        title=title.strip(),
        description=description.strip(),
        measures=measures.strip(),
        created_by=by,
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def handle_report(*, report: IncidentReport, by, status: str, handling: str) -> IncidentReport:
    """The 医务科 accepts a report or closes it with its 处理意见."""
    if not selectors.handles(by, report):
        raise PermissionDenied(_("只有医务科可以处理不良事件报告。"))
    if status not in (Status.ACCEPTED, Status.CLOSED):
        raise ValidationError({"status": _("请选择“受理”或“处理完毕”。")})
    if status == Status.CLOSED and not handling.strip():
        raise ValidationError({"handling": _("处理完毕请填写处理意见。")})
    report = IncidentReport.objects.select_for_update().get(pk=report.pk)
    report.status, report.handling = status, handling.strip()
    report.handled_by, report.handled_at = by, timezone.now()
    report.save()
    return report
