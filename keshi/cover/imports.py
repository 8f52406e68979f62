"""Timetable import and export against the database: all-or-nothing, errors by sheet row.

The file is the term's whole timetable: rows are matched on (teacher, 星期, 节次); changed rows
are updated, new ones created, and lessons missing from the file removed — except lessons that
already have a live cover, which are kept and listed. A 班主任 sheet, when present, replaces
the term's homeroom list the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction

from keshi.calendar.models import Term
from keshi.cover import timetable
from keshi.cover.models import Cover, HomeroomDuty, TimetableEntry
from keshi.cover.selectors import cover_settings
from keshi.documents.archive import UploadLimits
from keshi.org.models import Org, Person
from keshi.org.roster import RowError


@dataclass
class TimetableReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)  # lessons kept because they have covers
    homerooms: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False


class _Finder:
    def __init__(self, org: Org) -> None:
        people = list(Person.objects.filter(org=org, active=True))
        self.by_no = {p.staff_no: p for p in people if p.staff_no}
        self.by_name: dict[str, list[Person]] = {}
        for p in people:
            self.by_name.setdefault(p.name, []).append(p)

    def find(self, staff_no: str, name: str) -> Person:
        if staff_no:
            person = self.by_no.get(staff_no)
            if person is None:
                raise ValueError(f"本单位没有工号为“{staff_no}”的在职教师")
            if name and name != person.name:
                raise ValueError(f"工号“{staff_no}”是{person.name}，与姓名“{name}”不符")
            return person
        found = self.by_name.get(name, [])
        if not found:
            raise ValueError(f"本单位没有名为“{name}”的在职教师")
        if len(found) > 1:
            raise ValueError(f"本单位有{len(found)}位“{name}”，请填写工号")
        return found[0]


def import_timetable(
    *, org: Org, term: Term, filename: str, data: bytes, dry_run: bool = False, by=None
) -> TimetableReport:
    parsed = timetable.read_timetable(
        filename,
        data,
        max_period=cover_settings(org).max_period,
        limits=UploadLimits.from_settings(settings),
    )
    report = TimetableReport(errors=list(parsed.errors))
    finder = _Finder(org)
    planned: dict[tuple[int, int, int], tuple[timetable.LessonRow, Person]] = {}
    for row in parsed.lessons:
        try:
            person = finder.find(row.staff_no, row.name)
        except ValueError as exc:
            column = parsed.header("staff_no" if row.staff_no else "name")
            report.errors.append(RowError(row.row, column, str(exc)))
            continue
        key = (person.pk, row.weekday, row.period)
        if key in planned:
            first = planned[key][0].row
            report.errors.append(
                RowError(
                    row.row,
                    parsed.header("period"),
                    f"{person.name}在{timetable.slots_label(row.weekday)}第{row.period}节"
                    f"已有课（第{first}行），同一时间不能上两节课",
                )
            )
            continue
        planned[key] = (row, person)
    homerooms = _plan_homerooms(parsed, finder, report)
    report.errors.sort(key=lambda e: (e.row or 0, e.column))
    try:
        with transaction.atomic():
            _apply_lessons(org, term, planned, report)
            if parsed.homeroom_sheet:
                _apply_homerooms(org, term, homerooms, report)
            if report.errors or dry_run:
                transaction.set_rollback(True)
                return report
            report.written = True
    except IntegrityError as exc:
        report.errors = [RowError(None, "", f"写入数据库失败，未导入任何数据：{exc}")]
        report.written = False
    return report


def _plan_homerooms(parsed, finder: _Finder, report: TimetableReport) -> dict[str, Person]:
    result: dict[str, Person] = {}
    rows: dict[str, int] = {}
    for row in parsed.homerooms:
        try:
            person = finder.find(row.staff_no, row.name)
        except ValueError as exc:
            report.errors.append(RowError(row.row, "工号" if row.staff_no else "班主任", str(exc)))
            continue
        if row.class_name in result:
            report.errors.append(
                RowError(
                    row.row, "班级", f"{row.class_name}已有班主任（第{rows[row.class_name]}行）"
                )
            )
            continue
        result[row.class_name], rows[row.class_name] = person, row.row
    return result


def _apply_lessons(org: Org, term: Term, planned: dict, report: TimetableReport) -> None:
    existing = {
        (e.person_id, e.weekday, e.period): e
        for e in TimetableEntry.objects.filter(term=term).select_related("person")
    }
    for key, (row, person) in planned.items():
        values = {"class_name": row.class_name, "subject": row.subject, "room": row.room}
        entry = existing.pop(key, None)
        if entry is None:
            TimetableEntry.objects.create(
                org=org, term=term, person=person, weekday=row.weekday, period=row.period, **values
            )
            report.created += 1
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(entry, k, v)
            entry.save()
            report.updated += 1
        else:
            report.unchanged += 1
    covered = set(
        Cover.objects.filter(entry__in=existing.values(), status__in=Cover.LIVE).values_list(
            "entry_id", flat=True
        )
    )
    for entry in existing.values():
        if entry.pk in covered:
            report.kept.append(f"{entry.person.name} {entry}")
        else:
            entry.delete()
            report.removed += 1


def _apply_homerooms(org: Org, term: Term, planned: dict[str, Person], report) -> None:
    existing = {d.class_name: d for d in HomeroomDuty.objects.filter(term=term)}
    for class_name, person in planned.items():
        duty = existing.pop(class_name, None)
        if duty is None:
            HomeroomDuty.objects.create(org=org, term=term, class_name=class_name, person=person)
        elif duty.person_id != person.pk:
            duty.person = person
            duty.save()
        report.homerooms += 1
    for duty in existing.values():
        if not duty.covers.filter(status__in=Cover.LIVE).exists():
            duty.delete()


def export_timetable(*, org: Org, term: Term) -> bytes:
    lessons = [
        {
            "staff_no": e.person.staff_no,
            "name": e.person.name,
            "weekday": e.weekday,
            "period": e.period,
            "class_name": e.class_name,
            "subject": e.subject,
            "room": e.room,
        }
        for e in TimetableEntry.objects.filter(term=term)
        .select_related("person")
        .order_by("person__name", "person_id", "weekday", "period")
    ]
    homerooms = [
        {"class_name": d.class_name, "staff_no": d.person.staff_no, "name": d.person.name}
        for d in HomeroomDuty.objects.filter(term=term).select_related("person")
    ]
    return timetable.write_xlsx(f"{org.name} {term} 课表", lessons, homerooms)
