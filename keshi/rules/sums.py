"""The compliance engine's reads of the records: one aggregation query for all requirements.

Requirements differ in kinds, periods, per-item minimums and mentorship pairs; rather than one
query each, the records are grouped once, in one pass, by (person, kind, bucket, size class)
and, for observations within a mentorship pair only, (partner, date):

* buckets are the elementary date ranges cut by every period boundary of every requirement
  (weeks, fortnights, months, the term…), so each period is a run of consecutive buckets;
* the size class says which per-item minimums (``item_min_chars``) a record meets;
* a pair rule (a mentee observing *their* mentor, or the reverse) counts an observation only
  while the pair is in force: the query marks the rows whose (person, observed) is a pair of
  the org with an uncorrelated set test, and Python checks those few against the pair's dates.

Values travel as integer hundredths. Python adds the fetched rows into one matrix (people ×
buckets) per distinct (kinds, measure, minimum, pair direction, caps) — rules that share them
share it — with numpy, and hands the engine one vector of hundredths per person for each
deadline.

A cap inside a rule (:class:`keshi.rules.models.KindCap`: 其中读书心得最多计1篇) is applied
here and only here: a capped kind gets a matrix of its own, and each period's total is the
uncapped kinds' sum plus, per capped kind, the smaller of its sum over that period and its
limit — per period, never across periods.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import chain

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Round

from keshi.org.models import Mentorship
from keshi.records.models import Activity

# Pair flag bits of the mentorship-pair rules.
PAIRS = {"mentee_observes_mentor": 1, "mentor_observes_mentee": 2}
# The columns of the combined table, and where each measure sits in it.
_NAMES = ("person_id", "kind_id", "bucket", "size", "pair", "n", "quantity", "credits", "chars")
_COLUMN = {"count": 5, "quantity": 6, "credits": 7, "chars": 8}
_WIDTH = len(_NAMES)
ONE_DAY = timedelta(days=1)


@dataclass
class Totals:
    """One requirement's sums: for each of its deadlines, hundredths per person (a vector in
    the order of ``rows``), or None for a period not begun."""

    rows: dict[int, int]  # person → position in the vectors
    by_deadline: list[np.ndarray | None]
    # Per deadline, (kind, limit, the kind's sums before its cap) for each capped kind (in
    # hundredths): what the pages explain ("另有 2 篇未计入"). Empty for a rule without caps.
    capped: list[list[tuple[int, int, np.ndarray]]] = field(default_factory=list)

    def cents(self, i: int, person_id: int) -> int:
        vector = self.by_deadline[i]
        return int(vector[self.rows[person_id]]) if vector is not None else 0


def load(plans, *, org_id: int, person_ids: list[int], at: date) -> dict[int, Totals]:
    """requirement → its totals, for the plans with an audience and a period begun by ``at``."""
    plans = [p for p in plans if p.windows and any(d.period.start <= at for d in p.deadlines)]
    if not plans:
        return {}
    begun = [d.period for p in plans for d in p.deadlines if d.period.start <= at]
    bounds = sorted({x for p in begun for x in (p.start, p.end + ONE_DAY)})
    minimums = sorted({p.requirement.item_min_chars for p in plans} - {None, 0})
    pair_kinds = {
        k.pk for p in plans if p.requirement.mentorship in PAIRS for k in p.requirement.kinds.all()
    }
    columns = _fetch(
        plans, bounds, minimums, pair_kinds, org_id=org_id, person_ids=person_ids, at=at
    )
    table = _table(columns, person_ids, _in_force(org_id) if pair_kinds else {})
    return _combine(plans, table, bounds, minimums, person_ids, at)


def _fetch(
    plans, bounds, minimums, pair_kinds, *, org_id: int, person_ids: list[int], at: date
) -> tuple[list[str], list[tuple]]:
    """The grouped rows (all integers) and their column names."""
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
        # The org's records (a record's org is its person's, set when it is recorded): a plain
        # column test, which lets the planner scan the rows in any order; a join with the
        # people made PostgreSQL walk the person index, reading the table at random. Rows of
        # people not asked about are dropped when combined.
        rows = rows.filter(org_id=org_id)
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
    if pair_kinds:
        paired = Q(kind_id__in=pair_kinds) & _paired(org_id)
        partner = Case(
            When(paired, then=F("observed_id")), default=Value(0), output_field=IntegerField()
        )
        day = Case(
            When(paired, then=_DayNumber("date")), default=Value(0), output_field=IntegerField()
        )
    else:
        partner = day = Value(0, output_field=IntegerField())
    grouped = (
        rows.annotate(
            bucket=_bucket(bounds, 0, len(bounds) - 1),
            size=size,
            partner=partner,
            day=day,
        )
        .values("person_id", "kind_id", "bucket", "size", "partner", "day")
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
        return [], []
    # Raw rows: the ORM's per-value converters would cost more than the query on big orgs.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        fetched = cursor.fetchall()
    return names, fetched


def _paired(org_id: int) -> RawSQL:
    """The row's (person, observed) is a mentorship pair of the org, either way round: an
    uncorrelated set (hashed once), so the scan stays one plain pass — parallel on PostgreSQL.
    Whether the pair was in force on the row's date is decided in Python on the few rows it
    lets through, which are grouped by partner and date for that."""
    q = connection.ops.quote_name
    row = f"({q(Activity._meta.db_table)}.{q('person_id')}, {q(Activity._meta.db_table)}.{q('observed_id')})"
    table = q(Mentorship._meta.db_table)
    sql = (
        f"{row} IN (SELECT {q('mentee_id')}, {q('mentor_id')} FROM {table} WHERE {q('org_id')} = %s"
        f" UNION ALL SELECT {q('mentor_id')}, {q('mentee_id')} FROM {table} WHERE {q('org_id')} = %s)"
    )
    return RawSQL(sql, (org_id, org_id), output_field=BooleanField())


def _in_force(org_id: int) -> dict[tuple[int, int], list[tuple[date | None, date | None]]]:
    """(mentor, mentee) → the dates of the org's mentorships pairing them."""
    found: dict[tuple[int, int], list] = defaultdict(list)
    pairs = Mentorship.objects.filter(org_id=org_id).order_by()
    for mentor, mentee, start, end in pairs.values_list("mentor_id", "mentee_id", "start", "end"):
        found[(mentor, mentee)].append((start, end))
    return found


