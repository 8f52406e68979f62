"""Reads for the 行事历 and 工作分工: which plans a user may read, where each calendar item falls
in a term, and what a person is responsible for.

A calendar item is placed by date (most precise), else by teaching week, else by month. Week and
month numbers only mean something against a term, so every placement is computed for one term:
:func:`place` is pure arithmetic on dates; the rest goes through ``keshi.org.scoping``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from keshi.calendar import periods
from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term, teaching_weeks, term_months
from keshi.org.models import Membership, Org, Person
from keshi.org.scoping import can_manage_org, scope_for, visible
from keshi.plans.models import CalendarFeed, CalendarItem, Duty, Plan

DATE, WEEK, MONTH = "date", "week", "month"
READABLE_BY_ALL = (Plan.Status.PUBLISHED, Plan.Status.ARCHIVED)


# ---- placement (pure) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    kind: str  # DATE | WEEK | MONTH
    start: date  # for a month: the 1st
    end: date  # inclusive; a week runs Monday–Friday, a month to its last day
    week: int | None  # 第N周 of the term (None for month-only items)
    year: int
    month: int

    @property
    def label(self) -> str:
        if self.kind == DATE:
            if self.end == self.start:
                return f"{self.start.month}月{self.start.day}日"
            if (self.end.year, self.end.month) == (self.start.year, self.start.month):
                return f"{self.start.month}月{self.start.day}日—{self.end.day}日"
            return f"{self.start.month}月{self.start.day}日—{self.end.month}月{self.end.day}日"
        if self.kind == WEEK:
            return f"第{self.week}周"
        return f"{self.month}月"


def month_year(month: int, term_start: date, term_end: date) -> int:
    """The year of ``month`` nearest to the term (a 第一学期 has 9–12月 then 1月 of the next year)."""

    def gap(year: int) -> int:
        first, last = date(year, month, 1), periods.month_end(year, month)
        if first <= term_end and term_start <= last:
            return 0
        return min(abs((first - term_end).days), abs((term_start - last).days))

    return min(range(term_start.year - 1, term_end.year + 2), key=gap)


def place(
    *,
    month: int | None,
    week: int | None,
    day: date | None,
    end_day: date | None,
    term_start: date,
    term_end: date,
) -> Placement | None:
    """Where an item falls against a term, or None for an item with no placement at all."""
    if day is not None:
        end = end_day if end_day and end_day >= day else day
        number = periods.teaching_week_number(term_start, day)
        return Placement(DATE, day, end, number, day.year, day.month)
    if week is not None:
        monday = periods.monday_of(term_start) + timedelta(weeks=week - 1)
        first_day = max(monday, term_start)
        if month and month != first_day.month:
            # 第N周 straddles two months and the plan named the second one.
            first_day = date(month_year(month, monday, monday + timedelta(days=6)), month, 1)
        return Placement(WEEK, monday, monday + timedelta(days=4), week, *_ym(first_day))
    if month is not None:
        year = month_year(month, term_start, term_end)
        return Placement(
            MONTH, date(year, month, 1), periods.month_end(year, month), None, year, month
        )
    return None


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def in_term(placement: Placement, term_start: date, term_end: date) -> bool:
    return placement.start <= term_end and term_start <= placement.end


def is_overdue(status: str, placement: Placement | None, today: date) -> bool:
    return status == CalendarItem.Status.PLANNED and placement is not None and placement.end < today


# ---- plans and items --------------------------------------------------------------------------


def readable_plans(user) -> QuerySet[Plan]:
    """Plans ``user`` may read: published/archived ones in their org; drafts only for office,
    leader and district staff (the roles with read paths over the org)."""
    qs = visible(user, Plan.objects.all())
    scope = scope_for(user)
    if scope.is_admin:
        return qs
    staff = Q(pk__in=[])
    for path in scope.read_paths:
        staff |= Q(org__path__startswith=path)
    return qs.filter(Q(status__in=READABLE_BY_ALL) | staff)


def plans_of_term(qs: QuerySet[Plan], term: Term) -> QuerySet[Plan]:
    return qs.filter(Q(term=term) | Q(term__isnull=True, school_year_id=term.school_year_id))


def can_edit_item(user, item: CalendarItem) -> bool:
    """Office staff of the plan's org; a group lead for the items of a group they lead."""
    if can_manage_org(user, item.plan.org):
        return True
    scope = scope_for(user)
    return (
        item.group_id in scope.lead_group_ids
        and readable_plans(user).filter(pk=item.plan_id).exists()
    )


