"""Reads for 听课任务 (:class:`ObservationAssignment`), all through keshi.org.scoping.

An assignment is the observer's private row: the observer reads it, so do the leads of the
observer's groups and the office; the observed teacher does not (a 推门 visit is unannounced).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keshi.org.models import Org
from keshi.org.scoping import scope_for, visible
from keshi.records.models import Activity, ObservationAssignment

STATE_LABELS = {
    "open": gettext_lazy("待完成"),
    "done": gettext_lazy("已完成"),
    "overdue": gettext_lazy("逾期"),
}


def assignments_for(user) -> models.QuerySet[ObservationAssignment]:
    ids = visible(user, ObservationAssignment.objects.all()).values("pk")
    return ObservationAssignment.objects.filter(pk__in=ids).select_related(
        "observer", "teacher", "draw", "open_class", "activity"
    )


def assignment_for(user, pk: int) -> ObservationAssignment | None:
    return assignments_for(user).filter(pk=pk).first()


def my_assignments(user) -> models.QuerySet[ObservationAssignment]:
    """The caller's own tasks as observer (nothing for a user without a teacher profile)."""
    person_id = scope_for(user).person_id
    if not person_id:
        return ObservationAssignment.objects.none()
    return assignments_for(user).filter(observer_id=person_id)


def label(assignment: ObservationAssignment) -> str:
    """“推门听课·听王老师的课”: the reminder's and the list's wording."""
    return _("%(purpose)s·听%(teacher)s的课") % {
        "purpose": assignment.get_purpose_display(),
        "teacher": assignment.teacher.name,
    }


@dataclass(frozen=True)
class Row:
    assignment: ObservationAssignment
    state: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class Tally:
    rows: list[Row]
    open: int
    done: int
    overdue: int

    @property
    def total(self) -> int:
        return len(self.rows)


def tally(assignments, *, today: date | None = None) -> Tally:
    today = today or timezone.localdate()
    rows = [Row(a, a.state(today)) for a in assignments]
    count = {s: sum(1 for r in rows if r.state == s) for s in STATE_LABELS}
    return Tally(rows, count["open"], count["done"], count["overdue"])


def for_draw(user, draw) -> Tally:
    """The draw page's 听课任务 with their states, as far as ``user`` may read them."""
    return tally(assignments_for(user).filter(draw=draw).order_by("teacher__name", "pk"))


def open_assignments_by_person(org: Org) -> dict[int, list[tuple[str, date]]]:
    """Observer's person id → (label, due date) of each open (not done) assignment of ``org``,
    earliest due first. For the reminders: an overdue one stays in until it is done."""
    found: dict[int, list[tuple[str, date]]] = defaultdict(list)
    rows = (
        ObservationAssignment.objects.filter(org=org, done_at__isnull=True, observer__active=True)
        .select_related("teacher")
        .order_by("due", "pk")
    )
    for a in rows:
        found[a.observer_id].append((label(a), a.due))
    return dict(found)


def matching_observations(assignment: ObservationAssignment) -> models.QuerySet[Activity]:
    """Observations that fulfil ``assignment``: by its observer, of its teacher, dated in its
    window, counted (not returned)."""
    return Activity.objects.filter(
        person_id=assignment.observer_id,
        observed_id=assignment.teacher_id,
        kind__has_observed=True,
        date__gte=assignment.start,
        date__lte=assignment.due,
        status__in=Activity.COUNTED,
    ).order_by("date", "pk")


def free_observation(assignment: ObservationAssignment) -> Activity | None:
    """The first matching observation that fulfils no other task yet."""
    used = ObservationAssignment.objects.filter(activity__isnull=False).values("activity_id")
    return matching_observations(assignment).exclude(pk__in=used).first()


def may_act(user, assignment: ObservationAssignment) -> bool:
    """Only the observer marks their own task done."""
    person_id = scope_for(user).person_id
    return bool(person_id) and assignment.observer_id == person_id
