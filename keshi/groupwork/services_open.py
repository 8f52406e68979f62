"""Writes for open classes: schedule, attendance, closing into records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.groupwork.attendance import (
    check_org_people,
    kind_for,
    record_rows,
    set_attendees,
    sign_in,
)
from keshi.groupwork.models import (
    OpenClass,
    OpenClassAttendance,
)
from keshi.org.models import Group, Org, Person
from keshi.records import services as records
from keshi.records.models import Activity

# ---- open classes -------------------------------------------------------------------------

OPEN_CLASS_FIELDS = (
    "teacher",
    "date",
    "period",
    "class_name",
    "subject",
    "topic",
    "place",
    "kind",
    "level",
    "absence_note",
)


@transaction.atomic
def save_open_class(
    *,
    org: Org,
    by,
    open_class: OpenClass | None = None,
    required_groups: list[Group] = (),
    required_people: list[Person] = (),
    **values,
) -> OpenClass:
    open_class = open_class or OpenClass(org=org)
    for name, value in values.items():
        if name not in OPEN_CLASS_FIELDS:
            raise TypeError(name)
        setattr(open_class, name, value)
    if open_class.teacher.org_id != org.pk:
        raise ValidationError({"teacher": _("授课教师须是本单位的教师。")})
    if any(g.org_id != org.pk for g in required_groups):
        raise ValidationError({"required_groups": _("须参加的组须属于本单位。")})
    check_org_people(org.pk, list(required_people))
    open_class.full_clean()
    open_class.save()
    open_class.required_groups.set(required_groups)
    open_class.required_people.set(required_people)
    return open_class


@transaction.atomic
def set_open_class_attendance(*, open_class: OpenClass, people: list[Person], by) -> None:
    if open_class.is_closed:
        raise ValidationError(_("考勤已结束，请先重新开启再修改。"))
    check_org_people(open_class.org_id, people)
    if any(p.pk == open_class.teacher_id for p in people):
        raise ValidationError(_("授课教师不用签到听自己的课。"))
    rows = open_class.attendances.all()
    set_attendees(rows, OpenClassAttendance, {"open_class": open_class}, people, by)


@transaction.atomic
def sign_in_open_class(*, open_class: OpenClass, person: Person) -> OpenClassAttendance:
    if person.org_id != open_class.org_id or not person.active:
        raise ValidationError(_("您不是本单位的教师，不能签到。"))
    if open_class.is_closed:
        raise ValidationError(_("考勤已结束，签到已关闭。"))
    if person.pk == open_class.teacher_id:
        raise ValidationError(_("授课教师不用签到听自己的课。"))
    return sign_in(OpenClassAttendance, {"open_class": open_class}, person)


@transaction.atomic
def close_open_class(*, open_class: OpenClass, by) -> int:
    """End attendance: the teacher gets a 公开课 record and each attendee an 听课 record observing
    the teacher (once each). The number of records created."""
    oc = OpenClass.objects.select_for_update().select_related("teacher").get(pk=open_class.pk)
    created = 0
    if oc.teacher_activity_id is None:
        oc.teacher_activity = records.record_activity(
            person=oc.teacher,
            kind=kind_for(oc.org, "open_class"),
            by=by,
            on=oc.date,
            title=oc.topic,
            data={
                "class_type": oc.kind,
                "level": oc.level,
                "attendees": oc.attendances.count(),
                "open_class": oc.pk,
            },
        )
        created += 1
    observation = kind_for(oc.org, "observation")
    data = {"class_name": oc.class_name, "subject": oc.subject, "topic": oc.topic}
    data.update({"lesson_no": oc.period, "open_class": oc.pk})

    def make(person: Person) -> Activity:
        return records.record_activity(
            person=person,
            kind=observation,
            by=by,
            on=oc.date,
            title=oc.topic,
            observed=oc.teacher,
            data=data,
        )

    created += record_rows(oc.attendances.all(), make)
    if oc.closed_at is None:
        oc.closed_at = timezone.now()
    oc.save(update_fields=["closed_at", "teacher_activity"])
    open_class.closed_at, open_class.teacher_activity = oc.closed_at, oc.teacher_activity
    return created


@transaction.atomic
def reopen_open_class(*, open_class: OpenClass, by) -> None:
    open_class.closed_at = None
    open_class.save(update_fields=["closed_at"])
