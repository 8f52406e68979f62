"""Demo timetable and cover arrangements for school ``demo`` (idempotent, deterministic).

Six classes a grade; each teacher teaches their subject in the classes of their grade (from the
年级组 memberships); 班主任 from the position; then, around ``today``: a colleague's 3-day sick
leave this week with 代课 assigned (one lesson left open), the demo teacher's 2-day 区教研活动
next week with one 调课 confirmed and one waiting, and a covered absence two weeks ago so that
the counts page has numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history

from keshi.calendar.selectors import current_term
from keshi.cover import selectors, services
from keshi.cover.models import Absence, Cover, HomeroomDuty, TimetableEntry
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
    _absences(org, today)


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


def _absences(org: Org, today: date) -> None:
    teacher = Person.objects.filter(org=org, user__username="teacher").first()
    if teacher is None:
        return
    colleagues = list(
        Person.objects.filter(org=org, subject=teacher.subject, active=True)
        .exclude(pk=teacher.pk)
        .order_by("staff_no")
    )
    if len(colleagues) < 3:
        return
    this_week, next_week = _monday(today), _monday(today) + timedelta(days=7)
    sick = _absence(colleagues[0], "demo:sick", Absence.Kind.SICK, "病假", this_week, 2)
    _cover_all(sick, leave_open=1)
    past = _absence(
        colleagues[1],
        "demo:past",
        Absence.Kind.MEETING,
        "市级教研会议",
        this_week - timedelta(14),
        2,
    )
    _cover_all(past)
    away = _absence(
        teacher, "demo:meeting", Absence.Kind.MEETING, "区教研活动", next_week + timedelta(3), 1
    )
    _cover_all(away, leave_open=0, confirm_first=True)


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


def _cover_all(absence: Absence, *, leave_open: int = 0, confirm_first: bool = False) -> None:
    needs = selectors.lessons_to_cover(absence)
    if leave_open:
        needs = needs[:-leave_open]
    as_office = selectors.cover_kind(absence) == Cover.Kind.SUBSTITUTE
    people = list(selectors.colleagues(absence.org, exclude=absence.person).order_by("staff_no"))
    first = True
    for need in needs:
        if need.cover is not None:
            first = False
            continue
        busy = selectors.busy_at(absence.org, {(need.date, need.entry.period)})
        taken = busy[(need.date, need.entry.period)]
        same = [p for p in people if p.subject == need.entry.subject and p.pk not in taken]
        free = same or [p for p in people if p.pk not in taken]
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
        if cover.status == Cover.Status.PROPOSED and (first or not confirm_first):
            services.decide_cover(cover=cover, accept=True, by=None)
        first = False
