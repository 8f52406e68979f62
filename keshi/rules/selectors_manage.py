"""Reads for the requirements and exemptions pages, and the audience preview.

Every query starts from :func:`keshi.org.scoping.visible`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import visible
from keshi.records.models import ActivityKind
from keshi.rules.engine import Compliance, evaluate
from keshi.rules.group_engine import audience
from keshi.rules.models import Exemption, Requirement
from keshi.rules.services import M2M_FIELDS, SCALAR_FIELDS
from keshi.rules.status import Status

PREVIEW_NAMES = 20


def requirements_list(user) -> models.QuerySet[Requirement]:
    """The requirements ``user`` may read, in list order (the list's filters are
    keshi.rules.filters.RequirementFilter)."""
    return (
        visible(user, Requirement.objects.all())
        .select_related("org")
        .prefetch_related("kinds", "groups", "tags", "kind_caps__kind")
        .order_by("org__path", "-active", "pk")
    )


def kinds_for(org: Org) -> models.QuerySet[ActivityKind]:
    """The kinds an org's requirements may count: the built-ins meant for its kind of org
    (school, hospital…) and the org's own."""
    return (
        ActivityKind.objects.filter(Q(org__isnull=True) | Q(org=org), active=True)
        .offered_to(org)
        .order_by("org", "position", "code")
    )


# ---- audience -----------------------------------------------------------------------------


@dataclass
class Audience:
    term: Term | None
    count: int = 0
    exempt: int = 0
    names: list[str] = field(default_factory=list)  # the first PREVIEW_NAMES readable names
    unit: str = "人"  # 个组 for a group-owned requirement

    @property
    def more(self) -> int:
        return max(self.count - len(self.names), 0)


def _audience(user, requirement_id: int, result: Compliance) -> Audience:
    ids = [pid for (pid, rid) in result.cells if rid == requirement_id]
    exempt = sum(
        1 for pid in ids if (c := result.current(pid, requirement_id)) and c.status is Status.EXEMPT
    )
    readable = visible(user, Person.objects.filter(pk__in=ids)).order_by("name", "pk")
    names = list(readable.values_list("name", flat=True)[:PREVIEW_NAMES])
    return Audience(term=result.term, count=len(ids), exempt=exempt, names=names)


def _groups_audience(requirement: Requirement, term: Term) -> Audience:
    """The groups owing a group-owned requirement (groups are public in their org)."""
    groups = audience(requirement, list(Group.objects.filter(org=requirement.org)))
    names = [g.name for g in groups]
    return Audience(term=term, count=len(names), names=names[:PREVIEW_NAMES], unit="个组")


def audience_of(user, requirement: Requirement, *, at: date | None = None) -> Audience:
    """Who a saved requirement applies to now, as the engine sees it (current period)."""
    at = at or timezone.localdate()
    term = current_term(requirement.org, at)
    if term is None:
        return Audience(term=None)
    if requirement.owner == Requirement.Owner.GROUP:
        return _groups_audience(requirement, term)
    result = evaluate(term=term, at=at, requirements=[requirement], history=False)
    return _audience(user, requirement.pk, result)


def audience_preview(user, *, org: Org, values: dict, at: date | None = None) -> Audience:
    """Who an unsaved requirement (``values`` as in :func:`services.create_requirement`) would
    apply to now. The draft is written inside a savepoint that is always rolled back, so the
    engine's own audience logic answers — the preview cannot drift from the judgement."""
    at = at or timezone.localdate()
    term = current_term(org, at)
    if term is None:
        return Audience(term=None)
    scalars = {f: values[f] for f in SCALAR_FIELDS if values.get(f) not in (None, "")}
    scalars.update(name="preview", active=True)
    scalars.setdefault("threshold", 1)
    scalars = {k: v for k, v in scalars.items() if k != "source_text"}
    with transaction.atomic():
        draft = Requirement(org=org, **scalars)
        draft.skip_history_when_saving = True
        draft.save()
        for f in M2M_FIELDS:
            getattr(draft, f).set(list(values.get(f) or []))
        if draft.owner == Requirement.Owner.GROUP:
            found = _groups_audience(draft, term)
        else:
            result = evaluate(term=term, at=at, requirements=[draft], history=False)
            found = _audience(user, draft.pk, result)
        transaction.set_rollback(True)
    return found


# ---- exemptions ---------------------------------------------------------------------------


def exemptions_list(user, *, requirement: Requirement | None = None) -> models.QuerySet[Exemption]:
    """Exemptions ``user`` may read (the list's filters are keshi.rules.filters.ExemptionFilter);
    ``requirement`` also keeps the exemptions from every requirement (they cover it too)."""
    qs = visible(user, Exemption.objects.all())
    if requirement is not None:
        qs = qs.filter(Q(requirement=requirement) | Q(requirement__isnull=True))
    return qs.select_related("person", "person__org", "requirement").order_by("-start", "pk")


def exemptions_for(user, person: Person) -> models.QuerySet[Exemption]:
    """A person's exemptions (for the person page), as far as ``user`` may read them."""
    return (
        visible(user, Exemption.objects.filter(person=person))
        .select_related("requirement")
        .order_by("-start", "pk")
    )
