"""API: 听课反馈 — the caller's received feedback, one observation's feedback, 已阅 and 回复;
听课任务 — the caller's own observation assignments (another's is 404).

An observation outside the caller's feedback circle (keshi.records.feedback_selectors) is 404;
已阅 or 回复 by anyone but the observed teacher is 403.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from keshi.org.api import Id, Pages, SearchText, text
from keshi.records import assignment_selectors, feedback_services
from keshi.records import feedback_selectors as fs
from keshi.records.feedback_services import REPLY_MAX
from keshi.records.models import Activity

router = Router(tags=["feedback"])


class ScoreOut(Schema):
    item: str
    score: str
    max: str


class FeedbackOut(Schema):
    id: int = Field(description="听课记录 id")
    date: dt.date
    observer: str = Field(description="听课教师")
    observed: str = Field(description="授课（被听课）教师")
    class_name: str = ""
    subject: str = ""
    topic: str = ""
    comments: str = Field("", description="评课意见")
    instrument: str = Field("", description="评价量表")
    total: Decimal | None = None
    max_total: Decimal | None = None
    percent: Decimal | None = Field(None, description="得分率（%）")
    level: str = ""
    scores: list[ScoreOut] = []
    acknowledged_at: dt.datetime | None = Field(None, description="已阅时间")
    reply: str = ""
    replied_at: dt.datetime | None = None


class ReplyIn(Schema):
    reply: text(REPLY_MAX)


def _out(activity: Activity) -> dict:
    fb = fs.feedback_of(activity)
    data = activity.data
    return {
        "id": activity.pk,
        "date": activity.date,
        "observer": activity.person.name,
        "observed": activity.observed.name,
        "class_name": str(data.get("class_name") or ""),
        "subject": str(data.get("subject") or ""),
        "topic": str(data.get("topic") or activity.title or ""),
        "comments": str(data.get("comments") or ""),
        "instrument": fb.rubric_data.get("name", "") if fb and fb.scored else "",
        "total": fb.total if fb else None,
        "max_total": fb.max_total if fb else None,
        "percent": fb.percent if fb else None,
        "level": fb.level if fb else "",
        "scores": [
            {"item": name, "score": str(score), "max": str(top)}
            for name, score, top in fs.scored_items(fb)
        ],
        "acknowledged_at": fb.acknowledged_at if fb else None,
        "reply": fb.reply if fb else "",
        "replied_at": fb.replied_at if fb else None,
    }


def _visible(request, activity_id: int) -> Activity:
    activity = fs.feedback_for(request.auth, activity_id)
    if activity is None:
        raise Http404
    return activity


@router.get("/feedback", response=list[FeedbackOut], summary="我收到的听课反馈")
@paginate(Pages)
def my_feedback(
    request,
    state: Annotated[
        Literal["new", "read"] | None, Query(description="new 未读 / read 已阅")
    ] = None,
    q: Annotated[SearchText | None, Query(description="听课教师、课题或评课意见")] = None,
):
    return [_out(a) for a in fs.received(request.auth, state=state or "", q=q or "")]


@router.get("/feedback/{activity_id}", response=FeedbackOut, summary="一条听课反馈")
def get_feedback(request, activity_id: Id):
    return _out(_visible(request, activity_id))


@router.post("/feedback/{activity_id}/acknowledge", response=FeedbackOut, summary="标记已阅")
def acknowledge(request, activity_id: Id):
    activity = _visible(request, activity_id)
    feedback_services.acknowledge(activity=activity, by=request.auth)
    return _out(_visible(request, activity_id))


@router.post("/feedback/{activity_id}/reply", response=FeedbackOut, summary="回复听课教师")
def reply(request, activity_id: Id, payload: ReplyIn):
    activity = _visible(request, activity_id)
    feedback_services.reply(activity=activity, by=request.auth, text=payload.reply)
    return _out(_visible(request, activity_id))


# ---- 听课任务 -------------------------------------------------------------------------------


class ObservationAssignmentOut(Schema):
    id: int
    purpose: str = Field(description="drop_in 推门听课 / demo 示范课听课")
    label: str = Field(description="如 推门听课·听王老师的课")
    teacher: str = Field(description="授课教师")
    start: dt.date
    due: dt.date
    lesson: str = Field("", description="课次（课表中有时）")
    state: Literal["open", "done", "overdue"] = Field(description="待完成 / 已完成 / 逾期")
    activity_id: int | None = Field(None, description="完成任务的听课记录 id")


def _assignment_out(a) -> dict:
    return {
        "id": a.pk,
        "purpose": a.purpose,
        "label": assignment_selectors.label(a),
        "teacher": a.teacher.name,
        "start": a.start,
        "due": a.due,
        "lesson": a.lesson,
        "state": a.state(timezone.localdate()),
        "activity_id": a.activity_id,
    }


@router.get(
    "/observation-assignments",
    response=list[ObservationAssignmentOut],
    summary="我的听课任务",
    tags=["observation-assignments"],
)
@paginate(Pages)
def my_assignments(
    request,
    state: Annotated[
        Literal["open", "done"] | None, Query(description="open 未完成（含逾期）/ done 已完成")
    ] = None,
):
    qs = assignment_selectors.my_assignments(request.auth).order_by("due", "pk")
    if state:
        qs = qs.filter(done_at__isnull=state == "open")
    return [_assignment_out(a) for a in qs]


@router.get(
    "/observation-assignments/{assignment_id}",
    response=ObservationAssignmentOut,
    summary="一项听课任务（本人的）",
    tags=["observation-assignments"],
)
def get_assignment(request, assignment_id: Id):
    found = assignment_selectors.my_assignments(request.auth).filter(pk=assignment_id).first()
    if found is None:
        raise Http404
    return _assignment_out(found)
