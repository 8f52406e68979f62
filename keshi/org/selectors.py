"""Reads for the org pages: people, groups, the org tree, overviews and the audit trail.

Every function starts from :func:`keshi.org.scoping.visible`, so what it returns is what the
user may read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import Case, Count, F, Prefetch, Q, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import DeletedObject

from keshi.org.models import Group, Membership, Mentorship, Org, Person, Tag
from keshi.org.scoping import can_read_org, visible

PEOPLE_SORTS: dict[str, list] = {
    "name": ["name", "pk"],
    "-name": ["-name", "-pk"],
    "staff_no": ["staff_no", "pk"],
    "-staff_no": ["-staff_no", "-pk"],
    "subject": ["subject", "name", "pk"],
    "-subject": ["-subject", "name", "pk"],
    "title": ["title", "name", "pk"],
    "-title": ["-title", "name", "pk"],
    # 教龄 grows as the start date gets earlier.
    "years": [F("start").desc(nulls_last=True), "name", "pk"],
    "-years": [F("start").asc(nulls_last=True), "name", "pk"],
}


def years_before(at: date, years: int) -> date:
    """The latest start date with ``full_years(start, at) >= years`` (29 Feb → 28 Feb)."""
    try:
        return at.replace(year=at.year - years)
    except ValueError:
        return date(at.year - years, 2, 28)


def _current_q(prefix: str, at: date) -> Q:
    return (Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": at})) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": at})
    )


def in_paths(lookup: str, paths: tuple[str, ...] | list[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{lookup}__startswith": p})
    return q


def readable_orgs(user) -> models.QuerySet[Org]:
    """Orgs the user reads as a whole (admin, office, leader, district): for filters and tree."""
    orgs = visible(user, Org.objects.all())
    return orgs.filter(pk__in=[o.pk for o in orgs if can_read_org(user, o)])


# ---- people ---------------------------------------------------------------------------------


def people_list(
    user,
    *,
    q: str = "",
    org: Org | None = None,
    group: Group | None = None,
    tag: Tag | None = None,
    subject: str = "",
    active: bool | None = None,
    years_min: int | None = None,
    years_max: int | None = None,
    missing: bool = False,
    sort: str = "name",
    at: date | None = None,
) -> models.QuerySet[Person]:
    """The people ``user`` may read, filtered; each carries ``subject_memberships`` (教研组)."""
    at = at or timezone.localdate()
    qs = visible(user, Person.objects.all()).annotate(
        start=Coalesce("teaching_start", "work_start")
    )
    if q := q.strip():
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(staff_no__icontains=q)
            | Q(subject__icontains=q)
            | Q(phone__icontains=q)
        )
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if group is not None:
        members = Membership.objects.current(at).filter(Q(group=group) | Q(group__parent=group))
        qs = qs.filter(pk__in=members.values("person_id"))
    if tag is not None:
        qs = qs.filter(tags=tag)
    if subject:
        qs = qs.filter(subject=subject)
    if active is not None:
        qs = qs.filter(active=active)
    if years_min is not None:
        qs = qs.filter(start__lte=years_before(at, years_min))
    if years_max is not None:
        qs = qs.filter(start__gt=years_before(at, years_max + 1))
    if missing:
        qs = qs.filter(
            Q(birth_date__isnull=True) | Q(teaching_start__isnull=True, work_start__isnull=True)
        )
    subject_groups = visible(
        user, Membership.objects.current(at).filter(group__kind=Group.Kind.SUBJECT)
    ).select_related("group")
    return (
        qs.select_related("org")
        .prefetch_related(
            "tags", Prefetch("memberships", subject_groups, to_attr="subject_memberships")
        )
        .order_by(*PEOPLE_SORTS.get(sort, PEOPLE_SORTS["name"]))
    )


def subjects(user) -> list[str]:
    people = visible(user, Person.objects.exclude(subject=""))
    return list(people.order_by("subject").values_list("subject", flat=True).distinct())


def person_groups(
    user, person: Person, *, current_at: date | None = None
) -> models.QuerySet[Membership]:
    """The person's memberships (only those current at ``current_at`` if given), current first."""
    qs = Membership.objects.current(current_at) if current_at else Membership.objects.all()
    return (
        visible(user, qs.filter(person=person))
        .select_related("group", "group__org")
        .order_by(F("end").desc(nulls_first=True), "group__kind", "group__name")
    )


