"""Reads of the indicators app, scoped.

Who sees an indicator: whoever reads its org (office, leader, district, admin — through
:func:`keshi.org.scoping.visible`), the lead of its department (``scope.lead_group_ids``) and the
department's current members. Who enters its figures: the office (``manageable``) and the
department's lead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext

from keshi.indicators import measure
from keshi.indicators.models import Actual, Indicator
from keshi.org.models import Group, Membership, Org
from keshi.org.scoping import manageable, scope_for, visible
from keshi.plans.models import Suggestion

DEFAULT_DUE_DAY = 10


def due_day() -> int:
    """The day of the next month by which a month's figures count as on time (DHIS2's
    "timely"); ``KESHI_INDICATOR_DUE_DAY``, 10 by default."""
    return int(getattr(settings, "KESHI_INDICATOR_DUE_DAY", DEFAULT_DUE_DAY))


def readable_indicators(user) -> QuerySet[Indicator]:
    scope = scope_for(user)
    base = Indicator.objects.select_related("group", "org")
    if scope.is_admin:
        return base
    ids = visible(user, Indicator.objects.all()).values("pk")
    groups = scope.lead_group_ids | scope.member_group_ids
    return base.filter(Q(pk__in=ids) | Q(group_id__in=groups))


def enterable_indicators(user) -> QuerySet[Indicator]:
    scope = scope_for(user)
    base = Indicator.objects.select_related("group", "org")
    if scope.is_admin:
        return base
    ids = manageable(user, Indicator.objects.all()).values("pk")
    return base.filter(Q(pk__in=ids) | Q(group_id__in=scope.lead_group_ids))


def can_enter(user, indicator: Indicator) -> bool:
    return enterable_indicators(user).filter(pk=indicator.pk).exists()


def indicator_orgs(user) -> list[Org]:
    """Orgs with indicators the user reads, plus the orgs they manage (to create the first)."""
    ids = set(readable_indicators(user).values_list("org_id", flat=True))
    ids |= set(manageable(user, Org.objects.all()).values_list("pk", flat=True))
    lead_groups = Group.objects.filter(pk__in=scope_for(user).lead_group_ids)
    ids |= set(lead_groups.values_list("org_id", flat=True))  # a head before the first indicator
    return list(Org.objects.filter(pk__in=ids).order_by("path"))


def department_choices(user, org: Org) -> QuerySet[Group]:
    return visible(user, Group.objects.filter(org=org)).order_by("kind", "name")


def pending_targets(user, org: Org) -> QuerySet[Suggestion]:
    """The org's plans' target suggestions still waiting (从计划指标创建)."""
    return (
        visible(user, Suggestion.objects.filter(plan__org=org))
        .filter(kind=Suggestion.Kind.TARGET, status=Suggestion.Status.PENDING)
        .select_related("plan", "plan__group")
        .order_by("plan", "position", "pk")
    )


# ---- figures ---------------------------------------------------------------------------------


def entries_for(indicators: list[Indicator], years: tuple[int, ...]) -> dict[int, dict]:
    """``{indicator_id: {(year, month): Entry}}`` in one query."""
    found: dict[int, dict] = defaultdict(dict)
    rows = Actual.objects.filter(indicator__in=[i.pk for i in indicators], year__in=years)
    for a in rows:
        found[a.indicator_id][(a.year, a.month)] = a.entry()
    return found


@dataclass
class Row:
    indicator: Indicator
    months: list[measure.Judged]  # twelve, as months
    periods: list[measure.Judged]  # the indicator's own periods
    ytd: measure.Judged
    last_year: list[measure.Judged] = field(default_factory=list)

    @property
    def target_text(self) -> str:
        return self.indicator.target_text(self.ytd.period.year)

    @property
    def missed(self) -> int:
        return sum(p.status == measure.Status.MISSED for p in self.periods)


def rows_for(indicators: list[Indicator], year: int, at: date) -> list[Row]:
    """Each indicator's ``year`` judged against that year's target (last year's months against
    last year's)."""
    entries = entries_for(indicators, (year - 2, year - 1, year))
    prefetch_related_objects(indicators, "year_targets")
    rows = []
    for ind in indicators:
        d, before, mine = ind.definition(year), ind.definition(year - 1), entries.get(ind.pk, {})
        months = [measure.evaluate(d, p, mine, at) for p in measure.periods_of_year("month", year)]
        own = [measure.evaluate(d, p, mine, at) for p in measure.periods_of_year(ind.period, year)]
        last = [
            measure.evaluate(before, p, mine, at)
            for p in measure.periods_of_year("month", year - 1)
        ]
        ytd = measure.year_to_date(d, year, mine, at)
        rows.append(Row(ind, months, own, ytd, last))
    return rows


@dataclass
class Reporting:
    group: Group
    expected: int = 0
    entered: int = 0
    on_time: int = 0

    @property
    def rate(self) -> Decimal | None:
        return _pct(self.entered, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _pct(self.on_time, self.expected)


def _pct(part: int, whole: int) -> Decimal | None:
    return measure.round2(Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def is_complete(a: Actual, indicator: Indicator) -> bool:
    if indicator.is_rate:
        return a.numerator is not None and bool(a.denominator)
    return a.value is not None


def reporting(indicators: list[Indicator], year: int, at: date) -> dict[int, Reporting]:
    """DHIS2's reporting rate per department: expected = active indicators × months of ``year``
    ended before ``at``; entered = those with figures; on time = entered by the due day of the
    next month."""
    last = 12 if at.year > year else (at.month - 1 if at.year == year else 0)
    result: dict[int, Reporting] = {}
    by_pk = {i.pk: i for i in indicators}
    for ind in indicators:
        rep = result.setdefault(ind.group_id, Reporting(ind.group))
        rep.expected += last if ind.active else 0
    day = due_day()
    rows = Actual.objects.filter(indicator__in=list(by_pk), year=year, month__lte=last)
    tz = timezone.get_current_timezone()
    for a in rows:
        ind = by_pk[a.indicator_id]
        if not ind.active or not is_complete(a, ind):
            continue
        rep = result[ind.group_id]
        rep.entered += 1
        entered: datetime = a.entered_at
        if timezone.localtime(entered, tz).date() <= measure.due_date(a.year, a.month, day):
            rep.on_time += 1
    return result


def actuals_grid(indicators: list[Indicator], year: int) -> dict[tuple[int, int], Actual]:
    rows = Actual.objects.filter(indicator__in=[i.pk for i in indicators], year=year)
    return {(a.indicator_id, a.month): a for a in rows}


def deadlines(org: Org, at: date) -> dict[int, list[tuple[str, date]]]:
    """Department lead id → (label, due) when last month's figures of their department are not
    all entered, due on :func:`due_day` of this month — for the daily digest (a system read)."""
    year, month = (at.year - 1, 12) if at.month == 1 else (at.year, at.month - 1)
    indicators = list(Indicator.objects.filter(org=org, active=True).select_related("group"))
    grid = actuals_grid(indicators, year)
    missing: dict[int, int] = defaultdict(int)
    groups: dict[int, Group] = {}
    for ind in indicators:
        actual = grid.get((ind.pk, month))
        if actual is None or not is_complete(actual, ind):
            missing[ind.group_id] += 1
            groups[ind.group_id] = ind.group
    if not missing:
        return {}
    due = measure.due_date(year, month, due_day())
    out: dict[int, list[tuple[str, date]]] = defaultdict(list)
    leads = Membership.objects.current(at).filter(
        group_id__in=list(missing), role=Membership.Role.LEAD
    )
    for person_id, group_id in leads.values_list("person_id", "group_id"):
        label = gettext("科室指标·%(group)s·%(month)d月数据（%(n)d项未填报）") % {
            "group": groups[group_id].name,
            "month": month,
            "n": missing[group_id],
        }
        out[person_id].append((label, due))
    return dict(out)
