"""The 工作总结's 教研活动 and 培训学时 sections, from keshi.groupwork and the 培训 records.

教研活动: every group with closed sessions in the term (up to the summary's day) that the reader
may see, with the members expected, present and the attendance rate (keshi.groupwork.stats).
培训学时: the counted 培训 records of the term (the 学时 of 校本研修 are granted as such records,
marked ``data.training_project``; the rest are teachers' own 外出培训), summed per 教研组.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from keshi.calendar.models import Term
from keshi.groupwork.selectors import sessions_for
from keshi.groupwork.stats import groups_attendance
from keshi.org.models import Group, Org
from keshi.org.scoping import visible
from keshi.plans.summary_rules import NO_GROUP
from keshi.records.models import Activity

TRAINING = "training"


@dataclass
class GroupLine:
    group: str
    sessions: int
    expected: int
    attended: int
    rate: float | None  # %
    most_absent: str  # "李老师（缺2次）、…" or ""


@dataclass
class GroupWork:
    lines: list[GroupLine] = field(default_factory=list)
    topics: list[tuple[str, date, str]] = field(default_factory=list)  # (group, day, topic)

    @property
    def sessions(self) -> int:
        return sum(x.sessions for x in self.lines)

    @property
    def rate(self) -> float | None:
        expected = sum(x.expected for x in self.lines)
        attended = sum(x.attended for x in self.lines)
        return round(100 * attended / expected, 1) if expected else None


@dataclass
class TrainingLine:
    group: str
    people: int  # members with any 学时
    members: int
    school_hours: Decimal  # 校本研修
    other_hours: Decimal

    @property
    def hours(self) -> Decimal:
        return self.school_hours + self.other_hours

    @property
    def per_member(self) -> Decimal | None:
        return (self.hours / self.members).quantize(Decimal("0.1")) if self.members else None


@dataclass
class Training:
    lines: list[TrainingLine] = field(default_factory=list)
    records: int = 0
    people: int = 0

    @property
    def hours(self) -> Decimal:
        """The 合计 line's (a person in two groups counts once)."""
        return self.lines[-1].hours if self.lines else Decimal(0)


def group_work_of(user, *, org: Org, term: Term, at: date) -> GroupWork:
    end = min(at, term.end)
    sessions = sessions_for(user).filter(
        org=org, date__gte=term.start, date__lte=end, closed_at__isnull=False
    )
    groups = list(
        Group.objects.filter(pk__in=sessions.values("group_id")).order_by("kind", "name", "pk")
    )
    out = GroupWork()
    for g in groups_attendance(groups, term.start, end):
        absent = [m for m in g.members if m.absences][:3]
        out.lines.append(
            GroupLine(
                group=g.group.name,
                sessions=g.sessions,
                expected=g.expected,
                attended=g.attended,
                rate=round(100 * g.rate, 1) if g.rate is not None else None,
                most_absent="、".join(f"{m.person.name}（缺{len(m.absences)}次）" for m in absent),
            )
        )
    for s in sessions.exclude(topic="").order_by("date", "pk")[:40]:
        out.topics.append((s.group.name, s.date, s.topic))
    return out


def training_of(
    user, *, org: Org, term: Term, at: date, groups: dict[int, list[str]], people: int
) -> Training:
    """``groups``: each person's 教研组 names (as the requirement tables use); ``people``: how
    many the summary covers (for the 合计 line's 人均学时)."""
    end = min(at, term.end)
    rows = (
        visible(user, Activity.objects.filter(org=org, kind__code=TRAINING))
        .filter(status__in=Activity.COUNTED, date__gte=term.start, date__lte=end)
        .values_list("person_id", "quantity", "data")
    )
    members: dict[str, set[int]] = defaultdict(set)
    for pid, names in groups.items():
        for name in names:
            members[name].add(pid)
    by_group: dict[str, TrainingLine] = {}
    total = TrainingLine("合计", 0, 0, Decimal(0), Decimal(0))
    seen: dict[str, set[int]] = defaultdict(set)
    out = Training()
    for pid, quantity, data in rows:
        out.records += 1
        school = bool((data or {}).get("training_project"))
        for name in groups.get(pid) or [NO_GROUP]:
            line = by_group.setdefault(
                name, TrainingLine(name, 0, len(members.get(name, ())), Decimal(0), Decimal(0))
            )
            _add(line, quantity, school)
            seen[name].add(pid)
        _add(total, quantity, school)
        seen["合计"].add(pid)
    if not by_group:
        return out
    for name, line in by_group.items():
        line.people = len(seen[name])
    total.people = out.people = len(seen["合计"])
    total.members = people
    ordered = sorted(by_group.values(), key=lambda x: (x.group == NO_GROUP, x.group))
    out.lines = [*ordered, total]
    return out


def _add(line: TrainingLine, quantity: Decimal, school: bool) -> None:
    if school:
        line.school_hours += quantity
    else:
        line.other_hours += quantity
