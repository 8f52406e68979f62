"""Reads for the ledger, the annual table and the personal archive — all through scoping."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse

from keshi.appraisal.models import ArchiveExport, PointEntry, PointRule, Source
from keshi.calendar.models import SchoolYear
from keshi.checks import selectors as checks
from keshi.checks.models import Inspection
from keshi.checks.selectors import inspection_results_for
from keshi.contests.models import Contest, Entry
from keshi.org.models import Group, Membership, Person
from keshi.org.scoping import scope_for, visible
from keshi.records.models import Activity
from keshi.research.models import ProjectMember, ResearchProject

ZERO = Decimal(0)
DETAIL_KINDS = ("paper", "open_class", "training")


def entries_for(user) -> QuerySet[PointEntry]:
    return visible(user, PointEntry.objects.all()).select_related("person", "rule", "created_by")


def link_sources(user, entries) -> None:
    """Set ``source_url`` on ledger entries from an inspection: its page for those who may
    open it, else the reader's own inspection results (a teacher reads theirs there)."""
    ct = ContentType.objects.get_for_model(Inspection)
    ids = {e.source_id for e in entries if e.source_type_id == ct.pk}
    readable = set(checks.inspections_for(user).filter(pk__in=ids).values_list("pk", flat=True))
    for e in entries:
        if e.source_type_id == ct.pk:
            e.source_url = (
                reverse("checks:inspection", args=[e.source_id])
                if e.source_id in readable
                else reverse("checks:index")
            )


def rules_for(user) -> QuerySet[PointRule]:
    return visible(user, PointRule.objects.all()).select_related("kind", "requirement")


def people_for(user) -> QuerySet[Person]:
    return visible(user, Person.objects.all()).select_related("org")


def person_for(user, pk: int) -> Person | None:
    return people_for(user).filter(pk=pk).first()


def years_for(user) -> QuerySet[SchoolYear]:
    return visible(user, SchoolYear.objects.all()).order_by("-start_year", "org_id")


def groups_for(user) -> QuerySet[Group]:
    """Groups whose members' archives the user may export: all of a read org, or those led."""
    scope = scope_for(user)
    qs = (
        visible(user, Group.objects.all())
        if scope.read_paths or scope.is_admin
        else Group.objects.filter(pk__in=scope.lead_group_ids)
    )
    return qs.select_related("org").order_by("org_id", "name")


def exports_for(user) -> QuerySet[ArchiveExport]:
    return ArchiveExport.objects.filter(requested_by=user)


@dataclass
class TableRow:
    key: object
    name: str
    total: Decimal = ZERO
    by_source: dict[str, Decimal] = field(default_factory=dict)
    count: int = 0


def annual_table(user, year: SchoolYear, *, by_group: bool = False, q: str = "") -> list[TableRow]:
    """Points of the school year per person (or per group: the sum over its current members)."""
    entries = entries_for(user).filter(date__range=(year.start, year.end))
    if q:
        entries = entries.filter(person__name__contains=q)
    sums = entries.values("person_id", "person__name", "source").annotate(
        total=Sum("points"), n=Count("pk")
    )
    people: dict[int, TableRow] = {}
    for s in sums:
        row = people.setdefault(s["person_id"], TableRow(s["person_id"], s["person__name"]))
        row.by_source[s["source"]] = row.by_source.get(s["source"], ZERO) + s["total"]
        row.total += s["total"]
        row.count += s["n"]
    if not by_group:
        return sorted(people.values(), key=lambda r: (-r.total, r.name))
    groups: dict[int, TableRow] = {}
    members = Membership.objects.current().filter(person_id__in=people).select_related("group")
    for m in members:
        row = groups.setdefault(m.group_id, TableRow(m.group_id, m.group.name))
        person = people[m.person_id]
        row.total += person.total
        row.count += 1
        for source, value in person.by_source.items():
            row.by_source[source] = row.by_source.get(source, ZERO) + value
    return sorted(groups.values(), key=lambda r: (-r.total, r.name))


SOURCES = list(Source.choices)


@dataclass
class Archive:
    person: Person
    kinds: list[dict]
    years: list[dict]
    details: dict[str, list[Activity]]
    projects: list[dict]
    inspections: list
    points_by_year: list[dict]
    points: list[PointEntry]
    awards: list[PointEntry]
    points_total: Decimal
    contest_awards: list[dict] = field(default_factory=list)


def archive_for(user, person: Person) -> Archive:
    """Everything about ``person`` that ``user`` may read, across years."""
    records = visible(user, Activity.objects.filter(person=person)).filter(
        status__in=Activity.COUNTED
    )
    kinds = list(
        records.values("kind__code", "kind__label", "kind__unit")
        .annotate(count=Count("pk"), quantity=Sum("quantity"), credits=Sum("credits"))
        .order_by("kind__position", "kind__code")
    )
    years = list(SchoolYear.objects.filter(org=person.org).order_by("-start_year"))
    by_year = []
    for y in years:
        counts = dict(
            records.filter(date__range=(y.start, y.end))
            .values_list("kind__code")
            .annotate(n=Count("pk"))
        )
        if counts:
            by_year.append({"year": y, "counts": counts})
    details = {
        code: list(records.filter(kind__code=code).select_related("kind").order_by("-date"))
        for code in DETAIL_KINDS
    }
    roles = dict(ProjectMember.objects.filter(person=person).values_list("project_id", "role"))
    project_qs = (
        visible(user, ResearchProject.objects.filter(Q(leader=person) | Q(members=person)))
        .distinct()
        .order_by("-start_date", "-pk")
    )
    projects = [
        {
            "project": p,
            "role": ProjectMember.Role.LEADER.label
            if p.leader_id == person.pk
            else ProjectMember.Role(roles.get(p.pk, "member")).label,
        }
        for p in project_qs
    ]
    entries = visible(user, PointEntry.objects.filter(person=person)).select_related("rule")
    points_by_year = []
    for y in years:
        total = entries.filter(date__range=(y.start, y.end)).aggregate(t=Sum("points"))["t"]
        if total is not None:
            points_by_year.append({"year": y, "total": total})
    points = list(entries)
    return Archive(
        contest_awards=contest_awards_for(user, person, points),
        person=person,
        kinds=kinds,
        years=by_year,
        details=details,
        projects=projects,
        inspections=list(inspection_results_for(person, user=user)),
        points_by_year=points_by_year,
        points=points,
        awards=[e for e in points if e.source == Source.AWARD],
        points_total=sum((e.points for e in points), ZERO),
    )


def contest_awards_for(user, person: Person, points: list[PointEntry]) -> list[dict]:
    """The person's awarded contest entries once the contest is published, with the points the
    award earned (ledger entries keyed ``contest{c}:entry{e}``)."""
    by_key = {e.source_key: e for e in points if e.source == Source.AWARD}
    entries = (
        visible(user, Entry.objects.filter(person=person))
        .exclude(award="")
        .filter(contest__phase__in=[Contest.Phase.NOTICE, Contest.Phase.RESULT])
        .select_related("contest")
        .order_by("-contest__result_date", "-pk")
    )
    return [
        {
            "entry": e,
            "contest": e.contest,
            "award": e.get_award_display(),
            "final": e.contest.phase == Contest.Phase.RESULT,
            "points": by_key.get(f"contest{e.contest_id}:entry{e.pk}"),
        }
        for e in entries
    ]


def source_totals(rows: list[TableRow]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        for k, v in r.by_source.items():
            out[k] += v
    return dict(out)