def person_mentorships(user, person: Person) -> models.QuerySet[Mentorship]:
    return (
        visible(user, Mentorship.objects.filter(Q(mentor=person) | Q(mentee=person)))
        .select_related("mentor", "mentee")
        .order_by(F("end").desc(nulls_first=True), "start")
    )


def mentorship_list(
    user, *, org: Org | None = None, q: str = "", state: str = "current", at: date | None = None
) -> models.QuerySet[Mentorship]:
    """Pairs the user may read, newest first; ``state`` is current, ended or all."""
    at = at or timezone.localdate()
    pairs = visible(user, Mentorship.objects.select_related("org", "mentor", "mentee"))
    if org is not None:
        pairs = pairs.filter(org=org)
    if q:
        pairs = pairs.filter(
            Q(mentor__name__contains=q)
            | Q(mentee__name__contains=q)
            | Q(mentor__staff_no=q)
            | Q(mentee__staff_no=q)
            | Q(subject__contains=q)
        )
    if state == "current":
        pairs = pairs.current(at)
    elif state == "ended":
        pairs = pairs.filter(end__lt=at)
    return pairs.order_by(F("start").desc(nulls_last=True), "mentor__name", "pk")


# ---- groups ---------------------------------------------------------------------------------

_ROLE_ORDER = Case(
    When(role=Membership.Role.LEAD, then=0),
    When(role=Membership.Role.DEPUTY, then=1),
    default=2,
)


_KIND_ORDER = Case(
    *(When(kind=k, then=i) for i, k in enumerate(Group.Kind.values)), default=len(Group.Kind.values)
)


