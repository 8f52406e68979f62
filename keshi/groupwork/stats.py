"""Attendance statistics: per member and per group (教研活动), per person (open classes), and one
person's term. Set-based: a fixed number of queries whatever the number of groups or people.

Only closed sessions and closed open classes count: an open one has not finished taking
attendance. A member is expected at a session when their membership covers its date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from keshi.calendar.models import Term
from keshi.groupwork.models import (
    Meeting,
    OpenClass,
    OpenClassAttendance,
    Session,
    SessionAttendance,
    TrainingAttendance,
)
from keshi.org.models import Group, Membership, Org, Person


def _rate(attended: int, expected: int) -> float | None:
    return attended / expected if expected else None


@dataclass
class MemberAttendance:
    person: Person
    expected: int = 0
    attended: int = 0
    absences: list[Session] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return _rate(self.attended, self.expected)


@dataclass
class GroupAttendance:
    group: Group
    sessions: int = 0
    members: list[MemberAttendance] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return sum(m.expected for m in self.members)

    @property
    def attended(self) -> int:
        return sum(m.attended for m in self.members)

    @property
    def absences(self) -> int:
        return self.expected - self.attended

    @property
    def rate(self) -> float | None:
        return _rate(self.attended, self.expected)


def _covers(m: Membership, day: date) -> bool:
    return (m.start is None or m.start <= day) and (m.end is None or m.end >= day)


def groups_attendance(groups: list[Group], start: date, end: date) -> list[GroupAttendance]:
    ids = [g.pk for g in groups]
    sessions = list(
        Session.objects.filter(
            group_id__in=ids, date__gte=start, date__lte=end, closed_at__isnull=False
        ).order_by("date", "start_time")
    )
    present = set(
        SessionAttendance.objects.filter(session__in=sessions).values_list(
            "session_id", "person_id"
        )
    )
    memberships: dict[int, dict[int, list[Membership]]] = defaultdict(lambda: defaultdict(list))
    for m in Membership.objects.filter(group_id__in=ids, person__active=True).select_related(
        "person"
    ):
        memberships[m.group_id][m.person_id].append(m)
    result = []
    for group in groups:
        own = [s for s in sessions if s.group_id == group.pk]
        rows = []
        for spans in memberships[group.pk].values():
            row = MemberAttendance(spans[0].person)
            for s in own:
                if any(_covers(m, s.date) for m in spans):
                    row.expected += 1
                    if (s.pk, row.person.pk) in present:
                        row.attended += 1
                    else:
                        row.absences.append(s)
            if row.expected:
                rows.append(row)
        rows.sort(key=lambda r: (-(len(r.absences)), r.person.name))
        result.append(GroupAttendance(group, len(own), rows))
    return result


# ---- open classes ---------------------------------------------------------------------------


@dataclass
class OpenClassAbsence:
    person: Person
    missed: list[OpenClass] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.missed)


def _required_ids(open_classes: list[OpenClass]) -> dict[int, set[int]]:
    """Who had to attend each open class, in three queries for all of them."""
    group_ids = {g.pk for oc in open_classes for g in oc.required_groups.all()}
    spans: dict[int, list[Membership]] = defaultdict(list)
    for m in Membership.objects.filter(group_id__in=group_ids, person__active=True):
        spans[m.group_id].append(m)
    result = {}
    for oc in open_classes:
        ids = {p.pk for p in oc.required_people.all() if p.active}
        for g in oc.required_groups.all():
            ids |= {m.person_id for m in spans[g.pk] if _covers(m, oc.date)}
        ids.discard(oc.teacher_id)
        result[oc.pk] = ids
    return result


def _closed_open_classes(org: Org, start: date, end: date) -> list[OpenClass]:
    return list(
        OpenClass.objects.filter(org=org, date__gte=start, date__lte=end, closed_at__isnull=False)
        .select_related("teacher")
        .prefetch_related("required_groups", "required_people")
        .order_by("date", "period")
    )


def open_class_absences(org: Org, start: date, end: date) -> list[OpenClassAbsence]:
    """Everyone who missed an open class they had to attend, most absences first."""
    classes = _closed_open_classes(org, start, end)
    required = _required_ids(classes)
    present = set(
        OpenClassAttendance.objects.filter(open_class__in=classes).values_list(
            "open_class_id", "person_id"
        )
    )
    missed: dict[int, list[OpenClass]] = defaultdict(list)
    for oc in classes:
        for pid in required[oc.pk]:
            if (oc.pk, pid) not in present:
                missed[pid].append(oc)
    people = Person.objects.in_bulk(list(missed))
    rows = [OpenClassAbsence(people[pid], items) for pid, items in missed.items()]
    return sorted(rows, key=lambda r: (-r.count, r.person.name))


# ---- one person's term ----------------------------------------------------------------------


@dataclass
class PersonAttendance:
    person: Person
    term: Term | None
    sessions: list[tuple[Session, bool]] = field(default_factory=list)
    open_classes: list[tuple[OpenClass, bool]] = field(default_factory=list)
    training_hours: float = 0
    training: list = field(default_factory=list)
    meetings: list[tuple[Session, bool]] = field(default_factory=list)  # 例会

    @property
    def session_attended(self) -> int:
        return sum(1 for _s, ok in self.sessions if ok)

    @property
    def session_absences(self) -> list[Session]:
        return [s for s, ok in self.sessions if not ok]

    @property
    def session_rate(self) -> float | None:
        return _rate(self.session_attended, len(self.sessions))

    @property
    def meeting_attended(self) -> int:
        return sum(1 for _s, ok in self.meetings if ok)

    @property
    def meeting_rate(self) -> float | None:
        return _rate(self.meeting_attended, len(self.meetings))

    @property
    def open_class_absences(self) -> list[OpenClass]:
        return [oc for oc, ok in self.open_classes if not ok]


def attendance_of(person: Person, term: Term | None) -> PersonAttendance:
    """``person``'s 教研活动 and 例会 attendance, open classes (required or attended) and
    校本研修 in ``term``. The caller has checked that its user may read ``person``."""
    result = PersonAttendance(person, term)
    if term is None:
        return result
    start, end = term.start, term.end
    spans = list(Membership.objects.filter(person=person))
    sessions = Session.objects.filter(
        group_id__in={m.group_id for m in spans},
        date__gte=start,
        date__lte=end,
        closed_at__isnull=False,
    ).select_related("group")
    mine = set(
        SessionAttendance.objects.filter(person=person, session__in=sessions).values_list(
            "session_id", flat=True
        )
    )
    meeting_groups = set(Meeting.objects.filter(org=person.org).values_list("group_id", flat=True))
    for s in sessions.order_by("date", "start_time"):
        if any(m.group_id == s.group_id and _covers(m, s.date) for m in spans):
            into = result.meetings if s.group_id in meeting_groups else result.sessions
            into.append((s, s.pk in mine))
    classes = _closed_open_classes(person.org, start, end)
    required = _required_ids(classes)
    attended = set(
        OpenClassAttendance.objects.filter(person=person, open_class__in=classes).values_list(
            "open_class_id", flat=True
        )
    )
    for oc in classes:
        if person.pk in required[oc.pk] or oc.pk in attended:
            result.open_classes.append((oc, oc.pk in attended))
    rows = TrainingAttendance.objects.filter(
        Q(project__start__lte=end) & Q(project__end__gte=start), person=person
    ).select_related("project", "activity")
    result.training = [r.project for r in rows]
    result.training_hours = float(sum(r.project.hours for r in rows if r.activity_id))
    return result


# ---- 例会 ----------------------------------------------------------------------------------


@dataclass
class MeetingAttendance:
    """One 例会 in a term: sessions planned and held (closed), and who came."""

    meeting: Meeting
    planned: int
    attendance: GroupAttendance

    @property
    def held(self) -> int:
        return self.attendance.sessions

    @property
    def expected(self) -> int:
        return self.attendance.expected

    @property
    def attended(self) -> int:
        return self.attendance.attended

    @property
    def rate(self) -> float | None:
        return self.attendance.rate

    @property
    def members(self) -> list[MemberAttendance]:
        return self.attendance.members


def meeting_attendance(org: Org, term: Term) -> list[MeetingAttendance]:
    """Per 例会 of ``org`` in ``term``: planned and held sessions, expected and actual
    attendance (人次) and the rate, with each attendee's row. The caller checks access."""
    meetings = list(Meeting.objects.filter(org=org).select_related("group").order_by("group__name"))
    groups = [m.group for m in meetings]
    rows = {a.group.pk: a for a in groups_attendance(groups, term.start, term.end)}
    planned = dict(
        Session.objects.filter(group__in=groups, date__gte=term.start, date__lte=term.end)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    return [MeetingAttendance(m, planned.get(m.group_id, 0), rows[m.group_id]) for m in meetings]
