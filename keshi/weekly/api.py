"""API: the 每周工作安排 of one teaching week (``/api/v1/weekly-schedule``), as the page shows it.

An org the caller may not read, or a week not yet published for a teacher, answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import Http404
from ninja import Query, Router, Schema

from keshi.org.api import Id
from keshi.weekly import selectors
from keshi.weekly.sheet import Sheet

router = Router(tags=["weekly"])


class LineOut(Schema):
    kind: str
    kind_label: str
    text: str
    when: str
    details: list[str]
    warning: bool


class ScheduleDayOut(Schema):
    date: dt.date
    weekday: str
    is_workday: bool
    remark: str
    note: str
    lines: list[LineOut]


class SheetOut(Schema):
    org: str
    term_id: int
    week: int
    monday: dt.date
    sunday: dt.date
    title: str
    published: bool
    band: list[LineOut]
    days: list[ScheduleDayOut]


def sheet_data(sheet: Sheet, org_code: str, term_id: int) -> dict:
    """The sheet as plain data (the API and ``keshi weekly-schedule --format json``)."""

    def line(ln) -> dict:
        return {
            "kind": ln.kind,
            "kind_label": ln.kind_label,
            "text": ln.text,
            "when": ln.when,
            "details": list(ln.details),
            "warning": ln.warning,
        }

    return {
        "org": org_code,
        "term_id": term_id,
        "week": sheet.week,
        "monday": sheet.monday,
        "sunday": sheet.sunday,
        "title": sheet.title,
        "published": sheet.published,
        "band": [line(ln) for ln in sheet.band],
        "days": [
            {
                "date": d.date,
                "weekday": d.weekday,
                "is_workday": d.is_workday,
                "remark": d.remark,
                "note": d.note,
                "lines": [line(ln) for ln in d.lines],
            }
            for d in sheet.days
        ],
    }


@router.get("/weekly-schedule", response=SheetOut, summary="每周工作安排（某教学周）")
def weekly_schedule(
    request,
    org: Annotated[str | None, Query(description="单位代码，默认本人单位")] = None,
    term: Annotated[Id | None, Query(description="学期 id，默认当前学期")] = None,
    week: Annotated[int | None, Query(ge=1, le=60, description="第N周，默认本周")] = None,
):
    user = request.auth
    found, chosen = selectors.chosen(user, org, term)
    if chosen is None:
        raise Http404
    number = week or selectors.default_week(chosen)
    teaching_week = selectors.week_of(chosen, number)
    if teaching_week is None:
        raise Http404
    schedule = selectors.schedule_of(found, chosen, number)
    if not (schedule and schedule.is_published or selectors.may_read_drafts(user, found)):
        raise Http404
    sheet = selectors.build_sheet(found, chosen, teaching_week, schedule)
    return sheet_data(sheet, found.code, chosen.pk)
