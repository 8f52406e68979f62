"""Read API for contests (``/api/v1/contests``) and a judge's blind work (``/api/v1/judging``).

Blindness is the point: a judge's rows come from
:func:`keshi.contests.selectors.judge_assignments` and carry the entry code, never the title,
the author or the original file name. Entries with their authors appear only to the contest's
office, and to everyone of the org once the results are published (公示) — as on the pages.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from keshi.contests import selectors
from keshi.contests.models import Assignment, Contest, Entry
from keshi.org.api import Id, Pages, SearchText

router = Router(tags=["contests"])

Kind = Literal[tuple(Contest.Kind.values)]
Phase = Literal[tuple(Contest.Phase.values)]
AwardLevel = Literal["first", "second", "third", "merit", ""]


class QuotaOut(Schema):
    level: str
    label: str
    quota: int


class ContestOut(Schema):
    id: int
    org: str = Field(description="单位代码")
    title: str
    kind: Kind
    phase: Phase = Field(
        description="报名 signup → 提交 submit → 评审 review → 公示 notice → 结果 result"
    )
    aggregation: Literal["mean", "trimmed_mean"]
    judges_per_entry: int
    signup_start: date | None
    submit_start: date | None
    review_start: date | None
    notice_start: date | None
    result_date: date | None
    rubric_frozen: bool = Field(description="评审开始后评分表冻结")

    @staticmethod
    def resolve_org(obj: Contest) -> str:
        return obj.org.code


class EntryOut(Schema):
    code: str
    title: str
    author: str
    score: Decimal | None
    rank: int | None
    award: AwardLevel
    award_label: str

    @staticmethod
    def resolve_author(obj: Entry) -> str:
        return obj.author_name

    @staticmethod
    def resolve_award_label(obj: Entry) -> str:
        return obj.get_award_display()


class ContestDetail(ContestOut):
    quotas: list[QuotaOut]
    entries: list[EntryOut] | None = Field(
        description="本单位教科室随时可见；其他人在公示后可见（含作者）；否则为空"
    )

    @staticmethod
    def resolve_quotas(obj: Contest) -> list[dict]:
        return [
            {"level": key, "label": str(label), "quota": getattr(obj, f"quota_{key}")}
            for key, label in Contest.LEVELS
        ]

    @staticmethod
    def resolve_entries(obj: Contest) -> list[Entry] | None:
        return obj.visible_entries  # set by get_contest


class CriterionOut(Schema):
    key: str
    name: str
    max: Decimal


class AssignmentOut(Schema):
    """What a judge sees: the code only."""

    id: int
    contest_id: int
    contest_title: str
    entry_code: str
    total: Decimal | None
    scored_at: datetime | None
    document_url: str | None = Field(description="匿名副本（去除作者姓名）的下载地址")

    @staticmethod
    def resolve_contest_id(obj: Assignment) -> int:
        return obj.entry.contest_id

    @staticmethod
    def resolve_contest_title(obj: Assignment) -> str:
        return obj.entry.contest.title

    @staticmethod
    def resolve_entry_code(obj: Assignment) -> str:
        return obj.entry.code

    @staticmethod
    def resolve_document_url(obj: Assignment) -> str | None:
        if not obj.entry.document:
            return None
        return reverse("contests:judge_document", args=[obj.pk])


class AssignmentDetail(AssignmentOut):
    criteria: list[CriterionOut]
    scores: dict[str, str]
    comment: str


@router.get("/contests", response=list[ContestOut], summary="可见的评比")
@paginate(Pages)
def list_contests(
    request,
    q: Annotated[SearchText | None, Query(description="评比名称")] = None,
    kind: Kind | None = None,
    phase: Phase | None = None,
):
    qs = selectors.contests_for(request.auth, q or "")
    if kind:
        qs = qs.filter(kind=kind)
    if phase:
        qs = qs.filter(phase=phase)
    return qs


@router.get("/contests/{contest_id}", response=ContestDetail, summary="评比详情")
def get_contest(request, contest_id: Id):
    contest = get_object_or_404(selectors.contests_for(request.auth), pk=contest_id)
    contest.visible_entries = (
        list(selectors.ranking(contest))
        if selectors.may_see_ranking(request.auth, contest)
        else None
    )
    return contest


@router.get("/judging", response=list[AssignmentOut], summary="我的评审任务（匿名）")
@paginate(Pages)
def list_assignments(
    request,
    contest: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="评比 id")] = None,
    pending: Annotated[bool | None, Query(description="只看未评分的")] = None,
):
    qs = selectors.judge_assignments(request.auth)
    if contest:
        qs = qs.filter(entry__contest_id=contest)
    if pending:
        qs = qs.filter(total__isnull=True)
    return qs


@router.get("/judging/{assignment_id}", response=AssignmentDetail, summary="评审任务详情（匿名）")
def get_assignment(request, assignment_id: Id):
    assignment = get_object_or_404(selectors.judge_assignments(request.auth), pk=assignment_id)
    contest = Contest.objects.select_related("rubric").get(pk=assignment.entry.contest_id)
    assignment.criteria = [
        {"key": c.key, "name": c.name, "max": c.max} for c in contest.criteria_list()
    ]
    return assignment
