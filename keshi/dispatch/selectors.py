"""Reads for training dispatches, always through keshi.org.scoping.

A teacher reads the dispatches they are sent on (and their own obligations and 联); a group lead
those of their members (and the 年级组 联 of a grade group they lead); office, leader and district
staff everything in their subtree; only the office manages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum

from keshi.calendar.models import SchoolYear
from keshi.dispatch import conf, rules, states
from keshi.dispatch.models import Dispatch, DispatchTeacher, NoticePart, Obligation
from keshi.org.models import Org, Person
from keshi.org.scoping import can_manage_org, manageable, scope_for, visible
from keshi.records.models import Activity


def dispatches_for(user) -> QuerySet[Dispatch]:
    ids = visible(user, Dispatch.objects.all()).values("pk")
    return Dispatch.objects.filter(pk__in=ids).select_related("org")


def dispatch_for(user, pk: int) -> Dispatch | None:
    return dispatches_for(user).filter(pk=pk).first()


def can_manage(user, dispatch: Dispatch) -> bool:
    return manageable(user, Dispatch.objects.filter(pk=dispatch.pk)).exists()


def member(user, dispatch: Dispatch) -> DispatchTeacher | None:
    """The user's own place on the dispatch, if they were sent."""
    person_id = scope_for(user).person_id
    if person_id is None:
        return None
    return dispatch.members.filter(person_id=person_id).select_related("person").first()


def obligations_for(user, dispatch: Dispatch) -> QuerySet[Obligation]:
    return visible(user, dispatch.obligations.all()).select_related("person", "activity")


def visible_members(user, dispatch: Dispatch) -> QuerySet[DispatchTeacher]:
    return visible(user, dispatch.members.select_related("person"))


def obligations_of(person: Person) -> QuerySet[Obligation]:
    return Obligation.objects.filter(person=person).order_by("due_date", "pk")


def notice_parts_for(user, dispatch: Dispatch | None = None) -> QuerySet[NoticePart]:
    """Office and readers of the org see all four 联; a teacher their 第一联; a grade lead the
    第三联 of their 年级组 — of ``dispatch``, or of every dispatch the user may read."""
    scope = scope_for(user)
    if dispatch is None:
        parts = NoticePart.objects.filter(dispatch__in=dispatches_for(user))
    else:
        parts = dispatch.notice_parts.all()
    parts = parts.select_related("dispatch__org", "person", "group", "acknowledged_by")
    ids = visible(user, parts).values("pk")
    return parts.filter(Q(pk__in=ids) | Q(part=3, group_id__in=scope.lead_group_ids))


def can_acknowledge(user, part: NoticePart) -> bool:
    if part.acknowledged_at:
        return False
    scope = scope_for(user)
    if part.part == NoticePart.Part.TEACHER:
        return scope.person_id is not None and scope.person_id == part.person_id
    if part.part == NoticePart.Part.GRADE:
        if part.group_id:
            return part.group_id in scope.lead_group_ids
        return can_manage_org(user, part.dispatch.org)
    return can_manage_org(user, part.dispatch.org)


# ---- follow-up ----------------------------------------------------------------------------


def open_obligations(person: Person) -> QuerySet[Obligation]:
    """The person's unmet obligations that count: they are back from a dispatch in progress."""
    returned = DispatchTeacher.objects.filter(person=person, returned_at__isnull=False).values(
        "dispatch_id"
    )
    return (
        Obligation.objects.filter(
            person=person,
            met_at__isnull=True,
            dispatch_id__in=returned,
            dispatch__state__in=states.ACTIVE,
        )
        .select_related("dispatch")
        .order_by("due_date", "pk")
    )


def open_obligations_by_person(org: Org) -> dict[int, list[Obligation]]:
    """person id → their open obligations, for a whole org in one query (daily digest)."""
    rows = (
        Obligation.objects.filter(
            dispatch__org=org,
            dispatch__state__in=states.ACTIVE,
            met_at__isnull=True,
            dispatch__members__person_id=F("person_id"),
            dispatch__members__returned_at__isnull=False,
        )
        .select_related("dispatch")
        .order_by("due_date", "pk")
    )
    out: dict[int, list[Obligation]] = defaultdict(list)
    for o in rows:
        out[o.person_id].append(o)
    return out


