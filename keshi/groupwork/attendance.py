"""The attendance pattern shared by sessions, 校本研修 and open classes (see services.py)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from keshi.groupwork.models import SignIn
from keshi.org.models import Org, Person
from keshi.records import services as records
from keshi.records.models import Activity, ActivityKind
from keshi.records.selectors import kind_by_code

_SAFE_NAME = re.compile(r"[^\w.\-]+")


def kind_for(org: Org, code: str) -> ActivityKind:
    kind = kind_by_code(org, code)
    if kind is None:
        raise ValidationError(_("记录类型“%(code)s”未启用，无法生成记录。") % {"code": code})
    return kind


def drop_record(activity: Activity | None, by) -> None:
    if activity is not None:
        records.delete_activity(activity=activity, by=by)


def set_attendees(rows: models.QuerySet, model, owner: dict, people: list[Person], by) -> None:
    """Make the attendees exactly ``people``: new ones ticked by the lead, absent ones removed
    together with any record they already had."""
    wanted = {p.pk for p in people}
    for row in rows.exclude(person_id__in=wanted).select_related("activity"):
        drop_record(row.activity, by)
        row.delete()
    have = set(rows.values_list("person_id", flat=True))
    for person in people:
        if person.pk not in have:
            model.objects.create(person=person, method=SignIn.LIST, **owner)


def sign_in(model, owner: dict, person: Person):
    row, _created = model.objects.get_or_create(
        person=person, **owner, defaults={"method": SignIn.QR}
    )
    return row


def record_rows(rows: models.QuerySet, make) -> int:
    created = 0
    for row in rows.filter(activity__isnull=True).select_related("person"):
        row.activity = make(row.person)
        row.save(update_fields=["activity"])
        created += 1
    return created


def store_file(instance, name: str, data: bytes, content_type: str) -> None:
    safe = _SAFE_NAME.sub("_", name).strip("._") or "file"
    instance.name, instance.size, instance.content_type = name[:200], len(data), content_type
    instance.file.save(safe[-100:], ContentFile(data), save=False)
    instance.save()


def delete_file(*, row) -> None:
    file = row.file
    row.delete()
    transaction.on_commit(lambda: file.delete(save=False))


def check_org_people(org_id: int, people: list[Person]) -> None:
    strangers = [p.name for p in people if p.org_id != org_id or not p.active]
    if strangers:
        raise ValidationError(
            _("不是本单位的在职教师：%(names)s") % {"names": "、".join(strangers)}
        )
