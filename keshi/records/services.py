"""Writes for activity records: recording, editing, attachments, reviewing, kinds."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.calendar.closing import check_open
from keshi.org.models import Person
from keshi.records import assignment_services
from keshi.records.models import Activity, ActivityKind, Attachment

_NOT_COUNTED = re.compile(r"\s+")
_SAFE_NAME = re.compile(r"[^\w.\-]+")


def count_chars(text: str) -> int:
    """字数 as Chinese teachers count it: every character except white space."""
    return len(_NOT_COUNTED.sub("", text or ""))


def is_complete(kind: ActivityKind, data: dict) -> bool:
    """A kind that asks for a report (培训) is incomplete until the report is in."""
    return not kind.needs_report or bool(str(data.get("report") or "").strip())


@transaction.atomic
def record_activity(
    *,
    person: Person,
    kind: ActivityKind,
    by,
    on: date | None = None,
    title: str = "",
    quantity: Decimal | int = 1,
    credits: Decimal | int = 0,
    text: str = "",
    observed: Person | None = None,
    data: dict | None = None,
    chars: int | None = None,
) -> Activity:
    """Record one piece of work for ``person``. Kinds that need review start as 已提交 and wait
    for a reviewer; the others count at once (also 已提交, which counts).

    ``chars`` is only for imports that carry a 字数 but not the text itself; with a text the
    count is always computed."""
    data = data or {}
    _check(person=person, kind=kind, quantity=quantity, credits=credits, observed=observed)
    check_open(org_id=person.org_id, day=on or timezone.localdate())
    activity = Activity(
        org_id=person.org_id,
        person=person,
        kind=kind,
        date=on or timezone.localdate(),
        title=title,
        quantity=quantity,
        credits=credits or 0,
        text=text,
        chars=count_chars(text) if text or chars is None else chars,
        observed=observed if kind.has_observed else None,
        data=data,
        complete=is_complete(kind, data),
        created_by=by,
    )
    activity.full_clean()
    activity.save()
    assignment_services.fulfil(activity)  # 听课任务 done by this observation
    return activity


def _check(*, person: Person, kind: ActivityKind, quantity, credits, observed) -> None:
    if kind.org_id not in (None, person.org_id):
        raise ValidationError({"kind": _("该记录类型不属于本单位。")})
    if not kind.active:
        raise ValidationError({"kind": _("该记录类型已停用。")})
    if observed is not None and observed.pk == person.pk:
        raise ValidationError({"observed": _("不能登记听自己的课。")})
    if observed is not None and observed.org_id != person.org_id:
        raise ValidationError({"observed": _("被听课教师须是本单位的教师。")})
    if quantity is None or Decimal(quantity) <= 0:
        raise ValidationError({"quantity": _("数量必须大于0。")})
    if credits is not None and Decimal(credits or 0) < 0:
        raise ValidationError({"credits": _("学分不能为负数。")})


@transaction.atomic
def record_bulk(*, people: list[Person], kind: ActivityKind, by, **fields) -> list[Activity]:
    """One record per person (everybody who attended a 教研活动), all or none."""
    if not people:
        raise ValidationError({"people": _("请至少选择一位教师。")})
    return [record_activity(person=p, kind=kind, by=by, **fields) for p in people]


@transaction.atomic
def update_activity(
    *,
    activity: Activity,
    by,
    on: date,
    title: str = "",
    quantity: Decimal | int = 1,
    credits: Decimal | int = 0,
    text: str = "",
    observed: Person | None = None,
    data: dict | None = None,
) -> Activity:
    """Change a record that is not approved yet. A returned record goes back to 已提交: fixing
    it is resubmitting it; the reviewer's comment stays for the history."""
    if activity.status == Activity.Status.APPROVED:
        raise ValidationError(_("已通过审核的记录不能修改。"))
    kind = activity.kind
    data = data or {}
    _check(person=activity.person, kind=kind, quantity=quantity, credits=credits, observed=observed)
    check_open(org_id=activity.org_id, day=activity.date)
    check_open(org_id=activity.org_id, day=on)
    activity.date = on
    activity.title = title
    activity.quantity = quantity
    activity.credits = credits or 0
    activity.text = text
    activity.chars = count_chars(text)
    activity.observed = observed if kind.has_observed else None
    activity.data = data
    activity.complete = is_complete(kind, data)
    if activity.status == Activity.Status.RETURNED:
        activity.status = Activity.Status.SUBMITTED
        activity._change_reason = "重新提交"
    activity.full_clean()
    activity.save()
    assignment_services.refit(activity)
    return activity


@transaction.atomic
def delete_activity(*, activity: Activity, by) -> None:
    check_open(org_id=activity.org_id, day=activity.date)
    if activity.status == Activity.Status.APPROVED:
        raise ValidationError(_("已通过审核的记录不能删除。"))
    for attachment in activity.attachments.all():
        delete_attachment(attachment=attachment)
    assignment_services.release(activity)
    activity.delete()


def add_attachment(*, activity: Activity, name: str, data: bytes, content_type: str) -> Attachment:
    """Store one checked file (see keshi.records.uploads) under the record."""
    check_open(org_id=activity.org_id, day=activity.date)
    safe = _SAFE_NAME.sub("_", name).strip("._") or "file"
    attachment = Attachment(activity=activity, name=name[:200], size=len(data))
    attachment.content_type = content_type
    attachment.file.save(safe[-100:], ContentFile(data), save=False)
    attachment.save()
    return attachment


def delete_attachment(*, attachment: Attachment) -> None:
    check_open(org_id=attachment.activity.org_id, day=attachment.activity.date)
    file = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: file.delete(save=False))


@transaction.atomic
def review_activity(*, activity: Activity, by, approve: bool, comment: str = "") -> Activity:
    if activity.person.user_id == getattr(by, "pk", None):
        raise PermissionDenied(_("不能审核自己的记录。"))
    if activity.status != Activity.Status.SUBMITTED:
        raise ValidationError(_("该记录已审核过，不能重复审核。"))
    check_open(org_id=activity.org_id, day=activity.date)
    if not approve and not comment.strip():
        raise ValidationError({"review_comment": _("退回时请填写原因。")})
    activity.status = Activity.Status.APPROVED if approve else Activity.Status.RETURNED
    activity.review_comment = comment.strip()
    activity.reviewed_by = by
    activity.reviewed_at = timezone.now()
    activity.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    return activity


KIND_FIELDS = (
    "code",
    "label",
    "unit",
    "has_text",
    "has_observed",
    "needs_review",
    "needs_report",
    "fields",
    "position",
    "active",
)


@transaction.atomic
def save_kind(*, org, by, kind: ActivityKind | None = None, **values) -> ActivityKind:
    """Create or change an org's own kind. Built-in kinds (no org) are read-only."""
    if kind is not None and kind.org_id is None:
        raise PermissionDenied(_("内置记录类型不能修改。"))
    kind = kind or ActivityKind(org=org)
    for name, value in values.items():
        if name not in KIND_FIELDS:
            raise TypeError(name)
        setattr(kind, name, value)
    if ActivityKind.objects.filter(org=kind.org, code=kind.code).exclude(pk=kind.pk).exists():
        raise ValidationError({"code": _("本单位已有该代码的记录类型。")})
    kind.full_clean(validate_constraints=False)
    kind.save()
    return kind
