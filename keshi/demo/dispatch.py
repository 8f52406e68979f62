"""Demo training dispatches for the main school: one in every state (申请, 已退回, 已派遣, 已返校,
已汇报, 可报销, 已报销, 取消), placed on weeks around ``today`` inside the current term — the
finished ones in the past, 已派遣 and the requests ahead.

The 跨省 trip (已汇报) takes the ``teacher`` login and a colleague of the same subject. The
teacher files everything the way a teacher does: a 教学反思 record of more than 2000 字 (the
心得) and an open-class record (the 汇报课) through ``record_activity``, linked to the obligations
with ``meet_with_activity``; the office confirms the rest. The colleague has only reported and
handed in the 反馈单, so the dispatch stays 已汇报 — the blocked reimbursement. The office has
confirmed attendance (the training record with the 学时) of the dispatches that are through
(可报销, 已报销); for the 已返校 and 已汇报 ones that click is still to do. The four 联 of every
dispatch that is back are signed for. The services stamp each act with the time of the run;
the demo then dates them on plausible days of the term (``_stamp``).

Trips go to teachers without a demo login (the office and group-lead logins stay free), one
subject per trip. Idempotent: a dispatch is looked up by its title; a trip that no longer fits
(outside the term, or its teacher is away then) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keshi.calendar.models import Term
from keshi.demo import dispatch_texts as texts
from keshi.dispatch import rules, services, states
from keshi.dispatch.models import Dispatch, Obligation
from keshi.dispatch.states import TransitionRefused
from keshi.org.models import Org, Person
from keshi.records.models import ActivityKind
from keshi.records.services import record_activity
from keshi.rules.models import Exemption


@dataclass(frozen=True)
class Trip:
    title: str
    organiser: str
    level: str
    place: str
    subject: str  # who goes: a teacher of this subject
    weeks: int  # from this week's Monday
    days: int
    hours: int
    weekday: int = 0  # the first day: 0 = Monday
    cross_province: bool = False
    target: str = states.DISPATCHED
    with_teacher: bool = False  # the ``teacher`` login and a colleague of their subject


TRIPS = (
    Trip("市初中数学命题能力提升培训", "市教育科学研究院", "city", "市教师发展中心", "数学",
         -6, 1, 6, target=states.REIMBURSED),
    Trip("市初中英语新课标骨干教师研修", "市教育科学研究院", "city", "市教师发展中心", "英语",
         -5, 3, 18, target=states.REIMBURSABLE),
    Trip("区班主任工作坊", "区教师进修学校", "district", "区教师进修学校", "道德与法治",
         -4, 2, 12, target=states.CANCELLED),
    Trip("长三角语文核心素养教学研讨会", "长三角教育发展研究院", "province", "浙江杭州", "语文",
         -2, 3, 24, cross_province=True, target=states.REPORTED, with_teacher=True),
    Trip("区初中化学实验教学专题研修", "示范区教师发展中心", "district", "示范区教师发展中心",
         "化学", -1, 2, 12, weekday=2, target=states.BACK),
    Trip("省初中历史新课标骨干教师培训", "省教育厅", "province", "省城", "历史",
         1, 3, 18, target=states.DISPATCHED),
    Trip("全国中小学信息科技教学观摩", "中国教育技术协会", "national", "江苏南京", "信息科技",
         2, 2, 16, cross_province=True, target=states.REQUESTED),
    Trip("市物理实验教学研讨", "市教育科学研究院", "city", "市实验中学", "物理",
         3, 1, 6, target=states.RETURNED_FOR_CHANGES),
)  # fmt: skip

# How the office ticks off what was handed in on paper or given in person.
NOTES = {
    rules.REPORT: "返校后在教研组会议上汇报",
    rules.FEEDBACK: "学习反馈单已交教科室",
    rules.NEWS: "新闻已在学校公众号发布",
    rules.EXPERIENCE: "培训体会已交教科室",
    rules.MATERIALS: "培训PPT已上传学校资源库",
}
# What the 跨省 colleague has done: reported and handed in the 反馈单; the rest blocks.
COLLEAGUE_DONE = (rules.REPORT, rules.FEEDBACK)
# States in which the office has confirmed attendance (确认出勤 → training record). Not yet for
# 已返校 and 已汇报: the office has that click to do, and the ``teacher`` login stays behind on
# 培训学分 until it is done (the 24 学时 of the 跨省 trip would put them on track).
ATTENDED = (states.REIMBURSABLE, states.REIMBURSED)


def write(org: Org, today: date) -> int:
    """Create the missing demo dispatches of ``org``; returns how many were made."""
    term = Term.objects.filter(school_year__org=org, start__lte=today, end__gte=today).first()
    office = get_user_model().objects.filter(username="office").first()
    teacher = Person.objects.filter(org=org, user__username="teacher").first()
    if term is None or office is None or teacher is None:
        return 0
    chosen = choose_teachers(org, teacher)
    monday = today - timedelta(days=today.weekday())
    made = 0
    for trip in TRIPS:
        start = monday + timedelta(weeks=trip.weeks, days=trip.weekday)
        end = start + timedelta(days=trip.days - 1)
        if start < term.start or end > term.end:
            continue
        if Dispatch.objects.filter(org=org, title=trip.title).exists():
            continue
        try:
            _write_trip(org, trip, start, end, chosen[trip.title], office, today)
        except (ValidationError, TransitionRefused):  # e.g. a teacher is already sent then
            continue
        made += 1
    return made


def choose_teachers(org: Org, teacher: Person) -> dict[str, list[Person]]:
    """Trip title → the people sent: teachers without a login and not on leave, a different
    one for each trip where the school has enough, of the trip's subject where it can."""
    on_leave = Exemption.objects.filter(person__org=org).values("person_id")
    pool = list(
        Person.objects.filter(org=org, active=True, user__isnull=True)
        .exclude(pk__in=on_leave)
        .order_by("staff_no")
    )
    used: set[int] = set()
    chosen: dict[str, list[Person]] = {}
    for trip in TRIPS:
        subject = teacher.subject if trip.with_teacher else trip.subject
        ranked = sorted(pool, key=lambda p: (p.pk in used, p.subject != subject, p.staff_no))
        people = ranked[:1]
        used.update(p.pk for p in people)
        chosen[trip.title] = [teacher, *people] if trip.with_teacher else people
    return chosen


