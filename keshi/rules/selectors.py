"""Reads for the compliance pages: 我的任务, the matrix, its drill-down, trends, schools compared.

Everything is built on :func:`keshi.rules.engine.evaluate`; the people, requirements and records
handed to it come through :mod:`keshi.org.scoping`, so a page shows only what its user may read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from keshi.calendar import periods as P
from keshi.calendar.models import Term
from keshi.org.models import Group, Membership, Mentorship, Org, Person, Tag
from keshi.org.scoping import can_read_org, scope_for, visible
from keshi.records.models import Activity
from keshi.rules import standing
from keshi.rules.describe import Rule, cap_unit, number
from keshi.rules.engine import CapUse, Cell, Compliance, evaluate
from keshi.rules.models import Requirement
from keshi.rules.status import LABELS, Status

R = Requirement.Period
# 我的任务 sections: which horizon each period belongs to.
SECTIONS = {
    R.DAY: "week",
    R.WEEK: "week",
    R.TWO_WEEKS: "week",
    R.MONTH: "month",
    R.HALF_YEAR: "term",
    R.TERM: "term",
    R.SCHOOL_YEAR: "year",
}
# Lower is more urgent; ties are broken by the deadline.
URGENCY = {
    Status.MISSED: 0,
    Status.BEHIND: 0,
    Status.ON_TRACK: 1,
    Status.NOT_DUE: 2,
    Status.MET: 3,
    Status.EXEMPT: 4,
}
OPEN = (Status.MISSED, Status.BEHIND, Status.ON_TRACK)
SUMMARY_STATUSES = (Status.MET, Status.ON_TRACK, Status.BEHIND, Status.MISSED)


STATUS_CSS = {s: f"st st-{s.value}" for s in Status}
WEEKDAYS = "一二三四五六日"
MISSED_UNITS = {
    R.DAY: "天",
    R.WEEK: "周",
    R.TWO_WEEKS: "个双周",
    R.MONTH: "个月",
    R.HALF_YEAR: "个半年",
}
MISSED_UNITS.update({R.TERM: "个学期", R.SCHOOL_YEAR: "个学年"})


def num(value: Decimal) -> str:
    """12.50 → 12.5, 15.00 → 15."""
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text


def unit(r: Requirement) -> str:
    if r.measure == Requirement.Measure.CREDITS:
        return "学分"
    if r.measure == Requirement.Measure.CHARS:
        return "字"
    kinds = list(r.kinds.all())
    return kinds[0].unit if kinds else ""


def period_label(kind: str, period: P.Period, term: Term) -> str:
    """第12周, 第3—4周, 11月, 11月26日, 本学期, 2026—2027学年; in a 年度 (a hospital, no
    teaching weeks) a week is its dates: 12月7日—13日."""
    if kind in (R.WEEK, R.TWO_WEEKS) and term.school_year.is_calendar_year:
        start, end = max(period.start, term.start), min(period.end, term.end)
        last = f"{end.day}日" if end.month == start.month else f"{end.month}月{end.day}日"
        return f"{start.month}月{start.day}日—{last}"
    if kind in (R.WEEK, R.TWO_WEEKS):
        first = P.teaching_week_number(term.start, max(period.start, term.start))
        last = P.teaching_week_number(term.start, min(period.end, term.end))
        return f"第{first}周" if first == last else f"第{first}—{last}周"
    if kind == R.DAY:
        return f"{period.start.month}月{period.start.day}日"
    if kind == R.MONTH:
        return f"{period.start.month}月"
    if kind == R.SCHOOL_YEAR:
        return str(term.school_year)
    if kind == R.HALF_YEAR:
        return f"{period.start.year}年{'上' if period.start.month <= 6 else '下'}半年"
    return "本学期"


CAP_LABELS = {Status.MET: "未超限", Status.MISSED: "已超限"}


def is_cap(r: Requirement) -> bool:
    return r.comparator == Requirement.Comparator.LTE


@dataclass(frozen=True)
class Shown:
    """A cell as the pages and the export show it."""

    cell: Cell
    cap: bool = False  # a 不超过 rule: within or over the limit, never owed

    @property
    def status(self) -> Status:
        return self.cell.status

    @property
    def css(self) -> str:
        return STATUS_CSS[self.cell.status]

    @property
    def label(self) -> str:
        if self.cap:
            return CAP_LABELS.get(self.cell.status, LABELS[self.cell.status])
        return LABELS[self.cell.status]

    @property
    def text(self) -> str:
        if self.cap:
            return f"{num(self.cell.value)}（上限 {num(self.cell.target)}）"
        return f"{num(self.cell.value)}/{num(self.cell.target)}"

    @property
    def gap(self) -> str:
        return num(self.cell.gap)

    @property
    def percent(self) -> int:
        target = self.cell.target
        if not target:
            return 100
        return int(min(self.cell.value / target, 1) * 100)


def cap_lines(r: Requirement, uses: tuple[CapUse, ...] = ()) -> list[str]:
    """One line per cap inside ``r`` (caps prefetched with their kinds), with how it bore on
    one period: 读书心得最多计 1 篇（本期已计 1 篇，另有 2 篇未计入）."""
    by_kind = {u.kind_id: u for u in uses}
    lines = []
    for cap in r.kind_caps.all():
        u = cap_unit(Rule(measure=r.measure), cap.kind.unit)
        use = by_kind.get(cap.kind_id)
        counted = number(use.counted) if use else "0"
        line = f"{cap.kind.label.split('/')[0].strip()}最多计 {number(cap.limit)} {u}"
        line += f"（本期已计 {counted} {u}"
        if use and use.left_out:
            line += f"，另有 {number(use.left_out)} {u}未计入"
        lines.append(line + "）")
    return lines


def with_caps(result: Compliance, person: Person) -> Compliance:
    """How the caps inside ``result``'s rules bore on ``person``: the engine's own answer
    (the dashboards' cache keeps cells only), for the rules that have caps."""
    capped = [r for r in result.requirements if r.kind_caps.all()]
    if capped:
        found = evaluate(
            term=result.term, at=result.at, people=[person], requirements=capped, caps=True
        )
        result.caps.update(found.caps)
    return result


def requirements_of(user, org: Org, *, pk: int | None = None) -> QuerySet[Requirement]:
    """The active requirements owed by people (每人, 按角色); group-owned ones are read by
    keshi.rules.selectors_groups."""
    qs = visible(user, Requirement.objects.live().filter(org=org))
    qs = qs.exclude(owner=Requirement.Owner.GROUP)
    return qs.filter(pk=pk) if pk else qs


# ---- 我的任务 ---------------------------------------------------------------------------------


@dataclass
class Task:
    requirement: Requirement
    cell: Cell
    missed_before: int  # earlier periods of this term missed (weekly, monthly… rules)
    at: date
    term: Term
    group: Group | None = None  # a group-owned requirement: the group's task (本组)
    caps: tuple[CapUse, ...] = ()  # how the caps inside the rule bore on this period

    @property
    def cap_lines(self) -> list[str]:
        return cap_lines(self.requirement, self.caps)

    @property
    def section(self) -> str:
        return SECTIONS[self.requirement.period]

    @property
    def shown(self) -> Shown:
        return Shown(self.cell, is_cap(self.requirement))

    @property
    def days_left(self) -> int:
        return (self.cell.due - self.at).days

    @property
    def weekday(self) -> str:
        return "星期" + WEEKDAYS[self.cell.due.weekday()]

    @property
    def period_label(self) -> str:
        return period_label(self.requirement.period, self.cell.period, self.term)

    @property
    def unit(self) -> str:
        return unit(self.requirement)

    @property
    def missed_text(self) -> str:
        if not self.missed_before:
            return ""
        unit = MISSED_UNITS[self.requirement.period]
        return _("本学期已有%(n)d%(unit)s未达标") % {"n": self.missed_before, "unit": unit}

    @property
    def kind_code(self) -> str:
        kinds = list(self.requirement.kinds.all())
        return kinds[0].code if kinds else ""

    @property
    def urgency(self) -> tuple[int, date]:
        return (URGENCY[self.cell.status], self.cell.due)

    @property
    def is_open(self) -> bool:
        return self.cell.status in OPEN and self.cell.gap > 0


@dataclass
class Tasks:
    person: Person
    term: Term
    at: date
    items: list[Task]

    def section(self, name: str) -> list[Task]:
        return [t for t in self.items if t.section == name]

    @property
    def top(self) -> list[Task]:
        return [t for t in self.items if t.is_open]


def tasks_of(
    result, owner_id: int, *, at: date, term: Term, group: Group | None = None
) -> list[Task]:
    """The current task of each requirement ``owner_id`` (a person, or a group for the group
    engine's result) has in ``result``, with the earlier periods of the term it missed."""
    items = []
    for r in result.requirements:
        current = result.current(owner_id, r.pk)
        if current is None:
            continue
        missed = sum(
            1
            for c in result.periods(owner_id, r.pk)
            if c.period.start < current.period.start and c.status is Status.MISSED
        )
        caps = result.caps.get((owner_id, r.pk, current.period.start), ())
        items.append(Task(r, current, missed, at, term, group=group, caps=caps))
    return items


def my_tasks(user, *, person: Person, term: Term, at: date) -> Tasks:
    """What ``person`` owes in ``term`` as of ``at``, most urgent first (``person`` must be
    visible to ``user``: the caller fetched it through scoping)."""
    reqs = requirements_of(user, person.org)
    result = standing.evaluate(term=term, at=at, people=[person], requirements=reqs, history=True)
    items = tasks_of(with_caps(result, person), person.pk, at=at, term=term)
    items.sort(key=lambda t: t.urgency)
    return Tasks(person, term, at, items)


# ---- the matrix -------------------------------------------------------------------------------


@dataclass
class Row:
    person: Person
    groups: list[str]
    cells: list[Shown | None]


@dataclass
class Matrix:
    org: Org
    term: Term
    at: date
    requirements: list[Requirement]
    rows: list[Row]
    summary: list[tuple[Requirement, dict[Status, int]]] = field(default_factory=list)


def matrix_people(
    user,
    *,
    org: Org,
    at: date,
    group: Group | None = None,
    tag: Tag | None = None,
    q: str = "",
) -> QuerySet[Person]:
    """The active people of ``org`` that ``user`` may read (a lead: their groups' members)."""
    qs = visible(user, Person.objects.filter(org=org, active=True))
    if group is not None:
        members = Membership.objects.current(at).filter(Q(group=group) | Q(group__parent=group))
        qs = qs.filter(pk__in=members.values("person_id"))
    if tag is not None:
        qs = qs.filter(tags=tag)
    if q := q.strip():
        qs = qs.filter(Q(name__icontains=q) | Q(staff_no__icontains=q))
    return qs.order_by("name", "pk")


def compliance_matrix(
    user,
    *,
    org: Org,
    term: Term,
    at: date,
    group: Group | None = None,
    tag: Tag | None = None,
    requirement: int | None = None,
    status: str = "",
    q: str = "",
) -> Matrix:
    """People × requirements, current period, with the per-requirement status counts.

    ``requirement`` keeps that column and the people it applies to; ``status`` keeps the rows
    with at least one cell in that status."""
    people = list(matrix_people(user, org=org, at=at, group=group, tag=tag, q=q))
    reqs = requirements_of(user, org, pk=requirement)
    result = standing.evaluate(term=term, at=at, people=people, requirements=reqs, history=False)
    groups = _subject_groups(user, [p.pk for p in people], at)
    rows = []
    for p in people:
        cells = result.row(p.pk)
        if requirement and not any(cells):
            continue
        if status and not any(c and c.status == status for c in cells):
            continue
        shown = [
            Shown(c, is_cap(r)) if c else None
            for c, r in zip(cells, result.requirements, strict=True)
        ]
        rows.append(Row(p, groups.get(p.pk, []), shown))
    summary = []
    for i, r in enumerate(result.requirements):
        counts = Counter(row.cells[i].cell.status for row in rows if row.cells[i])
        summary.append((r, {s: counts.get(s, 0) for s in Status}))
    return Matrix(org, term, at, result.requirements, rows, summary)


def _subject_groups(user, person_ids: list[int], at: date) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    memberships = visible(
        user,
        Membership.objects.current(at).filter(
            person_id__in=person_ids, group__kind=Group.Kind.SUBJECT
        ),
    )
    for pid, name in memberships.order_by("group__name").values_list("person_id", "group__name"):
        found[pid].append(name)
    return found


# ---- drill-down -------------------------------------------------------------------------------


@dataclass
class Record:
    activity: Activity
    reason: str  # why it does not count; empty when it counts


@dataclass
class CellDetail:
    person: Person
    requirement: Requirement
    cell: Cell | None
    periods: list[Cell]
    records: list[Record]
    caps: list[str] = field(default_factory=list)  # 读书心得最多计 1 篇（本期已计…）


def cell_detail(
    user,
    *,
    person: Person,
    requirement: Requirement,
    term: Term,
    at: date,
    period_start: date | None = None,
) -> CellDetail:
    """The records behind one cell: ``person``'s records of the requirement's kinds in the
    period (the current one, or the one starting ``period_start``), each marked counted or not."""
    result = evaluate(
        term=term, at=at, people=[person], requirements=[requirement], history=True, caps=True
    )
    cells = result.periods(person.pk, requirement.pk)
    cell = next((c for c in cells if c.period.start == period_start), None) or result.current(
        person.pk, requirement.pk
    )
    requirement = result.requirements[0]
    if cell is None:
        return CellDetail(person, requirement, None, cells, [])
    kinds = [k.pk for k in requirement.kinds.all()]
    activities = visible(
        user,
        Activity.objects.filter(
            person=person, kind_id__in=kinds, date__gte=cell.period.start, date__lte=cell.period.end
        ),
    ).select_related("kind", "observed")
    partners = mentorship_partners(person, requirement)
    records = [Record(a, not_counted_reason(a, requirement, partners, at)) for a in activities]
    _over_caps(records, requirement)
    uses = result.caps.get((person.pk, requirement.pk, cell.period.start), ())
    return CellDetail(person, requirement, cell, cells, records, cap_lines(requirement, uses))


def _over_caps(records: list[Record], r: Requirement) -> None:
    """Mark the counted records of a capped kind past its limit (in date order): the cap was
    full before them. The numbers themselves are the engine's (:func:`cap_lines`)."""
    field_of = {"count": None, "quantity": "quantity", "credits": "credits", "chars": "chars"}
    measure = field_of[r.measure]
    for cap in r.kind_caps.all():
        unit_ = cap_unit(Rule(measure=r.measure), cap.kind.unit)
        running = Decimal(0)
        mine = [x for x in records if x.activity.kind_id == cap.kind_id and not x.reason]
        for x in sorted(mine, key=lambda x: (x.activity.date, x.activity.pk)):
            if running >= cap.limit:
                x.reason = f"超出上限（最多计{number(cap.limit)}{unit_}）"
            running += Decimal(getattr(x.activity, measure) or 0) if measure else 1


def mentorship_partners(
    person: Person, r: Requirement
) -> list[tuple[int, date | None, date | None]]:
    if r.mentorship == Requirement.Mentorship.MENTEE_OBSERVES_MENTOR:
        pairs = Mentorship.objects.filter(mentee=person).values_list("mentor_id", "start", "end")
    elif r.mentorship == Requirement.Mentorship.MENTOR_OBSERVES_MENTEE:
        pairs = Mentorship.objects.filter(mentor=person).values_list("mentee_id", "start", "end")
    else:
        return []
    return list(pairs)


def not_counted_reason(a: Activity, r: Requirement, partners, at: date) -> str:
    if a.status not in Activity.COUNTED:
        return "已退回"
    if not a.complete:
        return "材料不全"
    if a.date > at:
        return "晚于统计日"
    if r.item_min_chars and a.chars < r.item_min_chars:
        return f"不足{r.item_min_chars}字"
    if r.mentorship in (
        Requirement.Mentorship.MENTEE_OBSERVES_MENTOR,
        Requirement.Mentorship.MENTOR_OBSERVES_MENTEE,
    ) and not any(
        pid == a.observed_id and (s is None or s <= a.date) and (e is None or a.date <= e)
        for pid, s, e in partners
    ):
        return "非师徒结对听课"
    return ""


# ---- trends -----------------------------------------------------------------------------------

TREND_LINES = 6  # more lines than this on one chart cannot be told apart


@dataclass(frozen=True)
class TrendPoint:
    end: date  # the last day of a period that is over
    share: float  # % of the people assessed in that period who met the requirement


@dataclass
class TrendLine:
    requirement: Requirement
    points: list[TrendPoint]

    @property
    def name(self) -> str:
        return f"{self.requirement.name}（{self.requirement.get_period_display()}）"


def trend(user, *, term: Term, at: date, people: list[Person], requirements) -> list[TrendLine]:
    """Per requirement, the share of people who met it in each of its own periods that is
    over by ``at`` — a weekly rule per week, a two-week rule per two weeks, a term's rule once
    the term is over. A period still running is not shown: nobody has met or missed it yet.

    Periods before a rule was in force are not judged (the engine leaves them 未开始), and
    people ``user`` may not read are left out (their records would show through)."""
    ids = set(
        visible(user, Person.objects.filter(pk__in=[p.pk for p in people])).values_list(
            "pk", flat=True
        )
    )
    readable = [p for p in people if p.pk in ids]
    if not readable:
        return [TrendLine(r, []) for r in requirements]
    result = evaluate(term=term, at=at, people=readable, requirements=requirements, history=True)
    lines = []
    for r in result.requirements:
        by_end: dict[date, Counter] = defaultdict(Counter)
        for p in result.people:
            for c in result.periods(p.pk, r.pk):
                if c.period.end < at:
                    by_end[c.period.end][c.status] += 1
        points = []
        for end, counts in sorted(by_end.items()):
            assessed = sum(counts[s] for s in SUMMARY_STATUSES)
            if assessed:
                points.append(TrendPoint(end, round(100 * counts[Status.MET] / assessed, 1)))
        lines.append(TrendLine(r, points))
    return lines


# ---- schools ----------------------------------------------------------------------------------


def matrix_orgs(user) -> list[Org]:
    """Orgs whose whole matrix ``user`` reads (office, leader, district, admin): not districts."""
    scope = scope_for(user)
    if not (scope.is_admin or scope.read_paths):
        return []
    orgs = visible(user, Org.objects.exclude(kind=Org.Kind.DISTRICT)).order_by("path")
    return [o for o in orgs if can_read_org(user, o)]


@dataclass
class SchoolRow:
    org: Org
    term: Term | None
    people: int
    overall: dict[Status, int]
    by_name: dict[str, dict[Status, int]]

    @property
    def assessed(self) -> int:
        return sum(self.overall.get(s, 0) for s in SUMMARY_STATUSES)


def good_share(counts: dict) -> float | None:
    """达标率: 已完成 and 进度正常 over the assessed (None when nobody is assessed)."""
    total = sum(counts.get(s, 0) for s in SUMMARY_STATUSES)
    if not total:
        return None
    return round(100 * (counts.get(Status.MET, 0) + counts.get(Status.ON_TRACK, 0)) / total, 1)


def work_of(r: Requirement) -> str:
    """The kind of work a rule counts, by which schools' rules line up whatever their titles
    (新教师听课, 每学期听课, 推门听课… are all 听课): its first kind's short label, credits
    apart (培训学分)."""
    kinds = sorted(r.kinds.all(), key=lambda k: (k.position, k.pk))
    label = kinds[0].label.split("/")[0].strip() if kinds else r.name
    return label + _("学分") if r.measure == Requirement.Measure.CREDITS else label


def schools_compared(user, *, orgs: list[Org], at: date) -> tuple[list[str], list[SchoolRow]]:
    """One row per school: status counts over every person × requirement of its current term,
    overall and per kind of work (:func:`work_of`), which line up as columns. Hospital
    departments are judged by their indicators, not here."""
    from keshi.calendar.selectors import current_term

    names: list[str] = []
    rows = []
    for org in (o for o in orgs if o.kind != Org.Kind.HOSPITAL):
        term = current_term(org, at)
        people = list(visible(user, Person.objects.filter(org=org, active=True)))
        overall: Counter = Counter()
        by_name: dict[str, Counter] = defaultdict(Counter)
        if term is not None:
            reqs = requirements_of(user, org)
            result = standing.evaluate(
                term=term, at=at, people=people, requirements=reqs, history=False
            )
            for r in result.requirements:
                work = work_of(r)
                if work not in names:
                    names.append(work)
                for p in people:
                    cell = result.current(p.pk, r.pk)
                    if cell is not None:
                        overall[cell.status] += 1
                        by_name[work][cell.status] += 1
        rows.append(SchoolRow(org, term, len(people), dict(overall), dict(by_name)))
    return names, rows
