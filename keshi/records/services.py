"""Writes for activity records: recording, reviewing."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.org.models import Person
from keshi.records.models import Activity, ActivityKind

_NOT_COUNTED = re.compile(r"\s+")


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
) -> Activity:
    """Record one piece of work for ``person``. Kinds that need review start as 已提交 and wait
    for a reviewer; the others count at once (also 已提交, which counts)."""
    data = data or {}
    if kind.org_id not in (None, person.org_id):
        raise ValidationError({"kind": _("该记录类型不属于本单位。")})
    if observed is not None and observed.pk == person.pk:
        raise ValidationError({"observed": _("不能登记听自己的课。")})
    if quantity is None or Decimal(quantity) <= 0:
        raise ValidationError({"quantity": _("数量必须大于0。")})
    activity = Activity(
        org_id=person.org_id,
        person=person,
        kind=kind,
        date=on or timezone.localdate(),
        title=title,
        quantity=quantity,
        credits=credits or 0,
        text=text,
        chars=count_chars(text),
        observed=observed if kind.has_observed else None,
        data=data,
        complete=is_complete(kind, data),
        created_by=by,
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def review_activity(*, activity: Activity, by, approve: bool, comment: str = "") -> Activity:
    if activity.person.user_id == getattr(by, "pk", None):
        raise PermissionDenied(_("不能审核自己的记录。"))
    if not approve and not comment.strip():
        raise ValidationError({"review_comment": _("退回时请填写原因。")})
    activity.status = Activity.Status.APPROVED if approve else Activity.Status.RETURNED
    activity.review_comment = comment.strip()
    activity.reviewed_by = by
    activity.reviewed_at = timezone.now()
    activity.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    return activity