@transaction.atomic
def _write_trip(org, trip: Trip, start: date, end: date, people, office, today: date) -> None:
    requested = trip.target in (states.REQUESTED, states.RETURNED_FOR_CHANGES)
    d = services.create_dispatch(
        org=org,
        by=(people[0].user or office) if requested else office,
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
        reimbursable=True,
        request_comment="收到主办方通知，申请参加。" if requested else "",
    )
    if not requested:
        _stamp(d, _at(start - timedelta(days=10), 9, today))
    if trip.target == states.RETURNED_FOR_CHANGES:
        services.transition(
            dispatch=d, target=trip.target, by=office, comment="请附上主办方的正式通知文件"
        )
    elif trip.target == states.CANCELLED:
        services.transition(dispatch=d, target=trip.target, by=office, comment="主办方通知延期")
        _stamp(d, _at(start - timedelta(days=3), 15, today))
    elif trip.target in (states.BACK, states.REPORTED, *ATTENDED):
        for part in d.notice_parts.select_related("person__user"):
            who = part.person.user if part.person_id and part.person.user_id else office
            services.acknowledge(part=part, by=who)
        _stamp(d, _at(start - timedelta(days=9), 10, today))
        _come_back(d, trip, office, today, filer=people[0] if trip.with_teacher else None)


def _come_back(d: Dispatch, trip: Trip, office, today: date, filer: Person | None) -> None:
    """Everyone returns on the last evening; then, by target: nothing more (已返校); on the
    跨省 trip (已汇报) ``filer`` files the 心得 and 汇报课 and the office confirms the rest of
    theirs, the others only report and hand in the 反馈单; or every obligation is met (可报销,
    then 已报销 by the office)."""
    back = _at(d.end_date, 18, today)
    members = list(d.members.select_related("person"))
    for m in members:
        services.mark_returned(member=m, by=m.person.user or office, at=back)
    _stamp(d, back)
    if trip.target == states.BACK:
        return
    if trip.target in ATTENDED:
        for m in members:
            services.confirm_attendance(member=m, by=office)
    if filer is not None:
        _file_as_teacher(d, filer, today)
    for ob in d.obligations.filter(met_at__isnull=True).select_related("person"):
        if filer is None or ob.person_id == filer.pk or ob.kind in COLLEAGUE_DONE:
            services.confirm_obligation(
                obligation=ob, by=office, note=NOTES.get(ob.kind, "材料已交教科室")
            )
    _stamp(d, _at(d.end_date + timedelta(days=3), 16, today))
    d.refresh_from_db()
    if trip.target == states.REIMBURSED and d.state == states.REIMBURSABLE:
        services.transition(dispatch=d, target=states.REIMBURSED, by=office)
        _stamp(d, _at(d.end_date + timedelta(days=14), 10, today))


def _at(day: date, hour: int, today: date) -> datetime:
    """``hour`` o'clock on ``day``, but never after ``today`` (nor, on the real today, later
    than now)."""
    when = timezone.make_aware(datetime.combine(min(day, today), time(hour)))
    now = timezone.now()
    return now if when.date() == timezone.localdate(now) and when > now else when


def _stamp(d: Dispatch, when: datetime) -> None:
    """Date the acts just done to ``d`` (the services stamp them with the time of the run)
    ``when`` instead, so the log and the 完成 dates read like a term's work. Acts are stamped
    in the order they happened; a linked obligation keeps the day of its record."""
    d.transitions.filter(at__gt=when).update(at=when)
    d.obligations.filter(met_at__gt=when, activity=None).update(met_at=when)
    d.members.filter(attendance_confirmed_at__gt=when).update(attendance_confirmed_at=when)
    d.members.filter(reimbursed_at__gt=when).update(reimbursed_at=when)
    d.notice_parts.filter(acknowledged_at__gt=when).update(acknowledged_at=when)


def _file_as_teacher(d: Dispatch, person: Person, today: date) -> None:
    """The teacher records the 心得 and the 汇报课 and links them, as on the obligation page."""
    kinds = {k.code: k for k in ActivityKind.objects.filter(org__isnull=True)}
    reflection = record_activity(
        person=person,
        kind=kinds["reflection"],
        by=person.user,
        on=min(d.end_date + timedelta(days=7), today),
        title=texts.REFLECTION_TITLE,
        text=texts.reflection_text(),
    )
    lesson = record_activity(
        person=person,
        kind=kinds["open_class"],
        by=person.user,
        on=min(d.end_date + timedelta(days=9), today),
        title=texts.OPEN_CLASS_TITLE,
        data={"class_type": "汇报课", "level": "校级", "attendees": 12},
    )
    for kind, record in ((rules.REFLECTION, reflection), (rules.OPEN_CLASS, lesson)):
        for ob in d.obligations.filter(person=person, kind=kind, met_at__isnull=True):
            services.meet_with_activity(obligation=ob, activity=record, by=person.user)
            Obligation.objects.filter(pk=ob.pk).update(met_at=_at(record.date, 17, today))
