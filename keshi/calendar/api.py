"""API for terms and their teaching weeks (``/api/v1/terms``)."""

from datetime import date
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from keshi.calendar import lifecycle_services
from keshi.calendar.models import Term
from keshi.calendar.selectors import (
    TeachingWeek,
    teaching_week,
    teaching_weeks,
    term_day_calendar,
)
from keshi.org.api import Id, SearchText
from keshi.org.scoping import visible

router = Router(tags=["terms"])


class TermOut(Schema):
    id: int
    org: str = Field(description="单位代码")
    name: str = Field(description="如 2025—2026学年第一学期")
    school_year: int = Field(description="学年起始年份")
    number: Literal[tuple(Term.Number.values)]
    start: date
    end: date
    closed: bool = Field(description="已关闭：该学期的数据只能查看")

    @staticmethod
    def resolve_closed(obj: Term) -> bool:
        return obj.closed_at is not None

    @staticmethod
    def resolve_org(obj: Term) -> str:
        return obj.school_year.org.code

    @staticmethod
    def resolve_name(obj: Term) -> str:
        return str(obj)

    @staticmethod
    def resolve_school_year(obj: Term) -> int:
        return obj.school_year.start_year


class CalendarDayOut(Schema):
    date: date
    name: str = Field(description="节日名称；调休上班日为所补的节日")


class WeekOut(Schema):
    number: int = Field(description="第N周")
    monday: date
    sunday: date
    start: date = Field(description="该周在学期内的第一天")
    end: date = Field(description="该周在学期内的最后一天")
    workdays: int = Field(description="学期内的工作日数（含调休上班）")
    holidays: list[CalendarDayOut] = Field(description="学期内的放假日")
    adjusted_workdays: list[CalendarDayOut] = Field(description="调休上班日")


class TermDetail(TermOut):
    weeks: list[WeekOut]
    current_week: int | None = Field(description="今天是第几周（不在学期内为 null）")
    calendar_warning: str | None = Field(
        description="节假日数据未覆盖的年份提示（chinese-calendar 尚无该年数据且无人工调整时）"
    )


def _week(week: TeachingWeek) -> WeekOut:
    inside = [d for d in week.days if d is not None]
    return WeekOut(
        number=week.number,
        monday=week.monday,
        sunday=week.sunday,
        start=inside[0].date,
        end=inside[-1].date,
        workdays=week.workdays,
        holidays=[CalendarDayOut(date=d.date, name=d.name) for d in week.holidays],
        adjusted_workdays=[
            CalendarDayOut(date=d.date, name=d.name) for d in week.adjusted_workdays
        ],
    )


def _terms(user):
    return visible(user, Term.objects.select_related("school_year__org"))


@router.get("/terms", response=list[TermOut], summary="可见的学期")
def list_terms(request, org: Annotated[SearchText | None, Query(description="单位代码")] = None):
    terms = _terms(request.auth)
    if org:
        terms = terms.filter(school_year__org__code=org)
    return terms.order_by("school_year__org__path", "-start")


@router.get("/terms/{term_id}", response=TermDetail, summary="学期详情与教学周")
def get_term(request, term_id: Id):
    term = get_object_or_404(_terms(request.auth), pk=term_id)
    days = term_day_calendar(term)
    term.weeks = [_week(w) for w in teaching_weeks(term, days)]
    term.calendar_warning = days.warning
    term.current_week = teaching_week(term, timezone.localdate())
    return term


@router.post("/terms/{term_id}/close", response=TermOut, summary="关闭学期（教科室；之后只能查看）")
def close_term(request, term_id: Id):
    term = get_object_or_404(_terms(request.auth), pk=term_id)
    return lifecycle_services.close_term(user=request.auth, term=term)


@router.post("/terms/{term_id}/reopen", response=TermOut, summary="重新开放已关闭的学期（教科室）")
def reopen_term(request, term_id: Id):
    term = get_object_or_404(_terms(request.auth), pk=term_id)
    return lifecycle_services.reopen_term(user=request.auth, term=term)
