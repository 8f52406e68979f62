"""API for training dispatches (``/api/v1/dispatches``, ``/dispatch-requests``,
``/dispatch-obligations``, ``/dispatch-notices``).

Reads go through keshi.dispatch.selectors (keshi.org.scoping underneath): a dispatch the caller
may not read answers 404 like one that does not exist.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from keshi.dispatch import notice, selectors, services, states
from keshi.dispatch.models import Dispatch, Half, Level, NoticePart
from keshi.org.api import Id, Pages, SearchText, text
from keshi.org.models import Person
from keshi.org.scoping import scope_for

router = Router(tags=["dispatch"])

DispatchState = Literal[tuple(states.LABELS)]
DispatchLevel = Literal[tuple(Level.values)]
HalfDay = Literal[tuple(Half.values)]


class TeacherOut(Schema):
    person_id: int
    name: str = Field(alias="person.name")
    returned_at: datetime | None
    attendance_confirmed_at: datetime | None


class ObligationOut(Schema):
    id: int
    dispatch_id: int
    person_id: int
    kind: str
    label: str
    min_chars: int | None
    due_date: date
    met_at: datetime | None
    activity_id: int | None


class DispatchOut(Schema):
    id: int
    serial: str
    org: str = Field(alias="org.code")
    title: str
    organiser: str
    level: DispatchLevel
    place: str
    cross_province: bool
    start_date: date
    start_half: HalfDay
    end_date: date
    end_half: HalfDay
    hours: Decimal
    credits: Decimal
    reimbursable: bool
    state: DispatchState
    state_label: str


class DispatchDetail(DispatchOut):
    cost_estimate: Decimal
    request_comment: str
    return_comment: str
    teachers: list[TeacherOut]
    obligations: list[ObligationOut] = Field(alias="obligations_list")


class RequestIn(Schema):
    title: text(200, 1)
    organiser: text(200, 1)
    level: DispatchLevel
    place: text(200, 1)
    cross_province: bool = False
    start_date: date
    start_half: HalfDay = "am"
    end_date: date
    end_half: HalfDay = "pm"
    hours: Annotated[Decimal, Field(gt=0, le=10000, decimal_places=1)]
    credits: Annotated[Decimal, Field(ge=0, le=10000, decimal_places=1)] = Decimal(0)
    professional: bool = True
    cost_estimate: Annotated[Decimal, Field(ge=0, le=10**7, decimal_places=2)] = Decimal(0)
    reimbursable: bool = True
    request_comment: text(2000) = ""


def _detail(user, dispatch: Dispatch) -> Dispatch:
    dispatch.teachers = list(selectors.visible_members(user, dispatch))
    dispatch.obligations_list = list(selectors.obligations_for(user, dispatch))
    return dispatch


@router.get("/dispatches", response=list[DispatchOut], summary="可见的外出培训派遣")
@paginate(Pages)
def list_dispatches(
    request,
    q: Annotated[SearchText | None, Query(description="培训名称或主办单位")] = None,
    state: DispatchState | None = None,
):
    qs = selectors.dispatches_for(request.auth).order_by("-start_date", "-pk")
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(organiser__icontains=q)
    if state:
        qs = qs.filter(state=state)
    return qs


@router.get("/dispatches/{dispatch_id}", response=DispatchDetail, summary="派遣详情")
def get_dispatch(request, dispatch_id: Id):
    dispatch = get_object_or_404(selectors.dispatches_for(request.auth), pk=dispatch_id)
    return _detail(request.auth, dispatch)


@router.post(
    "/dispatch-requests",
    response={201: DispatchDetail},
    summary="教师申请外出培训（待教科室审批）",
)
def request_dispatch(request, payload: RequestIn):
    scope = scope_for(request.auth)
    person = Person.objects.filter(pk=scope.person_id).select_related("org").first()
    if person is None:
        raise PermissionDenied("只有教师本人可以申请外出培训。")
    try:
        dispatch = services.create_dispatch(
            org=person.org,
            by=request.auth,
            teachers=[person],
            direct=False,
            requested_by=person,
            **payload.dict(),
        )
    except states.TransitionRefused as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(201, _detail(request.auth, dispatch))


@router.get("/dispatch-obligations", response=list[ObligationOut], summary="我的外出培训后续任务")
@paginate(Pages)
def my_obligations(
    request, open: Annotated[bool | None, Query(description="只看未完成且已生效的")] = None
):
    scope = scope_for(request.auth)
    person = Person.objects.filter(pk=scope.person_id).first()
    if person is None:
        return []
    if open:
        return selectors.open_obligations(person)
    return selectors.obligations_of(person)


class NoticePartOut(Schema):
    id: int
    dispatch_id: int
    serial: str = Field(alias="dispatch.serial")
    title: str = Field(alias="dispatch.title")
    part: int
    part_label: str = Field(description="第一联 培训教师本人…")
    receiver: str
    code: str = Field(description="校验码：与编号一起可在 /dispatch/verify/ 核验")
    acknowledged_at: datetime | None
    may_acknowledge: bool

    @staticmethod
    def resolve_part_label(obj: NoticePart) -> str:
        return obj.get_part_display()

    @staticmethod
    def resolve_receiver(obj: NoticePart) -> str:
        return str(obj.receiver)

    @staticmethod
    def resolve_code(obj: NoticePart) -> str:
        return notice.code(obj.dispatch, obj)

    @staticmethod
    def resolve_may_acknowledge(obj: NoticePart, context) -> bool:
        return selectors.can_acknowledge(context["request"].auth, obj)


@router.get("/dispatch-notices", response=list[NoticePartOut], summary="四联培训通知（可见的联）")
@paginate(Pages)
def list_notices(
    request,
    pending: Annotated[bool | None, Query(description="只看待我签收的")] = None,
    dispatch: Annotated[Id | None, Query(description="只看某次派遣")] = None,
):
    parts = selectors.notice_parts_for(request.auth).order_by("-dispatch__start_date", "part")
    if dispatch:
        parts = parts.filter(dispatch_id=dispatch)
    if pending:
        return [p for p in parts.filter(acknowledged_at__isnull=True)
                if selectors.can_acknowledge(request.auth, p)]  # fmt: skip
    return parts


@router.post(
    "/dispatch-notices/{part_id}/acknowledge", response=NoticePartOut, summary="签收一联通知"
)
def acknowledge_notice(request, part_id: Id):
    part = get_object_or_404(selectors.notice_parts_for(request.auth), pk=part_id)
    if not selectors.can_acknowledge(request.auth, part):
        raise PermissionDenied("这一联不是发给您的，或已经签收。")
    services.acknowledge(part=part, by=request.auth)
    part.refresh_from_db()
    return part
