"""Writes for 听课任务: creating assignments (with the observer's notification) and marking them
done by the observation that fulfils them.

Rules:

* one assignment per (draw, observer, teacher): assigning a draw again adds only the pairs that
  are new; nobody is assigned to observe themself;
* an observation (a record of a kind with 被听课人) by the observer of the teacher, dated in the
  window and counted, fulfils the earliest open assignment it matches — recorded afterwards
  (``fulfil``, called by keshi.records.services) or before (``assign`` and ``mark_done``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.org.models import Org, Person
from keshi.records.assignment_selectors import (
    free_observation,
    label,
    matching_observations,
    may_act,
)
from keshi.records.feedback_services import notify
from keshi.records.models import Activity, ObservationAssignment


@dataclass(frozen=True)
class Pair:
    """One task to create: ``observer`` observes ``teacher`` (``lesson`` where known)."""

    observer: Person
    teacher: Person
    lesson: str = ""


@transaction.atomic
def assign(
    *,
    org: Org,
    by,
    pairs: Sequence[Pair],
    start: date,
    due: date,
    purpose: str = ObservationAssignment.Purpose.DROP_IN,
    draw=None,
    open_class=None,
) -> list[ObservationAssignment]:
    """Create the assignments that do not exist yet and tell each observer. The created ones."""
    if due < start:
        raise ValidationError({"due": _("截止日期不能早于开始日期。")})
    if any(p.observer.org_id != org.pk or p.teacher.org_id != org.pk for p in pairs):
        raise ValidationError({"observers": _("听课教师和授课教师都须是本单位的人员。")})
    created = []
    for pair in pairs:
        if pair.observer.pk == pair.teacher.pk:
            continue
        exists = ObservationAssignment.objects.filter(
            draw=draw, observer=pair.observer, teacher=pair.teacher
        )
        if draw is not None and exists.exists():
            continue
        assignment = ObservationAssignment.objects.create(
            org=org,
            purpose=purpose,
            draw=draw,
            observer=pair.observer,
            teacher=pair.teacher,
            start=start,
            due=due,
            lesson=pair.lesson[:200],
            open_class=open_class,
            created_by=by,
        )
        _link_earlier(assignment)
        created.append(assignment)
        if not assignment.done:
            _tell_observer(assignment)
    return created


def _tell_observer(assignment: ObservationAssignment) -> None:
    when = f"{assignment.start:%m-%d}—{assignment.due:%m-%d}"
    if assignment.start == assignment.due:
        when = f"{assignment.due:%Y-%m-%d}"

    def body() -> str:
        text = _("请在 %(when)s 听课并登记听课记录。") % {"when": when}
        if assignment.lesson:
            text += _("课次：%(lesson)s") % {"lesson": assignment.lesson}
        return text

    notify(
        assignment.observer,
        lambda: _("新的听课任务：%(label)s") % {"label": label(assignment)},
        body,
        reverse("records:assignment", args=[assignment.pk]),
    )


def _done(assignment: ObservationAssignment, activity: Activity) -> None:
    assignment.activity, assignment.done_at = activity, timezone.now()
    assignment.save(update_fields=["activity", "done_at"])


def _link_earlier(assignment: ObservationAssignment) -> bool:
    """Done by an observation recorded before the assignment (one not used by another task)."""
    activity = free_observation(assignment)
    if activity is None:
        return False
    _done(assignment, activity)
    return True


def fulfil(activity: Activity) -> ObservationAssignment | None:
    """Mark done the earliest open assignment that ``activity`` fulfils (none when it is not a
    counted observation, or matches none, or already fulfils one)."""
    if not activity.observed_id or not activity.kind.has_observed:
        return None
    if activity.status not in Activity.COUNTED:
        return None
    if ObservationAssignment.objects.filter(activity=activity).exists():
        return None
    assignment = (
        ObservationAssignment.objects.select_for_update()
        .filter(
            observer_id=activity.person_id,
            teacher_id=activity.observed_id,
            done_at__isnull=True,
            start__lte=activity.date,
            due__gte=activity.date,
        )
        .order_by("due", "pk")
        .first()
    )
    if assignment is not None:
        _done(assignment, activity)
    return assignment


@transaction.atomic
def mark_done(*, assignment: ObservationAssignment, by) -> ObservationAssignment:
    """The observer's 核对: link an observation already recorded in the window."""
    if not may_act(by, assignment):
        raise PermissionDenied(_("只有听课教师本人可以核对自己的听课任务。"))
    if assignment.done:
        return assignment
    if not _link_earlier(assignment):
        raise ValidationError(_("在任务期限内还没有您听这位教师的课的记录，请先登记听课记录。"))
    return assignment


def release(activity: Activity) -> int:
    """Reopen the tasks that ``activity`` fulfilled (it is deleted, or no longer fits)."""
    return ObservationAssignment.objects.filter(activity=activity).update(
        activity=None, done_at=None
    )


def refit(activity: Activity) -> ObservationAssignment | None:
    """After an edit: reopen a task the record no longer fits, then fulfil what it fits now."""
    linked = ObservationAssignment.objects.filter(activity=activity).first()
    if linked is not None and matching_observations(linked).filter(pk=activity.pk).exists():
        return linked
    release(activity)
    return fulfil(activity)
