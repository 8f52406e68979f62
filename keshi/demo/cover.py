"""Demo timetable and cover arrangements for school ``demo`` (idempotent, deterministic).

Six classes a grade; each teacher teaches their subject in the classes of their grade (from the
年级组 memberships); 班主任 from the position; then, around ``today``: a colleague's 3-day sick
leave this week with 代课 assigned (one lesson left open), the demo teacher's 2-day 区教研活动
next week with one 调课 confirmed and one waiting, a covered meeting three weeks ago, and the
covers of the demo dispatches (``keshi.demo.dispatch``): 代课 for three days or more, 调课 for
shorter ones, confirmed for those past, one lesson of the coming 已派遣 one left for the 教务处.

Absences and covers stay off the office and group-lead logins, and nothing is planned from the
Monday after next to the end of the term: the weeks that browser tests use for new dispatches.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from keshi.calendar.selectors import current_term
from keshi.cover import selectors, services
from keshi.cover.models import Absence, Cover, HomeroomDuty, TimetableEntry
from keshi.demo import dispatch as demo_dispatch
from keshi.dispatch import states as dstates
from keshi.dispatch.models import Dispatch, DispatchTeacher
from keshi.org.models import Group, Membership, Org, Person

CLASSES_PER_GRADE = 6
WEEKLY = {"语文": 5, "数学": 5, "英语": 4, "物理": 3, "化学": 3}  # others: 2 lessons a week
PERIODS = range(1, 9)


def build(today: date) -> None:
    org = Org.objects.filter(code="demo").first()
    term = current_term(org, today) if org else None
    if term is None:
        return
    if not TimetableEntry.objects.filter(term=term).exists():
        _timetable(org, term)
    load: Counter = Counter()  # covers given to each colleague by this run, to spread them
    _absences(org, today, load)
    _dispatch_covers(org, today, load)


def _grades(org: Org) -> dict[str, list[Person]]:
    grades: dict[str, list[Person]] = {}
    for m in (
        Membership.objects.filter(group__org=org, group__kind=Group.Kind.GRADE, person__active=True)
        .select_related("group", "person")
        .order_by("group__name", "person__staff_no")
    ):
        grades.setdefault(m.group.name.removesuffix("组"), []).append(m.person)
    return grades


def _timetable(org: Org, term) -> None:
    entries, duties = [], []
    teacher_busy: set[tuple[int, int, int]] = set()
    for grade, people in _grades(org).items():
        classes = [f"{grade}({i})班" for i in range(1, CLASSES_PER_GRADE + 1)]
        class_busy: set[tuple[str, int, int]] = set()
        by_subject: dict[str, list[Person]] = {}
        for p in people:
            if p.subject:
                by_subject.setdefault(p.subject, []).append(p)
        for subject, teachers in sorted(by_subject.items()):
            for i, class_name in enumerate(classes):
                teacher = teachers[i % len(teachers)]
                need = WEEKLY.get(subject, 2)
                for weekday, period in _slots(class_name, subject):
                    if need == 0:
                        break
                    if (class_name, weekday, period) in class_busy or (
                        teacher.pk,
                        weekday,
                        period,
                    ) in teacher_busy:
                        continue
                    class_busy.add((class_name, weekday, period))
                    teacher_busy.add((teacher.pk, weekday, period))
                    entries.append(
                        TimetableEntry(
                            org=org,
                            term=term,
                            person=teacher,
                            weekday=weekday,
                            period=period,
                            class_name=class_name,
                            subject=subject,
                        )
                    )
                    need -= 1
        heads = [p for p in people if "班主任" in p.position]
        duties += [
            HomeroomDuty(org=org, term=term, person=p, class_name=c)
            for p, c in zip(heads, classes, strict=False)
        ]
    bulk_create_with_history(entries, TimetableEntry, batch_size=500)
    bulk_create_with_history(duties, HomeroomDuty)


def _slots(class_name: str, subject: str) -> list[tuple[int, int]]:
    """Every (weekday, period), rotated per class and subject so lessons spread over the week."""
    all_slots = [(d, p) for p in PERIODS for d in range(1, 6)]
    shift = (sum(map(ord, class_name + subject)) * 7) % len(all_slots)
    rotated = all_slots[shift:] + all_slots[:shift]
    # One lesson a day first, then a second pass.
    return sorted(rotated, key=lambda s: (rotated.index(s) // 5 % 2, rotated.index(s)))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _absences(org: Org, today: date, load: Counter) -> None:
    """The manual absences: two colleagues of the ``teacher`` login (without a login of their
    own and not sent on a demo dispatch) and the teacher's own meeting next week."""
    teacher = Person.objects.filter(org=org, user__username="teacher").first()
    if teacher is None:
        return
    sent = DispatchTeacher.objects.filter(dispatch__org=org).values("person_id")
    colleagues = list(
        Person.objects.filter(org=org, subject=teacher.subject, active=True, user__isnull=True)
        .exclude(pk__in=sent)
        .order_by("staff_no")
    )
    if len(colleagues) < 2:
        return
    this_week, next_week = _monday(today), _monday(today) + timedelta(days=7)
    sick = _absence(colleagues[0], "demo:sick", Absence.Kind.SICK, "病假", this_week, 2)
    _cover_all(sick, load, leave_open=1)
    past = _absence(
        colleagues[1],
        "demo:past",
        Absence.Kind.MEETING,
        "市级教研会议",
        this_week - timedelta(21),
        2,
    )
    _cover_all(past, load)
    away = _absence(
        teacher, "demo:meeting", Absence.Kind.MEETING, "区教研活动", next_week + timedelta(3), 1
    )
    _cover_all(away, load, leave_open=0, confirm_first=True)


