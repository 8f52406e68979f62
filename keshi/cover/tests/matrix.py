"""Access-matrix objects for cover (see keshi/tests/test_access_matrix.py): a hand-entered
absence of the demo teacher, and a proposed 调课 for it addressed to their colleague."""

from __future__ import annotations

import datetime as dt

from keshi.calendar.selectors import current_term
from keshi.cover import services
from keshi.cover.models import Cover, TimetableEntry


def _pk(key: str):
    return lambda w: {"pk": w.pk(key)}


FILLERS = {
    **{
        f"cover:{n}": _pk("absence")
        for n in ("absence", "absence_edit", "absence_delete", "cover_create", "homeroom_create")
    },
    "cover:cover_decide": _pk("cover"),
    "cover:cover_cancel": _pk("cover"),
    "cover:timetable_import_preview": lambda w: {"token": "no-such-token-0000"},
}
# A teacher's absence (sick leave…) is theirs: a colleague gets 404.
PRIVATE = {"cover:absence", "cover:absence_edit", "cover:absence_delete"}


def objects(world) -> dict:
    term = current_term(world.school)
    day = max(term.start, dt.date.today())
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    absence = services.record_absence(
        person=world.teacher, kind="sick", title="矩阵病假", span=(day, "am", day, "pm"), by=None
    )
    entry, _ = TimetableEntry.objects.get_or_create(
        org=world.school,
        term=term,
        person=world.teacher,
        weekday=day.isoweekday(),
        period=1,
        defaults={"class_name": "矩阵班", "subject": "语文"},
    )
    cover = Cover.objects.create(
        org=world.school,
        absence=absence,
        kind=Cover.Kind.SWAP,
        entry=entry,
        date=day,
        cover_person=world.other_teacher,
    )
    return {"absence": absence, "cover": cover}
