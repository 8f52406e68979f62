"""Writes for the 每周工作安排: the office's notes per day, publishing and withdrawing."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.calendar.models import Term
from keshi.notify.models import Notification
from keshi.org.models import Org, Person
from keshi.org.scoping import can_manage_org
from keshi.weekly.models import WeekSchedule

NOTE_CHARS = 500


def _schedule(org: Org, term: Term, week: int, by) -> WeekSchedule:
    if not can_manage_org(by, org):
        raise PermissionDenied(_("只有本单位管理员可以编辑每周工作安排。"))
    if term.school_year.org_id != org.pk:
        raise ValidationError({"term": _("学期不属于该单位。")})
    schedule, _created = WeekSchedule.objects.select_for_update().get_or_create(
        org=org, term=term, week=week
    )
    return schedule


@transaction.atomic
def save_notes(
    *, org: Org, term: Term, week: int, days: list[date], notes: dict[date, str], by
) -> WeekSchedule:
    """Replace the notes of the week's ``days``; an empty text removes a day's note."""
    errors = {
        day.isoformat(): _("备注不能超过%(n)d字。") % {"n": NOTE_CHARS}
        for day, text in notes.items()
        if len(text.strip()) > NOTE_CHARS
    }
    if set(notes) - set(days):
        errors["notes"] = _("备注的日期不在第%(week)d周。") % {"week": week}
    if errors:
        raise ValidationError(errors)
    schedule = _schedule(org, term, week, by)
    kept = {k: v for k, v in schedule.notes.items() if date.fromisoformat(k) not in days}
    kept |= {d.isoformat(): t.strip() for d, t in notes.items() if t.strip()}
    schedule.notes = dict(sorted(kept.items()))
    schedule.save(update_fields=["notes", "updated_at"])
    return schedule


@transaction.atomic
def publish(*, org: Org, term: Term, week: int, by, title: str) -> WeekSchedule:
    """Release the week to every person of the org (and their calendar feeds); each person
    with a login gets a notification — again when the office republishes after changes."""
    schedule = _schedule(org, term, week, by)
    schedule.published_at = timezone.now()
    schedule.published_by = by
    schedule.save(update_fields=["published_at", "published_by", "updated_at"])
    link = f"{reverse('weekly:index')}?org={org.code}&term={term.pk}&week={week}"
    people = Person.objects.filter(org=org, active=True, user__isnull=False)
    Notification.objects.bulk_create(
        Notification(org=org, user_id=p.user_id, person=p, title=title, link=link)
        for p in people.only("pk", "user_id")
    )
    return schedule


@transaction.atomic
def withdraw(*, org: Org, term: Term, week: int, by) -> WeekSchedule:
    schedule = _schedule(org, term, week, by)
    schedule.published_at = None
    schedule.published_by = None
    schedule.save(update_fields=["published_at", "published_by", "updated_at"])
    return schedule
