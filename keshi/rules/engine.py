"""The compliance engine: people × requirements × periods → standing.

Set-based: the audience is worked out from a handful of bulk reads (people, memberships, tags,
mentorships, exemptions), and the records are summed by keshi.rules.sums — one GROUP BY for all
requirements, plus one per mentorship-pair direction — never a query per person or per rule.

Conventions (documented in docs/compliance.md):

* 教龄 and age ranges are read at the term's first day (the reference date);
* a requirement on a school year is measured over the whole school year, every other period is
  cut to the term;
* a person joins a requirement's audience for a window (the whole measured span — the school
  year or the term —, or the dates of their mentorship); a period is assessed when its deadline
  lies in that window, and the target of a period the window only partly covers is scaled to the
  covered days (rounded up);
* only complete records (``complete``) in a counted state (submitted, approved) dated on or
  before ``at`` count;
* exempted days (leave, part-time) scale a period's target like the window does; a period
  exempted throughout is ``exempt``;
* a requirement owed by the holders of a role (``owner = role``) takes each holder's grant
  dates as their window; one owed by groups (``owner = group``) has no personal cells: it is
  judged per group by :func:`keshi.rules.group_engine.evaluate_groups`;
* a requirement counted over inspections (``source = inspections``) reads the completed
  inspections each person took part in as an inspector (keshi.rules.tallies), not records.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import NamedTuple

import numpy as np
from django.db.models import Q

from keshi.accounts.models import RoleGrant
from keshi.calendar import periods as P
from keshi.calendar.holidays import DayCalendar
from keshi.calendar.models import Term
from keshi.org.models import Membership, Mentorship, Person
from keshi.rules import sums, tallies
from keshi.rules.models import Exemption, Requirement
from keshi.rules.status import Status, judge

ZERO = Decimal(0)


class Cell(NamedTuple):
    """One person's standing on one requirement in one period. A named tuple: a big org's
    history has a million of them, and tuples are the cheapest immutable record to build.
    For a group-owned requirement the owner is the group: ``person_id`` holds its id."""

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


class CapUse(NamedTuple):
    """How a cap inside a rule (其中读书心得最多计1篇) bore on one cell: the kind, its limit,
    and the kind's total in the period before the cap (in the rule's measure)."""

    kind_id: int
    limit: Decimal
    value: Decimal

    @property
    def counted(self) -> Decimal:
        return min(self.value, self.limit)

    @property
    def left_out(self) -> Decimal:
        return max(self.value - self.limit, ZERO)


@dataclass
class Compliance:
    term: Term
    at: date
    requirements: list[Requirement]
    people: list[Person]
    cells: dict[tuple[int, int], list[Cell]] = field(default_factory=dict)
    groups: list = field(default_factory=list)  # the owners, for group-owned requirements
    # (person, requirement, period start) → the caps inside the rule that had records in that
    # period (kept only when asked for: ``caps=True``; the dashboards' cache does not keep it).
    caps: dict[tuple[int, int, date], tuple[CapUse, ...]] = field(default_factory=dict)

    def periods(self, person_id: int, requirement_id: int) -> list[Cell]:
        return self.cells.get((person_id, requirement_id), [])

    def current(self, person_id: int, requirement_id: int) -> Cell | None:
        """The cell of the period holding ``at`` (else the last one begun, else the first)."""
        cells = self.periods(person_id, requirement_id)
        begun = [c for c in cells if c.period.start <= self.at]
        return begun[-1] if begun else (cells[0] if cells else None)

    def row(self, person_id: int) -> list[Cell | None]:
        return [self.current(person_id, r.pk) for r in self.requirements]


def evaluate(
    *,
    term: Term,
    at: date,
    people: Iterable[Person] | None = None,
    requirements: Iterable[Requirement] | None = None,
    history: bool = True,
    caps: bool = False,
) -> Compliance:
    """Standing of ``people`` (default: the term's org, active) on ``requirements`` (default:
    the org's active ones) as of ``at``. With ``history=False`` only the current period of each
    requirement is computed (what dashboards need); ``caps=True`` also fills
    :attr:`Compliance.caps` (what the pages explaining one person's tally need)."""
    org = term.school_year.org
    if requirements is None:  # those owed by groups have no personal cells
        requirements = (
            Requirement.objects.live().filter(org=org).exclude(owner=Requirement.Owner.GROUP)
        )
    if people is None:
        people = Person.objects.filter(org=org, active=True)
    return evaluate_loaded(
        term=term,
        at=at,
        people=list(people),
        requirements=load_requirements(requirements),
        history=history,
        caps=caps,
    )


def evaluate_loaded(
    *,
    term: Term,
    at: date,
    people: list[Person],
    requirements: list[Requirement],
    history: bool,
    caps: bool = False,
) -> Compliance:
    """:func:`evaluate` on requirements as :func:`load_requirements` returns them (the
    dashboards' cache keeps that list, so a cache miss need not fetch it again)."""
    with _gc_paused():
        return _evaluate(term, at, people, requirements, history, caps)


def _evaluate(
    term: Term,
    at: date,
    people: list[Person],
    requirements: list[Requirement],
    history: bool,
    caps: bool = False,
) -> Compliance:
    org = term.school_year.org
    result = Compliance(term=term, at=at, requirements=requirements, people=people)
    if not requirements or not people:
        return result

    roles = {r.owner_role for r in requirements if r.owner == Requirement.Owner.ROLE}
    facts = _Facts.load(term, people, roles=roles)
    days = DayCalendar(term.school_year.start, term.school_year.end, org)
    plans = [
        _Plan(r, _deadlines(r, term, days, at, history), *_audience(r, facts, term))
        for r in requirements
    ]
    inspected = [p for p in plans if p.requirement.source == Requirement.Source.INSPECTIONS]
    found = sums.load(
        [p for p in plans if p.requirement.source == Requirement.Source.RECORDS],
        org_id=org.pk,
        person_ids=facts.person_ids,
        at=at,
    )
    found |= tallies.inspections(inspected, org_id=org.pk, person_ids=facts.person_ids, at=at)
    for plan in plans:
        totals = found.get(plan.requirement.pk)
        _cells(plan, totals, facts.exemptions, at, result.cells)
        if caps and totals is not None and any(totals.capped):
            _cap_uses(plan, totals, result.caps)
    return result


def _cap_uses(plan: _Plan, totals: sums.Totals, out: dict) -> None:
    """The caps' part of each person's cells, for the people with records of a capped kind."""
    rid = plan.requirement.pk
    for d, capped in zip(plan.deadlines, totals.capped, strict=True):
        for pid in plan.windows:
            i = totals.rows.get(pid)
            if i is None:
                continue
            uses = tuple(
                CapUse(kind, _decimal(limit), _decimal(int(raw[i])))
                for kind, limit, raw in capped
                if raw[i]
            )
            if uses:
                out[(pid, rid, d.period.start)] = uses


def load_requirements(requirements: Iterable[Requirement]) -> list[Requirement]:
    """The requirements as the engine reads them: fresh, by pk, kinds, groups, tags and caps
    prefetched."""
    return list(
        Requirement.objects.filter(pk__in=[r.pk for r in requirements])
        .prefetch_related("kinds", "groups", "tags", "kind_caps__kind")
        .order_by("pk")
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """A big org's answer is a million fetched rows and a million cells: small tuples and lists
    none of which can be part of a reference cycle. Python's cyclic garbage collector would
    walk the growing heap again and again while they are made (a third of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Plan:
    requirement: Requirement
    deadlines: list[P.Deadline]
    windows: dict[int, list[tuple[date, date | None]]]
    whole: list[tuple[date, date | None]]  # the window of everyone not joining part-way


def _cells(plan: _Plan, totals: sums.Totals | None, exemptions: dict, at: date, out: dict) -> None:
    """The cells of one requirement. Most people take the fast path — in the audience for the
    whole span, not exempted — where the target is the threshold and a period's status depends
    on the value alone: it is built a period at a time for all of them, judging each distinct
    value once."""
    r, deadlines = plan.requirement, plan.deadlines
    rid = r.pk
    if not deadlines:
        return
    exempted = {
        pid
        for pid, rows in exemptions.items()
        if any(rid_ is None or rid_ == rid for rid_, _, _ in rows)
    }
    whole = plan.whole
    fast = [pid for pid, w in plan.windows.items() if w is whole and pid not in exempted]
    columns = _fast_columns(plan, fast, totals, at) if fast else []
    if len(fast) == len(plan.windows):
        out.update(zip([(pid, rid) for pid in fast], _rows(columns), strict=True))
        return
    built = dict(zip(fast, _rows(columns), strict=True))
    memo: dict = {}
    for pid, windows in plan.windows.items():
        cells = built.get(pid)
        if cells is None:
            cells = _slow_cells(plan, pid, windows, totals, exemptions, at, memo)
        if cells:
            out[(pid, rid)] = cells


def _rows(columns: list[list[Cell]]) -> Iterator[list[Cell]]:
    """Columns (one per deadline) → rows (one per person)."""
    return map(list, zip(*columns, strict=True))


def _fast_columns(plan: _Plan, fast: list[int], totals: sums.Totals | None, at: date):
    """One list of cells per deadline, in the order of ``fast``."""
    r = plan.requirement
    rid, threshold, comparator = r.pk, r.threshold, r.comparator
    positions = np.fromiter((totals.rows[pid] for pid in fast), np.intp) if totals else None
    columns = []
    for i, d in enumerate(plan.deadlines):
        vector = totals.by_deadline[i] if totals else None
        cents = vector[positions].tolist() if vector is not None else [0] * len(fast)
        values, statuses = {}, {}
        for c in set(cents):
            values[c] = value = _decimal(c)
            statuses[c] = judge(
                comparator=comparator,
                value=value,
                target=threshold,
                start=d.period.start,
                due=d.due,
                at=at,
            )
        columns.append(
            list(
                map(
                    Cell,
                    fast,
                    repeat(rid),
                    repeat(d.period),
                    repeat(d.due),
                    map(values.__getitem__, cents),
                    repeat(threshold),
                    map(statuses.__getitem__, cents),
                )
            )
        )
    return columns


def _slow_cells(
    plan: _Plan, pid: int, windows, totals: sums.Totals | None, exemptions: dict, at: date, memo
):
    """Cells of someone who joined part-way or is exempted: targets scaled to the covered,
    non-exempted days (memoised: many people share the same windows and exemptions)."""
    r = plan.requirement
    rows = tuple(exemptions.get(pid, ()))
    shape = (tuple(windows), rows)
    targets = memo.get(shape)
    if targets is None:
        targets = memo[shape] = [_target(r, d.period, d.due, windows, rows) for d in plan.deadlines]
    cells = []
    for i, d in enumerate(plan.deadlines):
        target = targets[i]
        if target is None:
            continue
        value = _decimal(totals.cents(i, pid) if totals else 0)
        if target is EXEMPT:
            target, status = r.threshold, Status.EXEMPT
        else:
            status = judge(
                comparator=r.comparator,
                value=value,
                target=target,
                start=d.period.start,
                due=d.due,
                at=at,
            )
        cells.append(Cell(pid, r.pk, d.period, d.due, value, target, status))
    return cells


EXEMPT = object()


def _target(r: Requirement, period: P.Period, due: date, windows, exemptions):
    """The scaled target of one period, EXEMPT, or None when the period is not assessed."""
    share = _covered_share(period, windows, due)
    if share is None:
        return None
    excused = _exempt_days(exemptions, r.pk, period)
    if excused >= len(period):
        return EXEMPT
    share = min(share, Decimal(len(period) - excused) / len(period))
    return _scaled(r.threshold, share)


_DECIMALS: dict[int, Decimal] = {}


def _decimal(cents: int) -> Decimal:
    """Values travel as integer hundredths (exact for counts, 节, 学时, 学分 and 字)."""
    value = _DECIMALS.get(cents)
    if value is None:
        value = Decimal(cents) / 100
        if len(_DECIMALS) < 100_000:
            _DECIMALS[cents] = value
    return value


@dataclass
class _Facts:
    reference: date
    person_ids: list[int]
    teaching_years: dict[int, int | None]
    ages: dict[int, int | None]
    members: dict[int, list[tuple[int, str]]]  # group → (person, role)
    tags: dict[int, set[int]]
    mentor_windows: dict[int, list[tuple[date, date]]]
    mentee_windows: dict[int, list[tuple[date, date]]]
    exemptions: dict[int, list[tuple[int | None, date, date]]]
    grants: dict[str, dict[int, tuple[date | None, date | None]]]  # role → person → dates

    @classmethod
    def load(cls, term: Term, people: list[Person], *, roles: set[str] = frozenset()) -> _Facts:
        ids = [p.pk for p in people]
        start, end = term.start, term.end
        in_people = {"person_id__in": ids} if len(ids) < 900 else {"person__in": _org_people(term)}
        members: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for pid, gid, role in (
            Membership.objects.current(start)
            .filter(**in_people)
            .exclude(group__meeting__isnull=False)  # a 例会's attendees owe nothing for it
            .values_list("person_id", "group_id", "role")
        ):
            members[gid].append((pid, role))
        tags: dict[int, set[int]] = defaultdict(set)
        for pid, tid in Person.tags.through.objects.filter(**in_people).values_list(
            "person_id", "tag_id"
        ):
            tags[pid].add(tid)
        mentor_w: dict[int, list] = defaultdict(list)
        mentee_w: dict[int, list] = defaultdict(list)
        pairs = Mentorship.objects.filter(
            Q(start__isnull=True) | Q(start__lte=end),
            Q(end__isnull=True) | Q(end__gte=start),
        )
        if len(ids) < 900:
            pairs = pairs.filter(Q(mentor_id__in=ids) | Q(mentee_id__in=ids))
        else:
            pairs = pairs.filter(Q(mentor__in=_org_people(term)) | Q(mentee__in=_org_people(term)))
        for mentor, mentee, s, e in pairs.values_list("mentor_id", "mentee_id", "start", "end"):
            window = (max(s or start, start), min(e or end, end))
            mentor_w[mentor].append(window)
            mentee_w[mentee].append(window)
        exemptions: dict[int, list] = defaultdict(list)
        for pid, rid, s, e in Exemption.objects.filter(
            start__lte=term.school_year.end, end__gte=term.school_year.start, **in_people
        ).values_list("person_id", "requirement_id", "start", "end"):
            exemptions[pid].append((rid, s, e))
        return cls(
            grants=_grants(term, roles, ids),
            reference=start,
            person_ids=ids,
            teaching_years={p.pk: p.teaching_years(start) for p in people},
            ages={p.pk: p.age(start) for p in people},
            members=members,
            tags=tags,
            mentor_windows=mentor_w,
            mentee_windows=mentee_w,
            exemptions=exemptions,
        )


def _grants(term: Term, roles: set[str], ids: list[int]) -> dict:
    """role → person → (start, end) of their grant in the org (any dates: the engine clips)."""
    found: dict[str, dict] = defaultdict(dict)
    if not roles:
        return found
    year = term.school_year
    rows = RoleGrant.every.filter(
        Q(start__isnull=True) | Q(start__lte=year.end),
        Q(end__isnull=True) | Q(end__gte=year.start),
        org_id=year.org_id,
        role__in=roles,
        user__person__isnull=False,
    )
    if len(ids) < 900:
        rows = rows.filter(user__person__in=ids)
    for role, pid, s, e in rows.values_list("role", "user__person", "start", "end"):
        found[role][pid] = (s, e)
    return found


def _org_people(term: Term):
    """Large lists of people are the org's (a page or a group is small): a subquery beats a
    parameter per person, which SQLite caps."""
    return Person.objects.filter(org_id=term.school_year.org_id)


def _in_range(value: int | None, low: int | None, high: int | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _audience(r: Requirement, facts: _Facts, term: Term) -> tuple[dict, list]:
    """(person → windows, the shared whole-span window): set operations on the facts, no
    per-person model calls."""
    span_start = (
        term.school_year.start if r.period == Requirement.Period.SCHOOL_YEAR else term.start
    )
    whole: list[tuple[date, date | None]] = [(span_start, None)]
    group_ids = {g.pk for g in r.groups.all()}
    tag_ids = {t.pk for t in r.tags.all()}
    if group_ids or r.group_role:
        candidates = {
            pid
            for gid, members in facts.members.items()
            if not group_ids or gid in group_ids
            for pid, role in members
            if not r.group_role or role == r.group_role
        }
        pids = [pid for pid in facts.person_ids if pid in candidates]
    else:
        pids = facts.person_ids
    if tag_ids:
        pids = [pid for pid in pids if tag_ids & facts.tags.get(pid, set())]
    for low, high, values in (
        (r.teaching_years_min, r.teaching_years_max, facts.teaching_years),
        (r.age_min, r.age_max, facts.ages),
    ):
        if low is not None or high is not None:
            pids = [pid for pid in pids if _in_range(values[pid], low, high)]
    if r.owner == r.Owner.GROUP:
        return {}, whole
    if r.owner == r.Owner.ROLE:
        span_end = term.school_year.end if r.period == r.Period.SCHOOL_YEAR else term.end
        held = facts.grants.get(r.owner_role, {})
        windows = {}
        for pid in pids:
            if pid in held:
                s, e = held[pid]
                if (s is None or s <= span_start) and (e is None or e >= span_end):
                    windows[pid] = whole
                else:
                    windows[pid] = [(max(s or span_start, span_start), e)]
    elif r.mentorship in (r.Mentorship.MENTEE_OBSERVES_MENTOR, r.Mentorship.MENTEES):
        found = facts.mentee_windows
        windows = {pid: found[pid] for pid in pids if found.get(pid)}
    elif r.mentorship in (r.Mentorship.MENTOR_OBSERVES_MENTEE, r.Mentorship.MENTORS):
        found = facts.mentor_windows
        windows = {pid: found[pid] for pid in pids if found.get(pid)}
    else:
        windows = dict.fromkeys(pids, whole)
    return windows, whole


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
    year = term.school_year
    found = P.deadlines(
        r.period,
        span,
        weekday=weekday,
        is_workday=days.is_workday if aware else None,
        anchor=term.start,
        school_year_start=(year.start.month, year.start.day),  # a hospital's 年度: 1 January
    )
    if r.effective_from:
        found = [d for d in found if d.period.end >= r.effective_from]
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
