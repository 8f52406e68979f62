"""Reads for rubrics, inspections, draws and bulletins, all through keshi.org.scoping.

Results are private rows: a teacher reads their own, a group lead those of their groups'
members (and the results of their groups), an inspector those of the inspections they score,
office/leader/district everything in their orgs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext

from keshi.calendar.selectors import home_org
from keshi.checks import lottery, scoring
from keshi.checks.models import (
    Bulletin,
    Draw,
    Inspection,
    InspectionResult,
    Rectification,
    Rubric,
)
from keshi.org.models import Group, Membership, Org, Person
from keshi.org.scoping import manageable, scope_for, visible

__all__ = ["home_org"]


def may_manage(user) -> bool:
    return scope_for(user).manages


def may_read_all(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.read_paths)


def _search(qs: models.QuerySet, q: str, *fields: str) -> models.QuerySet:
    q = (q or "").strip()
    if not q:
        return qs
    cond = Q(pk__in=[])
    for f in fields:
        cond |= Q(**{f"{f}__icontains": q})
    return qs.filter(cond)


# ---- rubrics ---------------------------------------------------------------------------------


def rubrics_for(user, *, q: str = "", active_only: bool = False) -> models.QuerySet[Rubric]:
    own = visible(user, Rubric.objects.filter(org__isnull=False)).values("pk")
    qs = Rubric.objects.filter(Q(org__isnull=True) | Q(pk__in=own)).select_related("org")
    if active_only:
        qs = qs.filter(active=True)
    return _search(qs, q, "name", "description").order_by("org_id", "name")


def rubric_for(user, pk: int) -> Rubric | None:
    return rubrics_for(user).filter(pk=pk).first()


def manageable_rubrics(user) -> models.QuerySet[Rubric]:
    return manageable(user, Rubric.objects.filter(org__isnull=False))


# ---- inspections -----------------------------------------------------------------------------


def inspections_for(
    user, *, q: str = "", status: str = "", kind: str = ""
) -> models.QuerySet[Inspection]:
    ids = visible(user, Inspection.objects.all()).values("pk")
    qs = Inspection.objects.filter(pk__in=ids).select_related("rubric", "org", "term")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return _search(qs, q, "title", "subjects", "classes", "notes")


def inspection_for(user, pk: int) -> Inspection | None:
    return inspections_for(user).filter(pk=pk).first()


def may_manage_inspection(user, inspection: Inspection) -> bool:
    return manageable(user, Inspection.objects.filter(pk=inspection.pk)).exists()


def may_score(user, inspection: Inspection) -> bool:
    if inspection.status == Inspection.Status.COMPLETED:
        return False
    if may_manage_inspection(user, inspection):
        return True
    person_id = scope_for(user).person_id
    return bool(person_id) and inspection.inspectors.filter(pk=person_id).exists()


def results_for(user, *, inspection: Inspection | None = None) -> models.QuerySet[InspectionResult]:
    scope = scope_for(user)
    cond = Q(pk__in=visible(user, InspectionResult.objects.all()).values("pk"))
    if scope.lead_group_ids:
        cond |= Q(group_id__in=scope.lead_group_ids)
    if scope.person_id:
        cond |= Q(inspection__in=Inspection.objects.filter(inspectors=scope.person_id).values("pk"))
    qs = InspectionResult.objects.filter(cond)
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    return qs.select_related("inspection", "person", "group")


def inspection_results_for(person: Person, *, user=None) -> models.QuerySet[InspectionResult]:
    """A teacher's inspection results, newest first — for the personal archive. With ``user``,
    only what that user may read."""
    qs = (results_for(user) if user is not None else InspectionResult.objects.all()).filter(
        person=person
    )
    return qs.select_related("inspection", "inspection__rubric").order_by(
        "-inspection__start", "-inspection_id"
    )


def rectifications_for(user, *, inspection: Inspection | None = None, open_only: bool = False):
    scope = scope_for(user)
    cond = Q(pk__in=visible(user, Rectification.objects.all()).values("pk"))
    if scope.person_id:
        cond |= Q(inspection__in=Inspection.objects.filter(inspectors=scope.person_id).values("pk"))
    qs = Rectification.objects.filter(cond).select_related("responsible", "inspection")
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    return qs


def my_rectifications(user) -> models.QuerySet[Rectification]:
    """我的整改: the user's own, open ones first (by due date), then the closed ones."""
    person_id = scope_for(user).person_id
    if not person_id:
        return Rectification.objects.none()
    return (
        Rectification.objects.filter(responsible_id=person_id)
        .select_related("inspection", "responsible")
        .order_by(F("closed_on").desc(nulls_first=True), "due", "pk")
    )


