"""The engine's reads of what is not a person's own records: the inspections a person took part
in as an inspector (``source = inspections``) and a group's closed 教研活动 sessions
(``owner = group``).

Both are few rows (a school holds a few hundred inspections and sessions a term, against tens
of thousands of records), so each is one plain query for all the rules that need it, and the
sums per deadline are taken in Python with numpy — the same :class:`keshi.rules.sums.Totals`
the records give, so the engine judges them the same way.

* An inspection counts on the day it was completed (``completed_at``, school time), for each of
  its inspectors: ``count`` is 1 per inspection (次), ``quantity`` the number of people or
  groups scored in it (人次); ``inspection_kind`` narrows to one kind of inspection.
* A session counts once, on its date, for its group, once it is closed (签到关闭: the
  attendees then hold their 教研活动 records).
* A group-owned rule on other kinds (每半年每个科室选派一人进修) counts its members' records
  of those kinds (counted states only), each for the groups its person belonged to on its
  date: ``count`` 1 per record, ``quantity`` the record's amount.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db.models import Count
from django.utils import timezone

from keshi.checks.models import Inspection
from keshi.groupwork.models import Session
from keshi.org.models import Membership
from keshi.records.models import Activity
from keshi.rules.sums import Totals


def inspections(plans, *, org_id: int, person_ids: list[int], at: date) -> dict[int, Totals]:
    """requirement → its totals, for plans counted over inspections performed."""
    plans = [p for p in plans if p.windows]
    if not plans:
        return {}
    start = min(d.period.start for p in plans for d in p.deadlines)
    counts = dict(
        Inspection.objects.filter(org_id=org_id, status=Inspection.Status.COMPLETED)
        .annotate(n=Count("results"))
        .values_list("pk", "n")
    )
    through = Inspection.inspectors.through
    rows = through.objects.filter(
        inspection__org_id=org_id,
        inspection__status=Inspection.Status.COMPLETED,
        inspection__completed_at__isnull=False,
    ).values_list("person_id", "inspection_id", "inspection__kind", "inspection__completed_at")
    fetched = []
    for pid, iid, kind, completed in rows:
        day = timezone.localdate(completed)
        if start <= day <= at:
            fetched.append((pid, day, kind, counts.get(iid, 0)))
    found = {}
    for plan in plans:
        r = plan.requirement
        quantity = r.measure == r.Measure.QUANTITY
        picked = [
            (pid, day, 100 * (n if quantity else 1))
            for pid, day, kind, n in fetched
            if not r.inspection_kind or kind == r.inspection_kind
        ]
        found[r.pk] = totals(plan, picked, person_ids, at)
    return found


def sessions(plans, *, org_id: int, group_ids: list[int], at: date) -> dict[int, Totals]:
    """requirement → its totals per group, for group-owned plans."""
    plans = [p for p in plans if p.windows]
    if not plans:
        return {}
    start = min(d.period.start for p in plans for d in p.deadlines)
    rows = Session.objects.filter(
        org_id=org_id,
        group_id__in=group_ids,
        closed_at__isnull=False,
        date__gte=start,
        date__lte=at,
    ).values_list("group_id", "date")
    picked = [(gid, day, 100) for gid, day in rows]
    return {p.requirement.pk: totals(p, picked, group_ids, at) for p in plans}


def member_records(plans, *, org_id: int, group_ids: list[int], at: date) -> dict[int, Totals]:
    """requirement → its totals per group, for group-owned plans over members' records."""
    plans = [p for p in plans if p.windows]
    if not plans:
        return {}
    start = min(d.period.start for p in plans for d in p.deadlines)
    spans: dict[int, list[tuple[int, date | None, date | None]]] = {}
    for pid, gid, begin, end in Membership.objects.filter(
        group_id__in=group_ids, group__org_id=org_id
    ).values_list("person_id", "group_id", "start", "end"):
        spans.setdefault(pid, []).append((gid, begin, end))
    kind_ids = {k.pk for p in plans for k in p.requirement.kinds.all()}
    rows = Activity.objects.filter(
        org_id=org_id,
        person_id__in=list(spans),
        kind_id__in=kind_ids,
        status__in=Activity.COUNTED,
        date__gte=start,
        date__lte=at,
    ).values_list("person_id", "kind_id", "date", "quantity")
    fetched = [
        (gid, kid, day, quantity)
        for pid, kid, day, quantity in rows
        for gid, begin, end in spans[pid]
        if (begin is None or begin <= day) and (end is None or day <= end)
    ]
    found = {}
    for plan in plans:
        r = plan.requirement
        kinds = {k.pk for k in r.kinds.all()}
        quantity = r.measure == r.Measure.QUANTITY
        picked = [
            (gid, day, int(100 * q) if quantity else 100)
            for gid, kid, day, q in fetched
            if kid in kinds
        ]
        found[r.pk] = totals(plan, picked, group_ids, at)
    return found


def totals(plan, rows: list[tuple[int, date, int]], owner_ids: list[int], at: date) -> Totals:
    """(owner, day, hundredths) rows → per deadline, hundredths per owner (None: not begun).
    Rows of owners not in ``owner_ids`` are dropped."""
    positions = {oid: i for i, oid in enumerate(owner_ids)}
    kept = [(positions[o], day, c) for o, day, c in rows if o in positions and day <= at]
    where = np.fromiter((i for i, _d, _c in kept), np.intp, len(kept))
    days = np.array([d.toordinal() for _i, d, _c in kept], dtype=np.int64)
    cents = np.fromiter((c for _i, _d, c in kept), np.int64, len(kept))
    vectors: list[np.ndarray | None] = []
    for d in plan.deadlines:
        if d.period.start > at:
            vectors.append(None)
            continue
        inside = (days >= d.period.start.toordinal()) & (days <= d.period.end.toordinal())
        vector = np.zeros(len(owner_ids), dtype=np.int64)
        np.add.at(vector, where[inside], cents[inside])
        vectors.append(vector)
    return Totals(positions, vectors)
