"""Reads for group activities, 校本研修 and open classes. Every page query starts here.

Who reads what (on top of keshi.org.scoping.visible):

* office, leader, district (and admin): everything in their orgs;
* a teacher (and a group lead): the sessions and schedules of the groups they belong to or lead;
  the 校本研修 projects and open classes of their own org (they must know to attend);
* an outsider: nothing of another org.

Who manages: office staff everything of their org; a group lead their groups' schedules and
sessions, and the open classes of their groups' members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Count, Q

from keshi.calendar.models import Term
from keshi.groupwork.models import (
    Material,
    Meeting,
    OpenClass,
    Schedule,
    Session,
    TrainingMaterial,
    TrainingProject,
)
from keshi.org.models import Group, Membership, Org, Person
from keshi.org.scoping import can_manage_org, manageable, scope_for, visible
from keshi.org.selectors import in_paths


def my_group_ids(user, on: date | None = None) -> set[int]:
    scope = scope_for(user)
    ids = set(scope.lead_group_ids)
    if scope.person_id:
        ids |= set(
            Membership.objects.current(on)
            .filter(person_id=scope.person_id)
            .values_list("group_id", flat=True)
        )
    return ids


def _group_narrowed(user, qs: models.QuerySet) -> models.QuerySet:
    scope = scope_for(user)
    qs = visible(user, qs)
    if scope.is_admin:
        return qs
    return qs.filter(in_paths("org__path", scope.read_paths) | Q(group_id__in=my_group_ids(user)))


def schedules_for(user) -> models.QuerySet[Schedule]:
    return _group_narrowed(user, Schedule.objects.select_related("group", "term__school_year"))


def sessions_for(user) -> models.QuerySet[Session]:
    return _group_narrowed(user, Session.objects.select_related("group", "host", "schedule"))


def meetings_for(user) -> models.QuerySet[Meeting]:
    """例会 a user sees: all of their org's when they read it, else the ones they attend."""
    return _group_narrowed(user, Meeting.objects.select_related("group", "org"))


def meeting_group_ids(org_ids) -> set[int]:
    """The groups that are 例会 (not 教研组), for lists that keep the two apart."""
    return set(Meeting.objects.filter(org_id__in=org_ids).values_list("group_id", flat=True))


def training_for(user) -> models.QuerySet[TrainingProject]:
    return visible(user, TrainingProject.objects.all())


def open_classes_for(user) -> models.QuerySet[OpenClass]:
    return visible(user, OpenClass.objects.select_related("teacher"))


# ---- who may change what -------------------------------------------------------------------


def can_manage_group(user, group: Group) -> bool:
    return can_manage_org(user, group.org) or group.pk in scope_for(user).lead_group_ids


def managed_groups(user) -> models.QuerySet[Group]:
    scope = scope_for(user)
    qs = Group.objects.select_related("org")
    if scope.is_admin:
        return qs
    return (manageable(user, qs) | qs.filter(pk__in=scope.lead_group_ids)).distinct()


def can_manage_training(user, project: TrainingProject) -> bool:
    return can_manage_org(user, project.org)


def led_people(user) -> models.QuerySet[Person]:
    """The people of the groups a user leads (not the office's whole org)."""
    ids = scope_for(user).lead_group_ids
    return Person.objects.filter(
        pk__in=Membership.objects.current().filter(group_id__in=ids).values("person_id")
    )


def can_manage_open_class(user, open_class: OpenClass) -> bool:
    return (
        can_manage_org(user, open_class.org)
        or led_people(user).filter(pk=open_class.teacher_id).exists()
    )


def may_plan_open_classes(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.manage_paths) or bool(scope.lead_group_ids)


def open_class_teachers(user) -> models.QuerySet[Person]:
    """Whom a user may schedule an open class for."""
    scope = scope_for(user)
    qs = Person.objects.filter(active=True)
    if scope.is_admin:
        return qs
    return (manageable(user, qs) | led_people(user).filter(active=True)).distinct()


# ---- people who should be there -----------------------------------------------------------