def my_rectification_for(user, pk: int) -> Rectification | None:
    return my_rectifications(user).filter(pk=pk).first()


def rectification_filter(
    qs: models.QuerySet[Rectification], status: str, today: date
) -> models.QuerySet[Rectification]:
    """``status``: open (整改中), overdue (逾期), closed (已销号); anything else: all."""
    if status == "open":
        return qs.filter(closed_on__isnull=True)
    if status == "overdue":
        return qs.filter(closed_on__isnull=True, due__lt=today)
    if status == "closed":
        return qs.filter(closed_on__isnull=False)
    return qs


def rectification_counts(qs: models.QuerySet[Rectification], today: date) -> dict[str, int]:
    return qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        overdue=Count("pk", filter=Q(closed_on__isnull=True, due__lt=today)),
        closed=Count("pk", filter=Q(closed_on__isnull=False)),
    )


def evidence_for(user, pk: int) -> Rectification | None:
    """A closed 整改 whose evidence ``user`` may download: its 责任人, the inspection's
    inspectors, and the office managing its org — nobody else (leaders and colleagues not)."""
    scope = scope_for(user)
    cond = Q(pk__in=manageable(user, Rectification.objects.all()).values("pk"))
    if scope.person_id:
        cond |= Q(responsible_id=scope.person_id)
        cond |= Q(inspection__in=Inspection.objects.filter(inspectors=scope.person_id).values("pk"))
    return Rectification.objects.filter(cond, pk=pk).exclude(evidence="").first()


def open_rectifications_by_person(org: Org) -> dict[int, list[tuple[str, date]]]:
    """For reminders: each 责任人's open 整改 in ``org`` as ``("整改·<text>", due)``, by due."""
    out: dict[int, list[tuple[str, date]]] = defaultdict(list)
    rows = (
        Rectification.objects.filter(inspection__org=org, closed_on__isnull=True)
        .order_by("due", "pk")
        .values_list("responsible_id", "text", "due")
    )
    for person_id, text, due in rows:
        out[person_id].append((gettext("整改·%s") % text, due))
    return dict(out)


@dataclass(frozen=True)
class Rollup:
    name: str
    count: int
    mean_percent: Decimal | None
    mean_total: Decimal | None
    levels: dict[str, int]


def _rollup(name: str, rows: list[InspectionResult]) -> Rollup:
    levels: dict[str, int] = defaultdict(int)
    for r in rows:
        if r.level:
            levels[r.level] += 1
    return Rollup(
        name=name,
        count=len(rows),
        mean_percent=scoring.mean(r.percent for r in rows),
        mean_total=scoring.mean(r.total for r in rows),
        levels=dict(levels),
    )


def rollup_by_teacher(results) -> list[Rollup]:
    by_person: dict[str, list] = defaultdict(list)
    for r in results:
        if r.person_id:
            by_person[r.person.name].append(r)
    return [_rollup(name, rows) for name, rows in sorted(by_person.items())]


def rollup_by_group(results) -> list[Rollup]:
    """Teachers' results grouped by their current 教研组 (else 备课组), plus groups' own."""
    results = list(results)
    person_ids = {r.person_id for r in results if r.person_id}
    groups_of: dict[int, list[str]] = defaultdict(list)
    memberships = (
        Membership.objects.current()
        .filter(person_id__in=person_ids, group__kind__in=[Group.Kind.SUBJECT, Group.Kind.PREP])
        .values_list("person_id", "group__name", "group__kind")
    )
    prep_of: dict[int, list[str]] = defaultdict(list)
    for person_id, name, kind in memberships:
        (groups_of if kind == Group.Kind.SUBJECT else prep_of)[person_id].append(name)
    for person_id, names in prep_of.items():  # 备课组 only when not in a 教研组
        groups_of.setdefault(person_id, names)
    by_group: dict[str, list] = defaultdict(list)
    for r in results:
        if r.group_id:
            by_group[r.group.name].append(r)
        else:
            for name in groups_of.get(r.person_id) or ["（未分组）"]:
                by_group[name].append(r)
    return [_rollup(name, rows) for name, rows in sorted(by_group.items())]


