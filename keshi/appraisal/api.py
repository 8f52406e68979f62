"""Read API for the points ledger (``/api/v1/appraisal/points``) and the point rules.

Entries go through :func:`keshi.org.scoping.visible`: a teacher gets their own, a group lead
their members', office/leader/district their orgs'. Invisible rows are 404.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from keshi.appraisal import selectors
from keshi.appraisal.models import PointEntry, PointRule, Source
from keshi.org.api import MAX_ID, Id, Pages, SearchText

router = Router(tags=["appraisal"])

SourceCode = Literal[tuple(Source.values)]


class PersonRef(Schema):
    id: int
    name: str


class RuleOut(Schema):
    id: int
    org: str = Field(description="单位代码")
    name: str
    trigger: Literal[tuple(PointRule.Trigger.values)]
    requirement_id: int | None
    kind: str | None = Field(description="记录类型代码")
    keyword: str
    award_level: str
    contest_kind: str
    inspection_kind: str = Field(description="检查类型（空=任一类型），检查结果规则")
    inspection_level: str = Field(description="检查等级，检查结果规则")
    percent_min: Decimal | None = Field(description="得分率下限（%，含本数）")
    percent_max: Decimal | None = Field(description="得分率上限（%，含本数）")
    points: Decimal | None
    reimbursable: bool
    reimbursement_note: str
    active: bool

    @staticmethod
    def resolve_org(obj: PointRule) -> str:
        return obj.org.code

    @staticmethod
    def resolve_kind(obj: PointRule) -> str | None:
        return obj.kind.code if obj.kind_id else None


class PointOut(Schema):
    id: int
    person: PersonRef
    date: date
    points: Decimal
    reason: str
    source: SourceCode
    rule_id: int | None
    reimbursable: bool = Field(description="按规则可报销（如参赛费）")
    reimbursement_note: str

    @staticmethod
    def resolve_reimbursable(obj: PointEntry) -> bool:
        return bool(obj.rule_id and obj.rule.reimbursable)

    @staticmethod
    def resolve_reimbursement_note(obj: PointEntry) -> str:
        return obj.rule.reimbursement_note if obj.rule_id else ""


@router.get("/appraisal/points", response=list[PointOut], summary="考核加分台账")
@paginate(Pages)
def list_points(
    request,
    person: Annotated[int | None, Query(ge=1, le=MAX_ID, description="教师 id")] = None,
    source: SourceCode | None = None,
    start: Annotated[date | None, Query(description="起始日期（含）")] = None,
    end: Annotated[date | None, Query(description="结束日期（含）")] = None,
    q: Annotated[SearchText | None, Query(description="教师姓名")] = None,
):
    qs = selectors.entries_for(request.auth)
    if person:
        qs = qs.filter(person_id=person)
    if source:
        qs = qs.filter(source=source)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if q:
        qs = qs.filter(person__name__contains=q)
    return qs


@router.get("/appraisal/points/{entry_id}", response=PointOut, summary="一条考核加分")
def get_point(request, entry_id: Id):
    return get_object_or_404(selectors.entries_for(request.auth), pk=entry_id)


@router.get("/appraisal/rules", response=list[RuleOut], summary="加分规则")
@paginate(Pages)
def list_rules(request, active: bool | None = None):
    qs = selectors.rules_for(request.auth).select_related("org")
    if active is not None:
        qs = qs.filter(active=active)
    return qs