def groups_list(
    user, *, q: str = "", kind: str = "", org: Org | None = None, at: date | None = None
) -> models.QuerySet[Group]:
    """Groups ``user`` may read with ``member_count`` and ``lead_memberships`` (组长/副组长)."""
    at = at or timezone.localdate()
    qs = visible(user, Group.objects.all())
    if q := q.strip():
        qs = qs.filter(Q(name__icontains=q) | Q(subject__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    leads = (
        visible(user, Membership.objects.current(at).filter(role__in=Membership.LEAD_ROLES))
        .select_related("person")
        .order_by(_ROLE_ORDER, "person__name")
    )
    current = _current_q("memberships__", at) & Q(memberships__person__active=True)
    return (
        qs.select_related("org", "parent")
        .annotate(member_count=Count("memberships", filter=current, distinct=True))
        .prefetch_related(Prefetch("memberships", leads, to_attr="lead_memberships"))
        .order_by("org__path", _KIND_ORDER, "name")
    )


def group_members(user, group: Group, at: date | None = None) -> models.QuerySet[Membership]:
    return (
        visible(user, Membership.objects.current(at).filter(group=group, person__active=True))
        .select_related("person")
        .prefetch_related("person__tags")
        .order_by(_ROLE_ORDER, "person__name", "pk")
    )


# ---- overviews ------------------------------------------------------------------------------


@dataclass
class OrgCounts:
    org: Org | None
    people: int = 0
    active: int = 0
    groups: int = 0
    mentorships: int = 0
    groups_by_kind: list[tuple[str, int]] = field(default_factory=list)


def overview(user, paths: tuple[str, ...], at: date | None = None) -> OrgCounts:
    """Counts over the orgs under ``paths`` (a role's grants), as far as ``user`` may read."""
    at = at or timezone.localdate()
    people = visible(user, Person.objects.filter(in_paths("org__path", paths)))
    groups = visible(user, Group.objects.filter(in_paths("org__path", paths)))
    kinds = dict(Group.Kind.choices)
    by_kind = groups.order_by().values_list("kind").annotate(n=Count("pk"))
    by_kind = sorted(by_kind, key=lambda row: Group.Kind.values.index(row[0]))
    pairs = visible(user, Mentorship.objects.current(at).filter(in_paths("org__path", paths)))
    return OrgCounts(
        org=None,
        people=people.count(),
        active=people.filter(active=True).count(),
        groups=groups.count(),
        mentorships=pairs.count(),
        groups_by_kind=[(kinds.get(k, k), n) for k, n in by_kind],
    )


def missing_data(user, paths: tuple[str, ...]) -> models.QuerySet[Person]:
    """Active people without a birth date or any start date: 周岁/教龄 cannot be computed."""
    return (
        visible(user, Person.objects.filter(in_paths("org__path", paths), active=True))
        .filter(
            Q(birth_date__isnull=True) | Q(teaching_start__isnull=True, work_start__isnull=True)
        )
        .order_by("name", "pk")
    )


def org_rows(user, orgs: list[Org], at: date | None = None) -> list[OrgCounts]:
    """Per-org counts for a table or a tree: four grouped queries, whatever the org count."""
    at = at or timezone.localdate()
    ids = [o.pk for o in orgs]

    def per_org(qs, **filters) -> dict[int, int]:
        rows = qs.filter(org__in=ids, **filters).order_by().values_list("org")
        return dict(rows.annotate(n=Count("pk")))

    people = per_org(visible(user, Person.objects.all()))
    active = per_org(visible(user, Person.objects.all()), active=True)
    groups = per_org(visible(user, Group.objects.all()))
    pairs = per_org(visible(user, Mentorship.objects.current(at)))
    return [
        OrgCounts(
            org=o,
            people=people.get(o.pk, 0),
            active=active.get(o.pk, 0),
            groups=groups.get(o.pk, 0),
            mentorships=pairs.get(o.pk, 0),
        )
        for o in orgs
    ]


@dataclass
class TreeNode:
    counts: OrgCounts
    children: list[TreeNode] = field(default_factory=list)


def org_tree(user) -> list[TreeNode]:
    """The orgs ``user`` reads as a whole, nested by parent; roots are those without a
    readable parent."""
    orgs = list(readable_orgs(user).order_by("path"))
    nodes = {c.org.pk: TreeNode(c) for c in org_rows(user, orgs)}
    roots = []
    for org in orgs:
        parent = nodes.get(org.parent_id)
        (parent.children if parent else roots).append(nodes[org.pk])
    return roots


# ---- audit trail ----------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # simple-history's history_type: + ~ -
    action: str
    subject: str
    changes: list[Change]


_ACTIONS = {"+": gettext_lazy("新建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


def display_name(user) -> str:
    """A user's name the Chinese way: the linked person's name, else 姓+名, else the login."""
    try:
        return user.person.name
    except ObjectDoesNotExist:
        return f"{user.last_name}{user.first_name}" or user.username


def _display(model: type[models.Model], name: str, value) -> str:
    if isinstance(value, DeletedObject):
        return "—" if value.pk is None else _("已删除（#%(pk)s）") % {"pk": value.pk}
    if isinstance(value, list):  # m2m rows: [{"person": …, "tag": …}]
        own = model._meta.model_name
        items = sorted(str(v) for row in value for k, v in row.items() if k != own)
        return "、".join(items) or "—"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _subject(record) -> str:
    model = record.instance_type
    try:
        text = str(record.instance)
    except ObjectDoesNotExist:
        text = f"#{record.id}"
    return f"{model._meta.verbose_name}：{text}"


def _entry(record) -> HistoryEntry | None:
    model = record.instance_type
    changes: list[Change] = []
    if record.history_type == "~" and (prev := record.prev_record) is not None:
        delta = record.diff_against(prev, foreign_keys_are_objs=True)
        changes = [
            Change(
                _label(model, c.field),
                _display(model, c.field, c.old),
                _display(model, c.field, c.new),
            )
            for c in delta.changes
        ]
        if not changes:
            return None  # a save that changed nothing
    user = record.history_user
    who = display_name(user) if user else _("系统")
    return HistoryEntry(
        when=record.history_date,
        who=who,
        kind=record.history_type,
        action=str(_ACTIONS.get(record.history_type, record.history_type)),
        subject=_subject(record),
        changes=changes,
    )


def audit_trail(*histories: models.QuerySet, limit: int = 50) -> list[HistoryEntry]:
    """Newest first, merged across history querysets. Callers check the viewer may see it
    (office staff / admin: :func:`keshi.org.scoping.can_manage_org`)."""
    records = []
    for qs in histories:
        records += list(qs.select_related("history_user__person").order_by("-history_date")[:limit])
    records.sort(key=lambda r: r.history_date, reverse=True)
    entries = (_entry(r) for r in records)
    return [e for e in entries if e is not None][:limit]


def person_audit_trail(person: Person, limit: int = 50) -> list[HistoryEntry]:
    return audit_trail(
        person.history.all(),
        Membership.history.filter(person_id=person.pk),
        Mentorship.history.filter(Q(mentor_id=person.pk) | Q(mentee_id=person.pk)),
        limit=limit,
    )


def group_audit_trail(group: Group, limit: int = 50) -> list[HistoryEntry]:
    return audit_trail(
        group.history.all(), Membership.history.filter(group_id=group.pk), limit=limit
    )
