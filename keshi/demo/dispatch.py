"""Demo training dispatches for the main school: one in every state, placed around ``today``
(Mondays before and after it, inside the current term), among them a three-day 跨省 trip with
the ``teacher`` login and a colleague, both back: the teacher has given the 汇报课 and owes the
心得 and the news; the colleague has only reported — both blocked from reimbursement.
Idempotent: a dispatch is looked up by its title."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from keshi.calendar.models import Term
from keshi.dispatch import rules, services, states
from keshi.dispatch.models import Dispatch
from keshi.org.models import Org, Person


@dataclass(frozen=True)
class Trip:
    title: str
    organiser: str
    level: str
    place: str
    weeks: int  # Mondays from this week's Monday
    days: int
    hours: int
    cross_province: bool = False
    reimbursable: bool = True
    target: str = states.DISPATCHED
    teachers: int = 1  # how many of the chosen teachers go


TRIPS = (
    Trip("长三角语文核心素养教学研讨会", "长三角教育发展研究院", "province", "浙江杭州", -2, 3, 24,
         cross_province=True, target=states.REPORTED, teachers=2),
    Trip("市初中数学命题能力提升培训", "市教育科学研究院", "city", "市教师发展中心", -6, 1, 6,
         target=states.REIMBURSED),
    Trip("区班主任工作坊", "区教师进修学校", "district", "区教师进修学校", -4, 2, 12,
         target=states.CANCELLED),
    Trip("省英语新课标骨干教师培训", "省教育厅", "province", "省城", 1, 2, 16),
    Trip("全国中小学信息科技教学观摩", "中国教育技术协会", "national", "江苏南京", 2, 2, 16,
         cross_province=True, target=states.REQUESTED),
    Trip("市物理实验教学研讨", "市教育科学研究院", "city", "市实验中学", 3, 1, 6,
         target=states.RETURNED_FOR_CHANGES),
)  # fmt: skip


def write(org: Org, today: date) -> int:
    """Create the missing demo dispatches of ``org``; returns how many were made."""
    term = Term.objects.filter(school_year__org=org, start__lte=today, end__gte=today).first()
    office = get_user_model().objects.filter(username="office").first()
    teacher = Person.objects.filter(org=org, user__username="teacher").first()
    if term is None or office is None or teacher is None:
        return 0
    others = list(
        Person.objects.filter(org=org, active=True, user__isnull=True)
        .exclude(pk=teacher.pk)
        .order_by("staff_no")[:8]
    )
    monday = today - timedelta(days=today.weekday())
    made = 0
    for i, trip in enumerate(TRIPS):
        start = monday + timedelta(weeks=trip.weeks)
        end = start + timedelta(days=trip.days - 1)
        if start < term.start or end > term.end:
            continue
        if Dispatch.objects.filter(org=org, title=trip.title).exists():
            continue
        people = [teacher, others[0]] if trip.teachers == 2 else [others[i % len(others)]]
        _write_trip(org, trip, start, end, people, office)
        made += 1
    return made


@transaction.atomic
def _write_trip(org, trip: Trip, start: date, end: date, people, office) -> None:
    requested = trip.target in (states.REQUESTED, states.RETURNED_FOR_CHANGES)
    requester = people[0].user or office
    d = services.create_dispatch(
        org=org,
        by=requester if requested else office,
        teachers=people,
        direct=not requested,
        requested_by=people[0] if requested else None,
        title=trip.title,
        organiser=trip.organiser,
        level=trip.level,
        place=trip.place,
        cross_province=trip.cross_province,
        start_date=start,
        end_date=end,
        hours=Decimal(trip.hours),
        credits=(Decimal(trip.hours) / 6).quantize(Decimal("0.1")),
        cost_estimate=Decimal(800 * trip.days * (2 if trip.cross_province else 1)),
        reimbursable=trip.reimbursable,
        request_comment="收到主办方通知，申请参加。" if requested else "",
    )
    if trip.target == states.RETURNED_FOR_CHANGES:
        services.transition(
            dispatch=d, target=trip.target, by=office, comment="请附上主办方的正式通知文件"
        )
    elif trip.target == states.CANCELLED:
        services.transition(dispatch=d, target=trip.target, by=office, comment="主办方通知延期")
    elif trip.target in (states.REPORTED, states.REIMBURSED):
        _come_back(d, office, filer=people[0], complete=trip.target == states.REIMBURSED)


def _come_back(d: Dispatch, office, *, filer: Person, complete: bool) -> None:
    """Everyone returns and reports; ``filer`` (or everyone, when ``complete``) hands in the
    rest on paper, except — unless ``complete`` — the 心得 and the news. The demo writes no
    records: the demo's record set is planned in ``keshi.demo.records`` (and tested as such),
    so the 心得 waits in the teacher's 我的任务 and 确认出勤 (which records the 学时) is left
    for the office to click."""
    for m in d.members.select_related("person"):
        services.mark_returned(member=m, by=m.person.user or office)
    for ob in d.obligations.select_related("person").order_by("person__name", "due_date"):
        if ob.kind == rules.REPORT:
            services.confirm_obligation(obligation=ob, by=office, note="返校后在教研组会议上汇报")
        elif complete or (ob.person_id == filer.pk and ob.kind not in OPEN_FOR_FILER):
            services.confirm_obligation(
                obligation=ob, by=office, note=NOTES.get(ob.kind, "纸质材料已交教科室")
            )
    d.refresh_from_db()
    if complete and d.state == states.REIMBURSABLE:
        services.transition(dispatch=d, target=states.REIMBURSED, by=office)


OPEN_FOR_FILER = (rules.REFLECTION, rules.NEWS)
NOTES = {rules.OPEN_CLASS: "11月教研活动中上汇报课《整本书阅读任务单》"}
