"""API: absences (scoped), one absence with its lessons and covers, my cover duties, decisions.

Rows the caller may not read answer 404; a decision on someone else's request answers 403.
"""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from keshi.cover import selectors, services
from keshi.cover.models import Absence, Cover
from keshi.org.api import Id, Pages, SearchText, text
from keshi.org.scoping import scope_for, visible

router = Router(tags=["cover"])

HalfCode = Literal["am", "pm"]
CoverKind = Literal[tuple(Cover.Kind.values)]
CoverStatus = Literal[tuple(Cover.Status.values)]


class AbsenceOut(Schema):
    id: int
    person_id: int
    person: str = Field(description="教师姓名")
    kind: str
    title: str
    start_date: dt.date
    start_half: HalfCode
    end_date: dt.date
    end_half: HalfCode
    reference: str

    @staticmethod
    def resolve_person(obj: Absence) -> str:
        return obj.person.name


class CoverOut(Schema):
    id: int
    absence_id: int
    absent_person: str = Field(description="外出教师")
    kind: CoverKind
    status: CoverStatus
    date: dt.date | None = None
    period: int | None = Field(None, description="节次")
    class_name: str = ""
    subject: str = ""
    cover_person_id: int
    cover_person: str
    swap_date: dt.date | None = None
    swap_period: int | None = None
    warnings: str = ""
    note: str = ""

    @staticmethod
    def resolve_absent_person(obj: Cover) -> str:
        return obj.absence.person.name

    @staticmethod
    def resolve_period(obj: Cover) -> int | None:
        return obj.entry.period if obj.entry_id else None

    @staticmethod
    def resolve_class_name(obj: Cover) -> str:
        if obj.entry_id:
            return obj.entry.class_name
        return obj.homeroom.class_name if obj.homeroom_id else ""

    @staticmethod
    def resolve_subject(obj: Cover) -> str:
        return obj.entry.subject if obj.entry_id else ""

    @staticmethod
    def resolve_cover_person(obj: Cover) -> str:
        return obj.cover_person.name

    @staticmethod
    def resolve_swap_period(obj: Cover) -> int | None:
        return obj.swap_entry.period if obj.swap_entry_id else None


class LessonOut(Schema):
    date: dt.date
    half: HalfCode
    period: int
    class_name: str
    subject: str
    cover: CoverOut | None = None


class AbsenceDetail(AbsenceOut):
    cover_kind: CoverKind = Field(description="swap 调课 / substitute 代课")
    school_days: int
    lessons: list[LessonOut]


class DecisionIn(Schema):
    accept: bool
    note: text(200) = ""


def _covers(user):
    return visible(user, Cover.objects.all()).select_related(
        "absence__person", "entry", "homeroom", "cover_person", "swap_entry"
    )


@router.get("/cover/absences", response=list[AbsenceOut], summary="可见的外出/请假")
@paginate(Pages)
def list_absences(
    request,
    reference: Annotated[text(50) | None, Query(description="来源，如 dispatch:12")] = None,
    q: Annotated[SearchText | None, Query(description="教师姓名或事由")] = None,
):
    return selectors.visible_absences(request.auth, reference=reference or "", q=q or "")


@router.get("/cover/absences/{absence_id}", response=AbsenceDetail, summary="外出详情与需安排的课")
def get_absence(request, absence_id: Id):
    absence = get_object_or_404(selectors.visible_absences(request.auth), pk=absence_id)
    absence.cover_kind = selectors.cover_kind(absence)
    absence.school_days = selectors.days_away(absence)
    absence.lessons = [
        {
            "date": n.date,
            "half": n.half,
            "period": n.entry.period,
            "class_name": n.entry.class_name,
            "subject": n.entry.subject,
            "cover": n.cover,
        }
        for n in selectors.lessons_to_cover(absence)
    ]
    for lesson in absence.lessons:
        if lesson["cover"] is not None:
            lesson["cover"].absence = absence
    return absence


@router.get("/cover/mine", response=list[CoverOut], summary="我的代课/调课（含待我确认的请求）")
@paginate(Pages)
def my_covers(request, status: CoverStatus | None = None):
    person_id = scope_for(request.auth).person_id
    rows = _covers(request.auth).filter(cover_person_id=person_id).order_by("date", "pk")
    return rows.filter(status=status) if status else rows


@router.post("/cover/covers/{cover_id}/decision", response=CoverOut, summary="同意或婉拒调课请求")
def decide(request, cover_id: Id, payload: DecisionIn):
    cover = get_object_or_404(_covers(request.auth), pk=cover_id)
    if cover.cover_person_id != scope_for(request.auth).person_id:
        raise PermissionDenied
    services.decide_cover(cover=cover, accept=payload.accept, by=request.auth, note=payload.note)
    return _covers(request.auth).get(pk=cover.pk)
