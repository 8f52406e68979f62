"""Writes for 校本研修 projects: attendees, the 六个一 materials, the grant of 学时/学分."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.groupwork import selectors
from keshi.groupwork.attendance import (
    check_org_people,
    delete_file,
    kind_for,
    record_rows,
    set_attendees,
    sign_in,
    store_file,
)
from keshi.groupwork.models import (
    Material,
    TrainingAttendance,
    TrainingMaterial,
    TrainingProject,
)
from keshi.org.models import Org, Person
from keshi.records import services as records
from keshi.records.models import Activity

# ---- 校本研修 ------------------------------------------------------------------------------

PROJECT_FIELDS = ("title", "start", "end", "hours", "credits", "organiser", "description")


@transaction.atomic
def save_project(*, org: Org, by, project: TrainingProject | None = None, **values):
    project = project or TrainingProject(org=org)
    for name, value in values.items():
        if name not in PROJECT_FIELDS:
            raise TypeError(name)
        setattr(project, name, value)
    if project.end < project.start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    if project.hours is None or Decimal(project.hours) <= 0:
        raise ValidationError({"hours": _("学时必须大于0。")})
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def set_training_attendance(*, project: TrainingProject, people: list[Person], by) -> None:
    check_org_people(project.org_id, people)
    rows = project.attendances.all()
    set_attendees(rows, TrainingAttendance, {"project": project}, people, by)


@transaction.atomic
def sign_in_training(*, project: TrainingProject, person: Person) -> TrainingAttendance:
    if person.org_id != project.org_id or not person.active:
        raise ValidationError(_("您不是本单位的教师，不能签到。"))
    return sign_in(TrainingAttendance, {"project": project}, person)


@transaction.atomic
def attach_material(
    *,
    project: TrainingProject,
    item: str,
    by,
    upload: tuple[str, bytes, str] | None = None,
    activity: Activity | None = None,
) -> TrainingMaterial:
    """Put one of the 六个一 in place (replacing what was there): a checked file or a record."""
    if item not in Material.values:
        raise ValidationError({"item": _("未知的材料项目。")})
    if (upload is None) == (activity is None):
        raise ValidationError(_("请上传一个文件，或选择一条关联记录。"))
    if activity is not None and activity.org_id != project.org_id:
        raise ValidationError({"activity": _("关联记录须属于本单位。")})
    row = TrainingMaterial.objects.filter(project=project, item=item).first()
    old_file = row.file if row and row.file else None
    row = row or TrainingMaterial(project=project, item=item)
    if upload is not None:
        row.activity = None
        store_file(row, *upload)
    else:
        row.file, row.name, row.size, row.content_type = "", "", 0, ""
        row.activity = activity
        row.save()
    if old_file and old_file.name != row.file.name:
        transaction.on_commit(lambda: old_file.delete(save=False))
    return row


@transaction.atomic
def grant_training(*, project: TrainingProject, by, override_reason: str = "") -> int:
    """Give every attendee a 培训 record of the project's 学时/学分 (once each).

    Only with the 六个一 complete — or with the office's written reason for granting anyway."""
    given, project = project, TrainingProject.objects.select_for_update().get(pk=project.pk)
    missing = selectors.missing_items(project)
    reason = override_reason.strip()
    if missing and not reason:
        raise ValidationError(
            _("六个一材料缺%(n)d项（%(items)s），补齐后才能发放学时；确需发放请填写理由。")
            % {"n": len(missing), "items": "、".join(missing)}
        )
    if not project.attendances.exists():
        raise ValidationError(_("还没有参训教师签到，无法发放学时。"))
    kind = kind_for(project.org, "training")
    has_homework = Material.HOMEWORK.label not in missing
    data = {"organiser": project.organiser, "level": "校级", "training_project": project.pk}
    if has_homework:
        data["report"] = _("校本研修作业已提交（见“%(title)s”的教师作业）") % {
            "title": project.title
        }

    def make(person: Person) -> Activity:
        return records.record_activity(
            person=person,
            kind=kind,
            by=by,
            on=project.end,
            title=project.title,
            quantity=project.hours,
            credits=project.credits,
            data=data,
        )

    created = record_rows(project.attendances.all(), make)
    project.granted_at = timezone.now()
    project.override_reason = reason if missing else ""
    project.save(update_fields=["granted_at", "override_reason"])
    given.granted_at, given.override_reason = project.granted_at, project.override_reason
    return created


@transaction.atomic
def remove_material(*, row: TrainingMaterial) -> None:
    if row.file:
        delete_file(row=row)
    else:
        row.delete()
