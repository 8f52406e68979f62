"""师徒结对: create, edit, end, import and export pairs. Office staff of the pair's org only.

A pair is a mentor and a mentee of one org, with an optional 学科 and dates (open at either end).
The rules' 徒弟听师傅 / 师傅听徒弟 audiences read pairs directly, and the compliance cache renews
both people when a pair changes (keshi.rules.signals), so a new pair counts at once.

The import reads the sheet with the roster's reader (same upload limits, same header search and
date parsing) and is all-or-nothing: every bad row is named by its spreadsheet row number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from keshi.documents import xlsx
from keshi.documents.archive import UploadLimits
from keshi.org.models import Mentorship, Org, Person
from keshi.org.roster import (
    RosterFileError,
    RowError,
    clean_text,
    find_header,
    header_key,
    parse_date,
    read_cells,
)
from keshi.org.scoping import can_manage_org

HEADERS = {
    "mentor_no": "师傅工号",
    "mentor_name": "师傅姓名",
    "mentee_no": "徒弟工号",
    "mentee_name": "徒弟姓名",
    "subject": "学科",
    "start": "起始日期",
    "end": "结束日期",
}
_ALIASES = {
    "mentor_no": ("师傅工号", "导师工号", "师父工号"),
    "mentor_name": ("师傅姓名", "师傅", "导师", "师父", "导师姓名"),
    "mentee_no": ("徒弟工号", "学员工号"),
    "mentee_name": ("徒弟姓名", "徒弟", "学员", "学员姓名"),
    "subject": ("学科", "任教学科", "结对学科"),
    "start": ("起始日期", "开始日期", "结对日期", "起始时间", "开始时间"),
    "end": ("结束日期", "截止日期", "结束时间"),
}
_INDEX = {header_key(a): name for name, aliases in _ALIASES.items() for a in aliases}
NEEDED = frozenset({"mentor_no", "mentee_no"})


@dataclass(frozen=True)
class PairRow:
    row: int | None  # the spreadsheet row; None for a pair typed on the page
    mentor: Person
    mentee: Person
    subject: str = ""
    start: date | None = None
    end: date | None = None


class PairImportError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _require_manage(user, org: Org) -> None:
    if not can_manage_org(user, org):
        raise PermissionDenied


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Date ranges with open ends (None) share at least one day."""
    return (a_start is None or b_end is None or a_start <= b_end) and (
        b_start is None or a_end is None or b_start <= a_end
    )


def _problems(pair: PairRow, existing: QuerySet[Mentorship]) -> list[str]:
    problems = []
    if pair.mentor.pk == pair.mentee.pk:
        problems.append(_("师傅和徒弟不能是同一人"))
    if pair.start and pair.end and pair.end < pair.start:
        problems.append(_("结束日期早于起始日期"))
    for other in existing.filter(mentor=pair.mentor, mentee=pair.mentee):
        if _overlaps(pair.start, pair.end, other.start, other.end):
            problems.append(
                _("与已有的结对（%(span)s）时间重叠") % {"span": span(other.start, other.end)}
            )
            break
    return problems


def span(start: date | None, end: date | None) -> str:
    first = f"{start:%Y-%m-%d}" if start else _("不限")
    last = f"{end:%Y-%m-%d}" if end else _("至今")
    return f"{first} 至 {last}"


@transaction.atomic
def save_pair(
    *,
    user,
    org: Org,
    mentor: Person,
    mentee: Person,
    subject: str = "",
    start: date | None = None,
    end: date | None = None,
    pair: Mentorship | None = None,
) -> Mentorship:
    """Create a pair, or change ``pair``. ``ValidationError`` (Chinese) when it is not valid."""
    _require_manage(user, org)
    if pair is not None and pair.org_id != org.pk:
        raise PermissionDenied
    if mentor.org_id != org.pk or mentee.org_id != org.pk:
        raise ValidationError(_("师傅和徒弟必须是本单位的人员"))
    row = PairRow(None, mentor, mentee, subject.strip(), start, end)
    others = Mentorship.objects.filter(org=org)
    if pair is not None:
        others = others.exclude(pk=pair.pk)
    if problems := _problems(row, others):
        raise ValidationError(problems)
    pair = pair or Mentorship(org=org)
    pair.mentor, pair.mentee, pair.subject = mentor, mentee, row.subject
    pair.start, pair.end = start, end
    pair.full_clean()
    pair.save()
    return pair


@transaction.atomic
def end_pair(*, user, pair: Mentorship, on: date) -> Mentorship:
    """The pair stops counting after ``on``; its history and the records stay."""
    _require_manage(user, pair.org)
    if pair.start and on < pair.start:
        raise ValidationError(_("结束日期不能早于起始日期 %(start)s") % {"start": pair.start})
    pair.end = on
    pair.save(update_fields=["end"])
    return pair