def members_of(group: Group, on: date | None = None) -> models.QuerySet[Person]:
    return Person.objects.filter(
        active=True,
        pk__in=Membership.objects.current(on).filter(group=group).values("person_id"),
    ).order_by("name", "pk")


@dataclass
class Roll:
    """Who was expected at a session and who signed in (so far, while it is open)."""

    session: Session
    present: list[Person]
    absent: list[Person]

    @property
    def expected(self) -> int:
        return len(self.present) + len(self.absent)


def roll_of(session: Session) -> Roll:
    """The session's attendees and the members expected on its day who are not among them."""
    present_ids = set(session.attendances.values_list("person_id", flat=True))
    present = list(Person.objects.filter(pk__in=present_ids).order_by("name", "pk"))
    absent = list(members_of(session.group, session.date).exclude(pk__in=present_ids))
    return Roll(session, present, absent)


def required_for(open_class: OpenClass) -> models.QuerySet[Person]:
    """Who must attend: members of the required groups on the day, and the named people."""
    in_groups = Membership.objects.current(open_class.date).filter(
        group__in=open_class.required_groups.all()
    )
    return (
        Person.objects.filter(active=True, org=open_class.org)
        .filter(
            Q(pk__in=in_groups.values("person_id"))
            | Q(pk__in=open_class.required_people.values("pk"))
        )
        .exclude(pk=open_class.teacher_id)
        .order_by("name", "pk")
    )


def org_people(org: Org) -> models.QuerySet[Person]:
    return Person.objects.filter(org=org, active=True).order_by("name", "pk")


# ---- 六个一 ---------------------------------------------------------------------------------


def checklist(project: TrainingProject) -> list[tuple[str, str, TrainingMaterial | None]]:
    """(item, label, material or None) for the six items, in the plan's order."""
    have = {m.item: m for m in project.materials.filter(present_q()).select_related("activity")}
    return [(item, str(label), have.get(item)) for item, label in Material.choices]


def missing_items(project: TrainingProject) -> list[str]:
    return [str(label) for _item, label, m in checklist(project) if m is None]


def present_q() -> Q:
    return Q(activity__isnull=False) | ~Q(file="")


def with_materials(qs: models.QuerySet[TrainingProject]) -> models.QuerySet[TrainingProject]:
    """Attendee counts and the present materials (``present_materials``) for list pages."""
    return qs.annotate(attendee_count=Count("attendances", distinct=True)).prefetch_related(
        models.Prefetch(
            "materials",
            queryset=TrainingMaterial.objects.filter(present_q()),
            to_attr="present_materials",
        )
    )


def checklist_row(project: TrainingProject) -> list[tuple[str, bool]]:
    """(label, present) per item for a project fetched through :func:`with_materials`."""
    have = {m.item for m in project.present_materials}
    return [(str(label), item in have) for item, label in Material.choices]


# ---- for other apps (bulletins, the archive) ----------------------------------------------


def sessions_in(org: Org, start: date, end: date) -> models.QuerySet[Session]:
    """The org's 教研活动 in ``start..end`` (closed ones have happened), with attendee counts.
    The caller has checked that its user may read ``org``."""
    return (
        Session.objects.filter(org=org, date__gte=start, date__lte=end)
        .select_related("group", "host")
        .annotate(attendee_count=Count("attendances"))
        .order_by("date", "start_time", "pk")
    )


def open_classes_in(org: Org, start: date, end: date) -> models.QuerySet[OpenClass]:
    """The org's open classes in ``start..end``, with attendee counts. Caller checks access."""
    return (
        OpenClass.objects.filter(org=org, date__gte=start, date__lte=end)
        .select_related("teacher")
        .annotate(attendee_count=Count("attendances"))
        .order_by("date", "period", "pk")
    )


def term_of(org: Org, on: date) -> Term | None:
    return Term.objects.filter(school_year__org=org, start__lte=on, end__gte=on).first()


# Re-exported for other apps: ``from keshi.groupwork.selectors import attendance_of`` and
# ``meeting_attendance(org, term)`` (the 工作总结's 例会 figures).
from keshi.groupwork.stats import attendance_of, meeting_attendance  # noqa: E402, F401