def _dispatch_covers(org: Org, today: date, load: Counter) -> None:
    """Covers for the teachers the demo dispatches send (``keshi.demo.dispatch``): every lesson
    of a finished one arranged and confirmed; the coming 已派遣 one (代课) with one lesson left
    for the 教务处."""
    dispatches = Dispatch.objects.filter(
        org=org, title__in=[t.title for t in demo_dispatch.TRIPS], state__in=dstates.ACTIVE
    ).order_by("start_date", "pk")
    for d in dispatches:
        absences = Absence.objects.filter(reference=f"dispatch:{d.pk}").order_by(
            "person__staff_no", "start_date"
        )
        for i, absence in enumerate(absences):
            ahead = absence.end_date >= today
            _cover_all(
                absence,
                load,
                leave_open=1 if ahead and i == 0 else 0,
                confirm_first=ahead,
            )
            if selectors.cover_kind(absence) == Cover.Kind.SUBSTITUTE:
                _cover_homeroom(absence)


def _absence(person: Person, reference: str, kind: str, title: str, start: date, extra: int):
    (absence,) = services.set_absences(
        person=person,
        reference=reference,
        title=title,
        spans=[(start, "am", start + timedelta(days=extra), "pm")],
        by=None,
        kind=kind,
    )
    return absence


def _substitutes(org: Org) -> list[Person]:
    """Who may be asked to cover: everyone active but the logins other than ``teacher`` (the
    office and group-lead logins keep their timetable as it is)."""
    return list(
        Person.objects.filter(org=org, active=True)
        .exclude(Q(user__isnull=False) & ~Q(user__username="teacher"))
        .order_by("staff_no")
    )


def _cover_all(
    absence: Absence, load: Counter, *, leave_open: int = 0, confirm_first: bool = False
) -> None:
    """Arrange the absence's lessons with free colleagues (same subject first, the least
    loaded first), never with a clash: ``arrange_cover`` refuses clashes unless confirmed.
    A 调课 is confirmed by the colleague (only the first one when ``confirm_first``)."""
    needs = selectors.lessons_to_cover(absence)
    if leave_open:
        needs = needs[:-leave_open]
    as_office = selectors.cover_kind(absence) == Cover.Kind.SUBSTITUTE
    people = [p for p in _substitutes(absence.org) if p.pk != absence.person_id]
    first = True
    for need in needs:
        if need.cover is not None:
            first = False
            continue
        busy = selectors.busy_at(absence.org, {(need.date, need.entry.period)})
        taken = busy[(need.date, need.entry.period)]
        free = [p for p in people if p.pk not in taken]
        free.sort(key=lambda p: (p.subject != need.entry.subject, load[p.pk]))
        if not free:
            continue
        try:
            cover = services.arrange_cover(
                absence=absence,
                entry=need.entry,
                day=need.date,
                cover_person=free[0],
                by=None,
                by_office=as_office,
            )
        except ValidationError:
            continue
        load[free[0].pk] += 1
        if cover.status == Cover.Status.PROPOSED and (first or not confirm_first):
            services.decide_cover(cover=cover, accept=True, by=None)
        first = False


def _cover_homeroom(absence: Absence) -> None:
    """班主任代理 by a teacher of the same class who is not away then (教务处: confirmed)."""
    away = Absence.objects.filter(
        org=absence.org, start_date__lte=absence.end_date, end_date__gte=absence.start_date
    ).values("person_id")
    for duty, cover in selectors.homeroom_to_cover(absence):
        if cover is not None:
            continue
        deputy = (
            Person.objects.filter(
                pk__in=TimetableEntry.objects.filter(
                    term=duty.term, class_name=duty.class_name
                ).values("person_id"),
                active=True,
                user__isnull=True,
            )
            .exclude(pk__in=away)
            .order_by("staff_no")
            .first()
        )
        if deputy is not None:
            services.arrange_homeroom(
                absence=absence, duty=duty, cover_person=deputy, by=None, by_office=True
            )