def plans_for_new_items(user, org: Org) -> QuerySet[Plan]:
    """Plans to which ``user`` may add calendar items (leads: published plans, their groups)."""
    qs = readable_plans(user).filter(org=org)
    if can_manage_org(user, org):
        return qs
    if scope_for(user).lead_group_ids:
        return qs.filter(status=Plan.Status.PUBLISHED)
    return qs.none()


@dataclass
class Row:
    item: CalendarItem
    placement: Placement
    overdue: bool
    can_edit: bool = False

    @property
    def owner_names(self) -> str:
        return "、".join(p.name for p in self.item.owners.all())


def _items(plans: QuerySet[Plan]) -> QuerySet[CalendarItem]:
    return (
        CalendarItem.objects.filter(plan__in=plans)
        .select_related("plan", "plan__org", "group")
        .prefetch_related("owners", "evidence")
    )


def term_of(item: CalendarItem, terms: Iterable[Term]) -> tuple[Term, Placement] | None:
    """The term an item belongs to (its plan's, else the term of the school year it falls in)."""
    for term in terms:
        p = _place_item(item, term)
        if p is None:
            return None
        if item.plan.term_id == term.pk or in_term(p, term.start, term.end):
            return term, p
    return None


def placement_of(item: CalendarItem) -> Placement | None:
    """Where an item falls, against its plan's term or the terms of its plan's school year."""
    plan = item.plan
    if plan.term_id:
        terms = [plan.term]
    else:
        terms = list(Term.objects.filter(school_year_id=plan.school_year_id).order_by("start"))
    found = term_of(item, terms)
    return found[1] if found else None


def _place_item(item: CalendarItem, term: Term) -> Placement | None:
    return place(
        month=item.month,
        week=item.week,
        day=item.date,
        end_day=item.end_date,
        term_start=term.start,
        term_end=term.end,
    )


def term_rows(
    user,
    term: Term,
    *,
    plan: Plan | None = None,
    group_id: int | None = None,
    owner_id: int | None = None,
    status: str = "",
    today: date | None = None,
) -> list[Row]:
    """The calendar items of ``term`` that ``user`` may read, placed and sorted by time."""
    today = today or timezone.localdate()
    plans = plans_of_term(readable_plans(user).filter(org_id=term.school_year.org_id), term)
    if plan is not None:
        plans = plans.filter(pk=plan.pk)
    items = _items(plans)
    if group_id:
        items = items.filter(group_id=group_id)
    if owner_id:
        items = items.filter(owners__id=owner_id)
    if status:
        items = items.filter(status=status)
    manage = can_manage_org(user, term.school_year.org)
    lead_groups = scope_for(user).lead_group_ids
    return _placed_rows(items, term, today, lambda item: manage or item.group_id in lead_groups)


def published_rows(term: Term, today: date | None = None) -> list[Row]:
    """The items of ``term``'s published plans: what every person of the org may read."""
    plans = plans_of_term(
        Plan.objects.filter(org_id=term.school_year.org_id, status=Plan.Status.PUBLISHED), term
    )
    return _placed_rows(_items(plans), term, today or timezone.localdate(), lambda item: False)


def _placed_rows(items: QuerySet[CalendarItem], term: Term, today: date, editable) -> list[Row]:
    first_term = term.number == Term.Number.FIRST
    rows = []
    for item in items.distinct():
        p = _place_item(item, term)
        if p is None:
            continue
        if item.plan.term_id != term.pk and not _year_plan_item_in(p, item, term, first_term):
            continue
        rows.append(Row(item, p, is_overdue(item.status, p, today), editable(item)))
    rows.sort(key=lambda r: (r.placement.start, r.placement.kind != MONTH, r.item.position))
    return rows


def _year_plan_item_in(p: Placement, item: CalendarItem, term: Term, first_term: bool) -> bool:
    # A school-year plan's 第N周 without date or month has no term of its own: 第一学期 takes it.
    if item.date is None and item.month is None:
        return first_term
    return in_term(p, term.start, term.end)


def items_owned_by(person: Person, term: Term | None, *, user=None) -> list[Row]:
    """Calendar items of published plans of ``term`` that ``person`` owns."""
    if term is None:
        return []
    plans = plans_of_term(
        Plan.objects.filter(org_id=person.org_id, status=Plan.Status.PUBLISHED), term
    )
    if user is not None:
        plans = plans.filter(pk__in=readable_plans(user).values("pk"))
    today = timezone.localdate()
    rows = []
    for item in _items(plans).filter(owners=person):
        p = _place_item(item, term)
        if p is not None:
            rows.append(Row(item, p, is_overdue(item.status, p, today)))
    rows.sort(key=lambda r: r.placement.start)
    return rows