def read_pairs(org: Org, filename: str, data: bytes) -> list[PairRow]:
    """The pairs of a sheet, or :class:`PairImportError` with every bad row."""
    limits = UploadLimits.from_settings(settings)
    try:
        found = None
        for _title, rows in read_cells(filename, data, limits=limits):
            if found := find_header(rows, _INDEX, NEEDED):
                break
    except RosterFileError as exc:
        raise PairImportError([RowError(None, "", str(exc))]) from None
    if not found:
        raise PairImportError(
            [RowError(None, "", _("未找到表头行（须有“师傅工号”和“徒弟工号”两列）"))]
        )
    _header_row, header, body = found
    columns = {i: _INDEX[header_key(c)] for i, c in enumerate(header) if header_key(c) in _INDEX}
    missing = NEEDED - set(columns.values())
    if missing:
        names = "、".join(HEADERS[m] for m in sorted(missing))
        raise PairImportError([RowError(None, "", _("缺少列：%(names)s") % {"names": names})])
    people = {p.staff_no: p for p in Person.objects.filter(org=org).exclude(staff_no="")}
    pairs, errors = [], []
    for number, cells in body:
        raw = {name: cells[i] for i, name in columns.items() if i < len(cells)}
        if all(clean_text(v) == "" for v in raw.values()):
            continue
        pair = _parse_row(number, raw, people, errors)
        if pair is not None:
            pairs.append(pair)
    _check(pairs, Mentorship.objects.filter(org=org), errors)
    if errors:
        raise PairImportError(sorted(errors, key=lambda e: (e.row or 0, e.column)))
    return pairs


def _parse_row(number: int, raw: dict[str, Any], people: dict, errors: list) -> PairRow | None:
    found: dict[str, Any] = {}
    for role in ("mentor", "mentee"):
        staff_no = clean_text(raw.get(f"{role}_no"))
        column = HEADERS[f"{role}_no"]
        person = people.get(staff_no)
        if not staff_no:
            errors.append(RowError(number, column, _("工号为空")))
        elif person is None:
            errors.append(RowError(number, column, _("本单位没有工号“%(no)s”") % {"no": staff_no}))
        else:
            name = clean_text(raw.get(f"{role}_name"))
            if name and name != person.name:
                errors.append(
                    RowError(
                        number,
                        HEADERS[f"{role}_name"],
                        _("工号 %(no)s 是 %(name)s，不是“%(given)s”")
                        % {"no": staff_no, "name": person.name, "given": name},
                    )
                )
            found[role] = person
    for key in ("start", "end"):
        if clean_text(raw.get(key)):
            try:
                found[key] = parse_date(raw[key])
            except ValueError as exc:
                errors.append(RowError(number, HEADERS[key], str(exc)))
    if "mentor" not in found or "mentee" not in found:
        return None
    return PairRow(
        number,
        found["mentor"],
        found["mentee"],
        clean_text(raw.get("subject"))[:50],
        found.get("start"),
        found.get("end"),
    )


def _check(pairs: list[PairRow], existing: QuerySet[Mentorship], errors: list[RowError]) -> None:
    for i, pair in enumerate(pairs):
        for problem in _problems(pair, existing):
            errors.append(RowError(pair.row, "", problem))
        for earlier in pairs[:i]:
            same = (earlier.mentor.pk, earlier.mentee.pk) == (pair.mentor.pk, pair.mentee.pk)
            if same and _overlaps(pair.start, pair.end, earlier.start, earlier.end):
                errors.append(
                    RowError(pair.row, "", _("与第%(row)d行的结对时间重叠") % {"row": earlier.row})
                )
                break


@transaction.atomic
def import_pairs(*, user, org: Org, filename: str, data: bytes) -> list[Mentorship]:
    """All pairs of the sheet, or none (:class:`PairImportError`)."""
    _require_manage(user, org)
    pairs = read_pairs(org, filename, data)
    return [
        Mentorship.objects.create(
            org=org, mentor=p.mentor, mentee=p.mentee, subject=p.subject, start=p.start, end=p.end
        )
        for p in pairs
    ]


def export_pairs(pairs: QuerySet[Mentorship]) -> bytes:
    """The pairs in the import's own columns: the file can be edited and imported elsewhere."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "师徒结对"
    xlsx.append(sheet, list(HEADERS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for p in pairs.select_related("mentor", "mentee"):
        xlsx.append(
            sheet,
            [p.mentor.staff_no, p.mentor.name, p.mentee.staff_no, p.mentee.name, p.subject,
             p.start, p.end],
        )  # fmt: skip
        for cell in sheet[sheet.max_row][5:7]:
            cell.number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFG", (10, 10, 10, 10, 10, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    return xlsx.to_bytes(workbook)