def _holds(windows, day: date) -> bool:
    return any((s is None or s <= day) and (e is None or day <= e) for s, e in windows)


def _table(fetched, person_ids: list[int], pairs: dict) -> np.ndarray:
    """The grouped rows as an int64 array (person position, kind, bucket, size, pair flags,
    n, quantity, credits, chars). Rows of people outside ``person_ids`` are dropped; a row of a
    pair gets its flags (mentee observing mentor: 1, mentor observing mentee: 2) if the pair
    was in force on its date."""
    names, rows = fetched
    if not rows:
        return np.zeros((0, len(_NAMES)), dtype=np.int64)
    try:
        grid = np.fromiter(chain.from_iterable(rows), np.int64, len(rows) * len(names))
    except TypeError:  # a NULL sum: none of the summed columns is nullable, but be safe
        grid = np.array([[v or 0 for v in row] for row in rows], dtype=np.int64)
    grid = grid.reshape(len(rows), len(names))
    table = np.zeros((len(rows), len(_NAMES)), dtype=np.int64)
    for i, name in enumerate(_NAMES):
        if name != "pair":
            table[:, i] = grid[:, names.index(name)]
    if pairs:
        partners, days = grid[:, names.index("partner")], grid[:, names.index("day")]
        for i in np.flatnonzero(partners).tolist():
            person, partner, day = int(table[i, 0]), int(partners[i]), _day(int(days[i]))
            flags = 0
            if _holds(pairs.get((partner, person), ()), day):
                flags |= PAIRS["mentee_observes_mentor"]
            if _holds(pairs.get((person, partner), ()), day):
                flags |= PAIRS["mentor_observes_mentee"]
            table[i, 4] = flags
    ids = np.asarray(person_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    at = np.searchsorted(ordered, table[:, 0]).clip(0, max(len(ids) - 1, 0))
    known = ordered[at] == table[:, 0] if len(ids) else np.zeros(len(table), dtype=bool)
    table = table[known]
    table[:, 0] = order[at[known]]
    return table


@cache
def _day(number: int) -> date:
    return date(number // 10000, number // 100 % 100, number % 100)


class _DayNumber(Func):
    """A date as the integer yyyymmdd (raw rows stay all integers)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(TO_CHAR(%(expressions)s, 'YYYYMMDD') AS INTEGER)"
        )


def caps_of(r) -> tuple[tuple[int, int], ...]:
    """(kind, limit in hundredths) of a requirement's caps on its own kinds, sorted."""
    kinds = {k.pk for k in r.kinds.all()}
    return tuple(
        sorted((c.kind_id, int(c.limit * 100)) for c in r.kind_caps.all() if c.kind_id in kinds)
    )


def _combine(plans, table, bounds, minimums, person_ids, at: date) -> dict[int, Totals]:
    width, people = len(bounds) - 1, len(person_ids)
    rows = {pid: i for i, pid in enumerate(person_ids)}
    matrices: dict[tuple, tuple] = {}
    spans: dict[tuple, tuple] = {}
    found: dict[int, Totals] = {}
    for plan in plans:
        r = plan.requirement
        need = minimums.index(r.item_min_chars) + 1 if r.item_min_chars else 0
        key = (
            frozenset(k.pk for k in r.kinds.all()),
            r.measure,
            need,
            PAIRS.get(r.mentorship, 0),
            caps_of(r),
        )
        if key not in matrices:
            matrices[key] = _matrices(table, key, people, width)
        vectors, capped = [], []
        for d in plan.deadlines:
            if d.period.start > at:
                vectors.append(None)
                capped.append([])
                continue
            lo = bisect.bisect_left(bounds, d.period.start)
            hi = bisect.bisect_left(bounds, d.period.end + ONE_DAY)
            span = (key, lo, hi)
            if span not in spans:
                spans[span] = _span(*matrices[key], lo, hi)
            vectors.append(spans[span][0])
            capped.append(spans[span][1])
        found[r.pk] = Totals(rows, vectors, capped)
    return found


def _span(base: np.ndarray, capped: list, lo: int, hi: int) -> tuple[np.ndarray, list]:
    """One period's total per person — the uncapped kinds' sum plus each capped kind's sum up
    to its limit — and the capped kinds' own sums before their caps."""
    total = base[:, hi] - base[:, lo]
    raw = []
    for kind, limit, cumulative in capped:
        sums = cumulative[:, hi] - cumulative[:, lo]
        total = total + np.minimum(sums, limit)
        raw.append((kind, limit, sums))
    return total, raw


def _matrices(table: np.ndarray, key: tuple, people: int, width: int) -> tuple:
    """The cumulative matrix of the uncapped kinds, and (kind, limit, matrix) per capped kind."""
    kinds, measure, need, bit, caps = key
    limited = {kind for kind, _limit in caps}
    base = _matrix(table, (kinds - limited, measure, need, bit), people, width)
    capped = [
        (kind, limit, _matrix(table, (frozenset((kind,)), measure, need, bit), people, width))
        for kind, limit in caps
    ]
    return base, capped


def _matrix(table: np.ndarray, key: tuple, people: int, width: int) -> np.ndarray:
    """Cumulative hundredths per person over the buckets: column j holds buckets [0, j)."""
    kinds, measure, need, bit = key
    keep = np.isin(table[:, 1], list(kinds)) & (table[:, 3] >= need)
    if bit:
        keep &= (table[:, 4] & bit) != 0
    picked = table[keep]
    sums = np.zeros((people, width + 1), dtype=np.int64)
    np.add.at(sums, (picked[:, 0], picked[:, 2] + 1), picked[:, _COLUMN[measure]])
    return np.cumsum(sums, axis=1, out=sums)


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
