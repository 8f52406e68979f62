"""API for 不良事件 reports (``/api/v1/incident-reports``): the same confidentiality as the pages
(keshi.safety.selectors.reports_for) — a report the caller may not read answers 404."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from keshi.org.api import Id, Pages, SearchText, text
from keshi.safety import selectors, services
from keshi.safety.models import Category, Severity
from keshi.safety.models import Status as ReportStatus

router = Router(tags=["safety"])

CategoryCode = Literal[tuple(Category.values)]
SeverityCode = Literal[tuple(Severity.values)]
StatusCode = Literal[tuple(ReportStatus.values)]


class ReportOut(Schema):
    id: int
    org: str = Field(alias="org.code")
    department: str | None = Field(None, alias="department.name")
    reporter: str = Field(alias="reporter.name")
    occurred_on: date
    place: str
    category: CategoryCode
    severity: SeverityCode
    title: str
    description: str
    measures: str
    status: StatusCode
    handling: str
    handled_at: datetime | None
    created_at: datetime


class ReportIn(Schema):
    occurred_on: date
    category: CategoryCode
    severity: SeverityCode
    title: text(200, 1)
    description: text(10000, 1)
    place: text(100) = ""
    measures: text(10000) = ""
    department_id: int | None = Field(None, ge=1, le=2**31 - 1)


def _rows(user):
    return selectors.reports_for(user).select_related("org", "department", "reporter")


@router.get("/incident-reports", response=list[ReportOut], summary="我可查看的不良事件报告")
@paginate(Pages)
def list_reports(
    request,
    q: Annotated[SearchText | None, Query(description="事件简述或经过")] = None,
    status: StatusCode | None = None,
):
    qs = _rows(request.auth)
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(description__icontains=q)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-occurred_on", "-pk")


@router.get("/incident-reports/{report_id}", response=ReportOut, summary="一份不良事件报告")
def get_report(request, report_id: Id):
    return get_object_or_404(_rows(request.auth), pk=report_id)


@router.post("/incident-reports", response={201: ReportOut}, summary="上报不良事件（本人）")
def create_report(request, payload: ReportIn):
    reporter = selectors.reporter_of(request.auth)
    if reporter is None:
        raise PermissionDenied("只有医院的职工本人可以上报不良事件。")
    values = payload.dict()
    department_id = values.pop("department_id")
    department = None
    if department_id is not None:
        department = get_object_or_404(selectors.departments_of(reporter), pk=department_id)
    report = services.report_incident(
        reporter=reporter, by=request.auth, department=department, **values
    )
    return Status(201, _rows(request.auth).get(pk=report.pk))