def duties_of(person: Person, *, user=None, term: Term | None = None) -> QuerySet[Duty]:
    """工作分工 of ``person`` in the published plans of the current term (or ``term``)."""
    term = term or current_term(person.org)
    if term is None:
        return Duty.objects.none()
    plans = plans_of_term(
        Plan.objects.filter(org_id=person.org_id, status=Plan.Status.PUBLISHED), term
    )
    qs = Duty.objects.filter(person=person, plan__in=plans).select_related("plan", "plan__group")
    if user is not None:
        qs = visible(user, qs)
    return qs.order_by("plan__title", "position", "pk")


# ---- layouts of the month and week views --------------------------------------------------


def month_groups(term: Term, rows: list[Row], today: date) -> list[dict]:
    """Rows by month, every month of the term present (empty ones too)."""
    months: dict[tuple[int, int], list[Row]] = {}
    for m in term_months(term):
        months[(m.year, m.month)] = []
    for row in rows:
        months.setdefault((row.placement.year, row.placement.month), []).append(row)
    return [
        {"year": y, "month": m, "rows": rs, "current": (y, m) == (today.year, today.month)}
        for (y, m), rs in sorted(months.items())
    ]


def week_lines(term: Term, rows: list[Row]) -> dict:
    """第1周…第N周 with their rows, month-only rows in a band before the first week reaching
    their month, and rows outside the term's weeks apart."""
    by_week: dict[int, list[Row]] = {}
    by_month: dict[tuple[int, int], list[Row]] = {}
    outside: list[Row] = []
    for row in rows:
        if row.placement.kind == MONTH:
            by_month.setdefault((row.placement.year, row.placement.month), []).append(row)
        else:
            by_week.setdefault(row.placement.week, []).append(row)
    weeks_ = teaching_weeks(term)
    numbers = {w.number for w in weeks_}
    for number in sorted(set(by_week) - numbers):
        outside.extend(by_week[number])
    lines: list[dict] = []
    shown: set[tuple[int, int]] = set()
    for week in weeks_:
        # A month's band goes before the first week that reaches into that month.
        reach = (week.sunday.year, week.sunday.month)
        for ym in sorted(by_month):
            if ym not in shown and reach >= ym:
                lines.append({"band": ym, "rows": by_month[ym]})
                shown.add(ym)
        lines.append({"week": week, "rows": by_week.get(week.number, [])})
    for ym in sorted(set(by_month) - shown):
        lines.append({"band": ym, "rows": by_month[ym]})
    return {"lines": lines, "outside": outside}


# ---- feeds ------------------------------------------------------------------------------------


def active_feed(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("org", "person")
        .first()
    )


def feeds_for(user, org: Org) -> dict[str, CalendarFeed | None]:
    """The user's own active feed and (office staff) the org's."""
    scope = scope_for(user)
    active = CalendarFeed.objects.filter(org=org, revoked_at__isnull=True)
    mine = active.filter(person_id=scope.person_id).first() if scope.person_id else None
    org_feed = active.filter(person__isnull=True).first() if can_manage_org(user, org) else None
    return {"person": mine, "org": org_feed}


def feed_entries(feed: CalendarFeed) -> list[tuple[CalendarItem, Placement]]:
    """What a feed publishes: the items of the org's published plans; for a person, only those
    they own plus the items nobody owns that concern the whole org or a group of theirs."""
    plans = Plan.objects.filter(org_id=feed.org_id, status=Plan.Status.PUBLISHED)
    items = _items(plans)
    if feed.person_id:
        groups = Membership.objects.current().filter(person_id=feed.person_id)
        unowned = Q(owners__isnull=True) & (
            Q(group__isnull=True) | Q(group_id__in=groups.values("group_id"))
        )
        items = items.filter(Q(owners=feed.person_id) | unowned)
    terms = list(Term.objects.filter(school_year__org_id=feed.org_id).select_related("school_year"))
    entries = []
    for item in items.distinct():
        candidates = [t for t in terms if t.pk == item.plan.term_id] or sorted(
            (t for t in terms if t.school_year_id == item.plan.school_year_id),
            key=lambda t: t.start,
        )
        found = term_of(item, candidates)
        if found is not None:
            entries.append((item, found[1]))
    entries.sort(key=lambda e: (e[1].start, e[0].pk))
    return entries