def record_url(obligation: Obligation) -> str:
    """Where the teacher records the work that meets ``obligation`` (反思 for a 心得…)."""
    from django.urls import reverse

    kinds = rules.ACTIVITY_KINDS.get(obligation.kind)
    url = reverse("records:create")
    return f"{url}?kind={kinds[0]}" if kinds else url


def overdue(org: Org, at: date) -> QuerySet[Obligation]:
    """Open obligations past their due date in ``org``'s subtree (callers checked access)."""
    return (
        Obligation.objects.filter(
            dispatch__org__path__startswith=org.path,
            dispatch__state__in=states.ACTIVE,
            met_at__isnull=True,
            due_date__lt=at,
        )
        .select_related("dispatch", "person")
        .order_by("due_date", "person__name", "pk")
    )


@dataclass
class ReimbursementRow:
    dispatch: Dispatch
    person: Person
    returned: bool
    blocked_by: list[str] = field(default_factory=list)

    @property
    def cleared(self) -> bool:
        return self.returned and not self.blocked_by


def reimbursement_rows(dispatches: QuerySet[Dispatch]) -> list[ReimbursementRow]:
    """One row per teacher of each reimbursable dispatch: cleared, or blocked by what."""
    dispatches = dispatches.filter(
        reimbursable=True, state__in=[s for s in states.ACTIVE if s != states.REIMBURSED]
    )
    members = DispatchTeacher.objects.filter(dispatch__in=dispatches).select_related(
        "dispatch", "person"
    )
    open_ = defaultdict(list)
    for o in Obligation.objects.filter(dispatch__in=dispatches, met_at__isnull=True):
        open_[(o.dispatch_id, o.person_id)].append(o.label)
    rows = []
    for m in members.order_by("dispatch__start_date", "dispatch__pk", "person__name"):
        blocked = list(open_[(m.dispatch_id, m.person_id)])
        if not m.returned_at:
            blocked.insert(0, "未返校")
        rows.append(ReimbursementRow(m.dispatch, m.person, bool(m.returned_at), blocked))
    return rows


# ---- yearly 学时 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearHours:
    label: str
    total: Decimal
    professional: Decimal
    target: Decimal = conf.YEAR_HOURS
    professional_target: Decimal = conf.YEAR_PROFESSIONAL_HOURS

    @property
    def met(self) -> bool:
        return self.total >= self.target and self.professional >= self.professional_target


def year_hours(person: Person, at: date) -> YearHours | None:
    """The person's 学时 of counted training records in the school year holding ``at``
    (专业 = not marked as general training)."""
    year = SchoolYear.objects.filter(org=person.org_id, start__lte=at, end__gte=at).first()
    if year is None:
        return None
    rows = Activity.objects.filter(
        person=person,
        kind__code="training",
        date__range=(year.start, year.end),
        status__in=Activity.COUNTED,
        complete=True,
    )
    sums = rows.aggregate(
        total=Sum("quantity"), general=Sum("quantity", filter=Q(data__professional=False))
    )
    total = sums["total"] or Decimal(0)
    return YearHours(str(year), total, total - (sums["general"] or 0))


@dataclass(frozen=True)
class TaskPanel:
    obligations: list[Obligation]
    hours: YearHours | None
    at: date

    @property
    def is_empty(self) -> bool:
        return not self.obligations and (self.hours is None or not self.hours.total)


def task_panel(person: Person, at: date) -> TaskPanel:
    """The 外出培训待办 panel of 我的任务: open obligations (with where to record them) and the
    school year's 学时 so far."""
    obligations = list(open_obligations(person))
    for o in obligations:
        o.record_url = record_url(o)
        o.overdue = o.due_date < at
    return TaskPanel(obligations, year_hours(person, at), at)
