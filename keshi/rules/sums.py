"""The compliance engine's reads of the records: few aggregation queries for all requirements.

Requirements differ in kinds, periods and per-item minimums; rather than one query each, the
records are grouped once by (person, kind, bucket, size class):

* buckets are the elementary date ranges cut by every period boundary of every requirement
  (weeks, fortnights, months, the term…), so each period is a run of consecutive buckets;
* the size class says which per-item minimums (``item_min_chars``) a record meets.

Mentorship-pair rules (a mentee observing *their* mentor on a date the pair is in force) need a
correlated test per record, so they get one query per direction over observations only.

Values travel as integer hundredths, so Python adds ints; the engine turns them into Decimals.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Round

from keshi.org.models import Mentorship
from keshi.records.models import Activity

PAIRS = ("mentee_observes_mentor", "mentor_observes_mentee")
# Where each measure sits in a fetched row (person, kind, bucket, size, n, quantity, …).
_COLUMN = {"count": 4, "quantity": 5, "credits": 6, "chars": 7}
ONE_DAY = timedelta(days=1)

# requirement → (person → hundredths per bucket, bucket range [lo, hi) per deadline or None)
Found = dict[int, tuple[dict[int, list[int]], list[tuple[int, int] | None]]]


def load(plans, *, org_id: int, person_ids: list[int], at: date) -> Found:
    batches: dict[str, list] = defaultdict(list)
    for plan in plans:
        if plan.windows and any(d.period.start <= at for d in plan.deadlines):
            r = plan.requirement
            batches[r.mentorship if r.mentorship in PAIRS else ""].append(plan)
    found: Found = {}
    for pairing, batch in batches.items():
        found.update(_batch(batch, pairing, org_id=org_id, person_ids=person_ids, at=at))
    return found


def _batch(plans, pairing: str, *, org_id: int, person_ids: list[int], at: date) -> Found:
    begun = [d.period for p in plans for d in p.deadlines if d.period.start <= at]
    bounds = sorted({x for p in begun for x in (p.start, p.end + ONE_DAY)})
    minimums = sorted({p.requirement.item_min_chars for p in plans} - {None, 0})
    kinds = {k.pk for p in plans for k in p.requirement.kinds.all()}
    rows = Activity.objects.filter(
        kind_id__in=kinds,
        status__in=Activity.COUNTED,
        complete=True,
        date__gte=bounds[0],
        date__lte=min(bounds[-1] - ONE_DAY, at),
    )
    if len(person_ids) < 900:
        rows = rows.filter(person_id__in=person_ids)
    else:
        rows = rows.filter(person__org=org_id)
    # The IN narrows the rows to people in a pair before the per-row test (twice as fast).
    if pairing == "mentee_observes_mentor":
        rows = rows.filter(
            person_id__in=Mentorship.objects.filter(org_id=org_id).values("mentee_id"),
        ).filter(Exists(_pair(mentor="observed_id", mentee="person_id")))
    elif pairing == "mentor_observes_mentee":
        rows = rows.filter(
            person_id__in=Mentorship.objects.filter(org_id=org_id).values("mentor_id"),
        ).filter(Exists(_pair(mentor="person_id", mentee="observed_id")))
    size = (
        Case(
            *[
                When(chars__gte=m, then=Value(i + 1))
                for i, m in reversed(list(enumerate(minimums)))
            ],
            default=Value(0),
            output_field=IntegerField(),
        )
        if minimums
        else Value(0, output_field=IntegerField())
    )
    grouped = (
        rows.annotate(bucket=_bucket(bounds, 0, len(bounds) - 1), size=size)
        .values("person_id", "kind_id", "bucket", "size")
        .annotate(
            n=_times100(Count("id")),
            quantity=_hundredths("quantity"),
            credits=_hundredths("credits"),
            chars=_times100(Sum("chars")),
        )
        .order_by()
    )
    try:
        sql, params = grouped.query.sql_with_params()
    except EmptyResultSet:  # e.g. a draft rule without kinds: nothing can count
        fetched = []
    else:
        # Raw rows: the ORM's per-value converters would cost more than the query on big orgs.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
    return _combine(plans, fetched, bounds, minimums, at)


def _combine(plans, fetched, bounds, minimums, at: date) -> Found:
    """Add the grouped rows into one series per distinct (kinds, measure, minimum) — rules that
    share them share the series — and map each deadline to its run of buckets."""
    width = len(bounds) - 1
    series: dict[tuple, dict[int, list[int]]] = {}
    by_kind: dict[int, list[tuple[dict, int, int]]] = defaultdict(list)
    found: Found = {}
    for plan in plans:
        r = plan.requirement
        need = minimums.index(r.item_min_chars) + 1 if r.item_min_chars else 0
        key = (frozenset(k.pk for k in r.kinds.all()), r.measure, need)
        if key not in series:
            series[key] = {}
            for kind in key[0]:
                by_kind[kind].append((series[key], _COLUMN[r.measure], need))
        ranges = [
            (
                bisect.bisect_left(bounds, d.period.start),
                bisect.bisect_left(bounds, d.period.end + ONE_DAY),
            )
            if d.period.start <= at
            else None
            for d in plan.deadlines
        ]
        found[r.pk] = (series[key], ranges)
    for fetched_row in fetched:
        person, kind, bucket, size = fetched_row[:4]
        for values, column, need in by_kind.get(kind, ()):
            if size < need:
                continue
            row = values.get(person)
            if row is None:
                row = values[person] = [0] * width
            row[bucket] += fetched_row[column] or 0
    return found


def _bucket(bounds: list[date], lo: int, hi: int):
    """The index of the bucket [bounds[i], bounds[i+1]) holding the row's date, as a balanced
    tree of CASEs: a handful of comparisons per row, not one per bucket."""
    if hi - lo == 1:
        return Value(lo, output_field=IntegerField())
    mid = (lo + hi) // 2
    return Case(
        When(date__lt=bounds[mid], then=_bucket(bounds, lo, mid)),
        default=_bucket(bounds, mid, hi),
        output_field=IntegerField(),
    )


def _hundredths(field: str):
    scaled = ExpressionWrapper(F(field) * 100, output_field=DecimalField())
    return Cast(Round(Sum(scaled)), BigIntegerField())


def _times100(aggregate):
    return ExpressionWrapper(aggregate * 100, output_field=BigIntegerField())


def _pair(*, mentor: str, mentee: str):
    """Mentorships pairing the row's two people, in force on the row's date."""
    return Mentorship.objects.filter(
        Q(start__isnull=True) | Q(start__lte=OuterRef("date")),
        Q(end__isnull=True) | Q(end__gte=OuterRef("date")),
        mentor_id=OuterRef(mentor),
        mentee_id=OuterRef(mentee),
    )