def scoring_targets(inspection: Inspection) -> list[Person] | list[Group]:
    if inspection.target == Inspection.Target.GROUPS:
        return list(inspection.groups.order_by("name"))
    people = Person.objects.filter(
        Q(pk__in=inspection.people.values("pk"))
        | Q(
            pk__in=Membership.objects.current()
            .filter(group__in=inspection.groups.all())
            .values("person_id")
        ),
        active=True,
    )
    return list(people.distinct().order_by("name", "pk"))


# ---- draws -----------------------------------------------------------------------------------


def draws_for(user, *, q: str = "") -> models.QuerySet[Draw]:
    ids = visible(user, Draw.objects.all()).values("pk")
    qs = Draw.objects.filter(pk__in=ids).select_related("org", "drawer", "redraw_of")
    return _search(qs, q, "title", "redraw_reason")


def draw_for(user, pk: int) -> Draw | None:
    return draws_for(user).filter(pk=pk).first()


def may_draw(user, draw: Draw) -> bool:
    if draw.revealed:
        return False
    if manageable(user, Draw.objects.filter(pk=draw.pk)).exists():
        return True
    person_id = scope_for(user).person_id
    return bool(person_id) and draw.drawer_id == person_id


def may_assign_work(user, draw: Draw) -> bool:
    """Work is made from a revealed draw (推门听课 tasks, an inspection's scope, 示范课
    observers) by whoever manages its org."""
    return draw.revealed and manageable(user, Draw.objects.filter(pk=draw.pk)).exists()


def may_redraw(user, draw: Draw) -> bool:
    return (
        draw.revealed
        and not Draw.objects.filter(redraw_of=draw).exists()
        and manageable(user, Draw.objects.filter(pk=draw.pk)).exists()
    )


def verify_draw(draw: Draw) -> lottery.Verification:
    return lottery.verify(
        commitment_hex=draw.commitment,
        population=draw.population,
        k=draw.k,
        seed=draw.seed if draw.revealed else "",
        result=draw.result,
    )


# the order of a Chinese timetable, so presets read the way schools list subjects
SUBJECT_ORDER = [
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "道德与法治",
    "政治",
    "历史",
    "地理",
    "科学",
    "信息技术",
    "通用技术",
    "音乐",
    "体育",
    "体育与健康",
    "美术",
    "心理健康",
    "劳动",
    "综合实践",
]


def population_presets(org: Org) -> dict[str, list[str]]:
    people = Person.objects.filter(org=org, active=True)
    found = {s for s in people.values_list("subject", flat=True) if s}
    subjects = sorted(
        found, key=lambda s: (SUBJECT_ORDER.index(s) if s in SUBJECT_ORDER else 99, s)
    )
    return {
        "subjects": subjects,
        "teachers": [
            f"{name}（{no}）" if no else name for name, no in people.values_list("name", "staff_no")
        ],
        "groups": list(
            Group.objects.filter(org=org, kind=Group.Kind.SUBJECT).values_list("name", flat=True)
        ),
    }


def drawer_choices(user, org: Org | None) -> models.QuerySet[Person]:
    if org is None:
        return Person.objects.none()
    return visible(user, Person.objects.filter(org=org, active=True)).order_by("name")


# ---- bulletins -------------------------------------------------------------------------------


def bulletins_for(user, *, q: str = "") -> models.QuerySet[Bulletin]:
    qs = visible(user, Bulletin.objects.all())
    managed = manageable(user, Bulletin.objects.all()).values("pk")
    qs = qs.filter(Q(status=Bulletin.Status.PUBLISHED) | Q(pk__in=managed))
    return _search(qs.select_related("org"), q, "title", "items__heading", "items__body").distinct()


def bulletin_for(user, pk: int) -> Bulletin | None:
    return bulletins_for(user).filter(pk=pk).first()


def may_manage_bulletin(user, bulletin: Bulletin) -> bool:
    return manageable(user, Bulletin.objects.filter(pk=bulletin.pk)).exists()


def inspection_deadlines(org: Org, at: date) -> dict[int, list[tuple[str, date]]]:
    """Inspector id → (label, end date) of each dated inspection not yet completed, for the
    daily digest (a system read: no user scope)."""
    out: dict[int, list[tuple[str, date]]] = defaultdict(list)
    rows = Inspection.objects.filter(org=org, end__isnull=False).exclude(
        status=Inspection.Status.COMPLETED
    )
    for inspection in rows.prefetch_related("inspectors").order_by("end", "pk"):
        label = gettext("检查《%s》·评分") % inspection.title
        for person in inspection.inspectors.all():
            out[person.pk].append((label, inspection.end))
    return dict(out)
