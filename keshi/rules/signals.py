"""Every write the compliance engine reads renews the cached results it affects (see
:mod:`keshi.rules.standing`)."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete

from keshi.accounts.models import RoleGrant
from keshi.calendar.models import DayOverride, SchoolYear, Term
from keshi.checks.models import Inspection, InspectionResult
from keshi.org.models import Group, Membership, Mentorship, Org, Person, Tag
from keshi.plans.models import Plan
from keshi.records.models import Activity, ActivityKind
from keshi.rules import standing
from keshi.rules.models import Exemption, KindCap, Requirement

# Whose standing a row of each model bears on.
PERSONAL = {
    Activity: lambda row: [row.person_id],
    Person: lambda row: [row.pk],
    Membership: lambda row: [row.person_id],
    Mentorship: lambda row: [row.mentor_id, row.mentee_id],
    Exemption: lambda row: [row.person_id],
    # Role-owned rules (a grant's holder) and rules counted over inspections (the inspectors).
    RoleGrant: lambda row: list(
        Person.objects.filter(user_id=row.user_id).values_list("pk", flat=True)
    ),
    Inspection: lambda row: list(row.inspectors.values_list("pk", flat=True)),
    InspectionResult: lambda row: list(
        Person.objects.filter(inspecting__pk=row.inspection_id).values_list("pk", flat=True)
    ),
}
# A plan's status publishes or withdraws its rules (Requirement.objects.live()).
SHARED = (Requirement, KindCap, Plan, Group, Tag, Org, ActivityKind, Term, SchoolYear, DayOverride)


def _personal(sender, instance, **kwargs) -> None:
    standing.changed(*PERSONAL[sender](instance))


def _shared(sender, **kwargs) -> None:
    standing.changed()


def _inspectors_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action == "pre_clear" and not reverse:  # the ids are gone after the clear
        standing.changed(*instance.inspectors.values_list("pk", flat=True))
    elif action.startswith("post_") and pk_set:
        standing.changed(*(pk_set if not reverse else [instance.pk]))
    elif action == "post_clear" and reverse:
        standing.changed(instance.pk)


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        standing.changed(instance.pk)
    elif pk_set:
        standing.changed(*pk_set)
    else:  # a tag cleared of everyone
        standing.changed()


def connect() -> None:
    for model in PERSONAL:
        post_save.connect(_personal, sender=model, dispatch_uid=f"standing-{model.__name__}")
        post_delete.connect(_personal, sender=model, dispatch_uid=f"standing-{model.__name__}-d")
    for model in SHARED:
        post_save.connect(_shared, sender=model, dispatch_uid=f"standing-{model.__name__}")
        post_delete.connect(_shared, sender=model, dispatch_uid=f"standing-{model.__name__}-d")
    for field in ("kinds", "groups", "tags"):
        through = getattr(Requirement, field).through
        m2m_changed.connect(_shared, sender=through, dispatch_uid=f"standing-req-{field}")
    m2m_changed.connect(_tags_changed, sender=Person.tags.through, dispatch_uid="standing-tags")
    # An inspection's inspectors are deleted before it: read them first.
    pre_delete.connect(_personal, sender=Inspection, dispatch_uid="standing-Inspection-pd")
    m2m_changed.connect(
        _inspectors_changed,
        sender=Inspection.inspectors.through,
        dispatch_uid="standing-inspectors",
    )
    post_migrate.connect(lambda **kwargs: standing.forget_all(), weak=False,
                         dispatch_uid="standing-migrate")  # fmt: skip
