"""The compliance engine: people × requirements × periods → standing.

Set-based: the audience is worked out from a handful of bulk reads (people, memberships, tags,
mentorships, exemptions), and the records are summed by one GROUP BY (person, period) query per
batch of requirements that share kinds, filters and periods — never a query per person.

Conventions (documented in docs/compliance.md):

* 教龄 and age ranges are read at the term's first day (the reference date);
* a requirement on a school year is measured over the whole school year, every other period is
  cut to the term;
* a person joins a requirement's audience for a window (the whole term, or the dates of their
  mentorship); a period is assessed when its deadline lies in that window, and the target of a
  period the window only partly covers is scaled to the covered days (rounded up);
* only complete records (``complete``) in a counted state (submitted, approved) count;
* exempted days (leave, part-time) scale a period's target like the window does; a period
  exempted throughout is ``exempt``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When

from keshi.calendar import periods as P
from keshi.calendar.holidays import DayCalendar
from keshi.calendar.models import Term
from keshi.org.models import Membership, Mentorship, Person
from keshi.records.models import Activity
from keshi.rules.models import Exemption, Requirement
from keshi.rules.status import Status, judge

ZERO = Decimal(0)


@dataclass(frozen=True)
class Cell:
    person_id: int
    requirement_id: int
    period: P.Period
    due: date
    value: Decimal
    target: Decimal
    status: Status

    @property
    def gap(self) -> Decimal:
        return max(self.target - self.value, ZERO)


@dataclass
class Compliance:
    term: Term
    at: date
    requirements: list[Requirement]
    people: list[Person]
    cells: dict[tuple[int, int], list[Cell]] = field(default_factory=dict)

    def periods(self, person_id: int, requirement_id: int) -> list[Cell]:
        return self.cells.get((person_id, requirement_id), [])

    def current(self, person_id: int, requirement_id: int) -> Cell | None:
        """The cell of the period holding ``at`` (else the last one begun, else the first)."""
        cells = self.periods(person_id, requirement_id)
        begun = [c for c in cells if c.period.start <= self.at]
        return begun[-1] if begun else (cells[0] if cells else None)

    def row(self, person_id: int) -> list[Cell | None]:
        return [self.current(person_id, r.pk) for r in self.requirements]


@dataclass
class _Audience:
    """Who a requirement applies to, each with the window in which it applies."""

    windows: dict[int, list[tuple[date, date]]]


def evaluate(
    *,
    term: Term,
    at: date,
    people: Iterable[Person] | None = None,
    requirements: Iterable[Requirement] | None = None,
    history: bool = True,
) -> Compliance:
    """Standing of ``people`` (default: the term's org, active) on ``requirements`` (default:
    the org's active ones) as of ``at``. With ``history=False`` only the current period of each
    requirement is computed (what dashboards need)."""
    org = term.school_year.org
    if requirements is None:
        requirements = Requirement.objects.filter(org=org, active=True)
    requirements = list(
        Requirement.objects.filter(pk__in=[r.pk for r in requirements])
        .prefetch_related("kinds", "groups", "tags")
        .order_by("pk")
    )
    if people is None:
        people = Person.objects.filter(org=org, active=True)
    people = list(people)
    result = Compliance(term=term, at=at, requirements=requirements, people=people)
    if not requirements or not people:
        return result

    facts = _Facts.load(term, people)
    days = DayCalendar(term.school_year.start, term.school_year.end, org)
    plans = [(r, _deadlines(r, term, days, at, history), _audience(r, facts)) for r in requirements]
    sums = _sums(plans, term, facts.person_ids, at)
    for requirement, deadlines, audience in plans:
        exempt = facts.exemptions
        for person_id, windows in audience.windows.items():
            cells = []
            for i, d in enumerate(deadlines):
                share = _covered_share(d.period, windows, d.due)
                if share is None:
                    continue
                excused = _exempt_days(exempt.get(person_id, ()), requirement.pk, d.period)
                value = sums.get((requirement.pk, person_id, i), ZERO)
                if excused >= len(d.period):
                    target, status = requirement.threshold, Status.EXEMPT
                else:
                    share = min(share, Decimal(len(d.period) - excused) / len(d.period))
                    target = _scaled(requirement.threshold, share)
                    status = judge(
                        comparator=requirement.comparator,
                        value=value,
                        target=target,
                        start=d.period.start,
                        due=d.due,
                        at=at,
                    )
                cells.append(
                    Cell(person_id, requirement.pk, d.period, d.due, value, target, status)
                )
            if cells:
                result.cells[(person_id, requirement.pk)] = cells
    return result


@dataclass
class _Facts:
    reference: date
    person_ids: list[int]
    people: dict[int, Person]
    groups: dict[int, list[tuple[int, str]]]
    tags: dict[int, set[int]]
    mentor_windows: dict[int, list[tuple[date, date]]]
    mentee_windows: dict[int, list[tuple[date, date]]]
    exemptions: dict[int, list[tuple[int | None, date, date]]]

    @classmethod
    def load(cls, term: Term, people: list[Person]) -> _Facts:
        ids = [p.pk for p in people]
        start, end = term.start, term.end
        groups: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for pid, gid, role in (
            Membership.objects.current(start)
            .filter(person_id__in=ids)
            .values_list("person_id", "group_id", "role")
        ):
            groups[pid].append((gid, role))
        tags: dict[int, set[int]] = defaultdict(set)
        for pid, tid in Person.tags.through.objects.filter(person_id__in=ids).values_list(
            "person_id", "tag_id"
        ):
            tags[pid].add(tid)
        mentor_w: dict[int, list] = defaultdict(list)
        mentee_w: dict[int, list] = defaultdict(list)
        pairs = Mentorship.objects.filter(
            Q(start__isnull=True) | Q(start__lte=end),
            Q(end__isnull=True) | Q(end__gte=start),
            Q(mentor_id__in=ids) | Q(mentee_id__in=ids),
        ).values_list("mentor_id", "mentee_id", "start", "end")
        for mentor, mentee, s, e in pairs:
            window = (max(s or start, start), min(e or end, end))
            mentor_w[mentor].append(window)
            mentee_w[mentee].append(window)
        exemptions: dict[int, list] = defaultdict(list)
        for pid, rid, s, e in Exemption.objects.filter(
            person_id__in=ids, start__lte=term.school_year.end, end__gte=term.school_year.start
        ).values_list("person_id", "requirement_id", "start", "end"):
            exemptions[pid].append((rid, s, e))
        return cls(
            reference=start,
            person_ids=ids,
            people={p.pk: p for p in people},
            groups=groups,
            tags=tags,
            mentor_windows=mentor_w,
            mentee_windows=mentee_w,
            exemptions=exemptions,
        )


def _in_range(value: int | None, low: int | None, high: int | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _audience(r: Requirement, facts: _Facts) -> _Audience:
    group_ids = {g.pk for g in r.groups.all()}
    tag_ids = {t.pk for t in r.tags.all()}
    whole = [(facts.reference, None)]
    windows: dict[int, list] = {}
    for pid, person in facts.people.items():
        if group_ids or r.group_role:
            ok = any(
                (not group_ids or gid in group_ids) and (not r.group_role or role == r.group_role)
                for gid, role in facts.groups.get(pid, ())
            )
            if not ok:
                continue
        if tag_ids and not tag_ids & facts.tags.get(pid, set()):
            continue
        if not _in_range(
            person.teaching_years(facts.reference), r.teaching_years_min, r.teaching_years_max
        ):
            continue
        if not _in_range(person.age(facts.reference), r.age_min, r.age_max):
            continue
        if r.mentorship in (r.Mentorship.MENTEE_OBSERVES_MENTOR, r.Mentorship.MENTEES):
            w = facts.mentee_windows.get(pid)
        elif r.mentorship in (r.Mentorship.MENTOR_OBSERVES_MENTEE, r.Mentorship.MENTORS):
            w = facts.mentor_windows.get(pid)
        else:
            w = whole
        if w:
            windows[pid] = w
    return _Audience(windows)


def _deadlines(
    r: Requirement, term: Term, days: DayCalendar, at: date, history: bool
) -> list[P.Deadline]:
    span = (
        (term.school_year.start, term.school_year.end)
        if r.period == Requirement.Period.SCHOOL_YEAR
        else (term.start, term.end)
    )
    weekday = P.FRIDAY if r.deadline == Requirement.Deadline.LAST_FRIDAY else None
    aware = r.deadline != Requirement.Deadline.PERIOD_END
    found = P.deadlines(
        r.period,
        span,
        weekday=weekday,
        is_workday=days.is_workday if aware else None,
        anchor=term.start,
    )
    if history:
        return found
    begun = [d for d in found if d.period.start <= at]
    return begun[-1:] or found[:1]


def _covered_share(period: P.Period, windows: list, due: date) -> Decimal | None:
    """Share of the period's days inside the windows, or None when no window holds ``due``."""
    covered = 0
    holds_due = False
    for start, end in windows:
        end = end or period.end
        if start <= due <= end:
            holds_due = True
        part = period.clip(start, end)
        if part:
            covered += len(part)
    if not holds_due:
        return None
    return min(Decimal(covered) / len(period), Decimal(1))


def _scaled(threshold: Decimal, share: Decimal) -> Decimal:
    if share >= 1:
        return threshold
    return Decimal(math.ceil(threshold * share))


def _exempt_days(rows, requirement_id: int, period: P.Period) -> int:
    """Days of the period excused by exemptions (for this requirement or for all)."""
    days: set[date] = set()
    for rid, start, end in rows:
        if rid is None or rid == requirement_id:
            part = period.clip(start, end)
            if part:
                days.update(part.days())
    return len(days)


_MEASURES = {
    Requirement.Measure.COUNT: "n",
    Requirement.Measure.QUANTITY: "quantity",
    Requirement.Measure.CREDITS: "credits",
    Requirement.Measure.CHARS: "chars",
}


def _sums(
    plans, term: Term, person_ids: list[int], at: date
) -> dict[tuple[int, int, int], Decimal]:
    """(requirement, person, period index) → measured value, one query per batch of
    requirements with the same kinds, per-item filter, mentorship filter and periods."""
    batches: dict[tuple, list] = defaultdict(list)
    for r, deadlines, audience in plans:
        if not deadlines or not audience.windows:
            continue
        key = (
            frozenset(k.pk for k in r.kinds.all()),
            r.item_min_chars,
            r.mentorship,
            tuple(d.period for d in deadlines),
        )
        batches[key].append(r)
    out: dict[tuple[int, int, int], Decimal] = {}
    for (kinds, min_chars, mentorship, periods), reqs in batches.items():
        rows = Activity.objects.filter(
            kind_id__in=kinds,
            status__in=Activity.COUNTED,
            complete=True,
            date__gte=periods[0].start,
            date__lte=min(periods[-1].end, at),
        )
        rows = (
            rows.filter(person_id__in=person_ids)
            if len(person_ids) < 900
            else rows.filter(person__org=term.school_year.org_id, person__active=True)
        )
        if min_chars:
            rows = rows.filter(chars__gte=min_chars)
        if mentorship == Requirement.Mentorship.MENTEE_OBSERVES_MENTOR:
            rows = rows.filter(Exists(_pair(mentor="observed_id", mentee="person_id")))
        elif mentorship == Requirement.Mentorship.MENTOR_OBSERVES_MENTEE:
            rows = rows.filter(Exists(_pair(mentor="person_id", mentee="observed_id")))
        bucket = Case(
            *[
                When(date__gte=p.start, date__lte=p.end, then=Value(i))
                for i, p in enumerate(periods)
            ],
            output_field=IntegerField(),
        )
        grouped = (
            rows.annotate(bucket=bucket)
            .values("person_id", "bucket")
            .annotate(
                n=Count("id"), quantity=Sum("quantity"), credits=Sum("credits"), chars=Sum("chars")
            )
            .order_by()
        )
        for row in grouped:
            if row["bucket"] is None:
                continue
            for r in reqs:
                value = row[_MEASURES[r.measure]] or 0
                out[(r.pk, row["person_id"], row["bucket"])] = Decimal(value)
    return out


def _pair(*, mentor: str, mentee: str):
    """Mentorships pairing the row's two people, in force on the row's date."""
    return Mentorship.objects.filter(
        Q(start__isnull=True) | Q(start__lte=OuterRef("date")),
        Q(end__isnull=True) | Q(end__gte=OuterRef("date")),
        mentor_id=OuterRef(mentor),
        mentee_id=OuterRef(mentee),
    )
