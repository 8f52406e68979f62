"""Reading and writing timetables (.xlsx, .csv). Pure: no Django.

One row per lesson: 工号/姓名, 星期, 节次, 班级, 学科, 教室 (optional). A second sheet (or any
sheet) whose header has 班级 and 班主任/工号/姓名 but no 星期 lists homeroom teachers. The
roster import's readers, header matching and row-numbered errors are reused
(``keshi.org.roster``); who the teachers are is checked by ``keshi.cover.services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from keshi.cover import slots
from keshi.documents import xlsx
from keshi.documents.archive import DEFAULT_LIMITS, UploadLimits
from keshi.org.roster import (
    RosterFileError,
    RowError,
    clean_text,
    find_header,
    header_key,
    read_cells,
)

LESSON_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_no": ("工号", "教工号", "职工号", "教师编号", "编号"),
    "name": ("姓名", "教师", "任课教师", "教师姓名"),
    "weekday": ("星期", "周次", "星期几", "上课日"),
    "period": ("节次", "节", "第几节", "课节"),
    "class_name": ("班级", "班别", "上课班级"),
    "subject": ("学科", "科目", "课程"),
    "room": ("教室", "上课地点", "地点"),
}
HOMEROOM_ALIASES: dict[str, tuple[str, ...]] = {
    "class_name": ("班级", "班别"),
    "staff_no": ("工号", "教工号", "职工号", "教师编号", "编号"),
    "name": ("班主任", "姓名", "班主任姓名"),
}
EXPORT_HEADERS = {
    "staff_no": "工号",
    "name": "姓名",
    "weekday": "星期",
    "period": "节次",
    "class_name": "班级",
    "subject": "学科",
    "room": "教室",
}
HOMEROOM_SHEET = "班主任"


def _index(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias: name for name, names in aliases.items() for alias in names}


@dataclass
class LessonRow:
    row: int
    staff_no: str
    name: str
    weekday: int
    period: int
    class_name: str
    subject: str
    room: str = ""


@dataclass
class HomeroomRow:
    row: int
    class_name: str
    staff_no: str
    name: str


@dataclass
class ParsedTimetable:
    lessons: list[LessonRow] = field(default_factory=list)
    homerooms: list[HomeroomRow] = field(default_factory=list)
    homeroom_sheet: bool = False
    errors: list[RowError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        return self.headers.get(name, EXPORT_HEADERS.get(name, name))


def read_timetable(
    filename: str, data: bytes, *, max_period: int, limits: UploadLimits = DEFAULT_LIMITS
) -> ParsedTimetable:
    """Parse every sheet; errors are collected (with sheet row and column), never raised. A
    file the reader refuses (over ``limits``, unreadable) gives that one error and no rows."""
    result = ParsedTimetable()
    lesson_index, homeroom_index = _index(LESSON_ALIASES), _index(HOMEROOM_ALIASES)
    try:
        for _title, rows in read_cells(filename, data, limits=limits):
            rows = list(rows)
            found = find_header(rows, lesson_index, frozenset({"weekday", "period"}))
            if found:
                _read_lessons(found, lesson_index, result, max_period)
                continue
            found = find_header(rows, homeroom_index, frozenset({"class_name"}))
            if found:
                result.homeroom_sheet = True
                _read_homerooms(found, homeroom_index, result)
    except RosterFileError as exc:
        return ParsedTimetable(errors=[RowError(None, "", str(exc))])
    if not result.lessons and not result.homerooms and not result.errors:
        result.errors.append(
            RowError(None, "", "未找到课表表头行（表头须包含“星期”“节次”“班级”等列名）")
        )
    return result


def _columns(cells: list, index: dict[str, str]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for i, cell in enumerate(cells):
        name = index.get(header_key(cell))
        if name and name not in columns.values():
            columns[i] = name
    return columns


def _values(cells: list, columns: dict[int, str]) -> dict[str, Any]:
    return {name: cells[i] for i, name in columns.items() if i < len(cells)}


def _read_lessons(found, index, result: ParsedTimetable, max_period: int) -> None:
    _number, header, body = found
    columns = _columns(header, index)
    for i, name in columns.items():
        result.headers.setdefault(name, clean_text(header[i]))
    missing = [
        EXPORT_HEADERS[n] for n in ("weekday", "period", "class_name") if n not in columns.values()
    ]
    if "staff_no" not in columns.values() and "name" not in columns.values():
        missing.insert(0, "工号或姓名")
    if missing:
        result.errors.append(RowError(None, "", f"课表缺少列：{'、'.join(missing)}"))
        return
    for number, cells in body:
        raw = _values(cells, columns)
        if all(clean_text(v) == "" for v in raw.values()):
            continue
        row = _lesson(number, raw, result, max_period)
        if row is not None:
            result.lessons.append(row)


def _lesson(number: int, raw: dict, result: ParsedTimetable, max_period: int) -> LessonRow | None:
    errors = len(result.errors)

    def fail(name: str, message: str) -> None:
        result.errors.append(RowError(number, result.header(name), message))

    text = {k: clean_text(v) for k, v in raw.items()}
    if not text.get("staff_no") and not text.get("name"):
        fail("name", "缺少教师（工号或姓名）")
    weekday = period = 0
    try:
        weekday = slots.parse_weekday(raw.get("weekday"))
    except ValueError as exc:
        fail("weekday", str(exc))
    try:
        period = slots.parse_period(raw.get("period"), max_period)
    except ValueError as exc:
        fail("period", str(exc))
    if not text.get("class_name"):
        fail("class_name", "缺少班级")
    for name, limit in (("class_name", 50), ("subject", 50), ("room", 50), ("name", 50)):
        if len(text.get(name, "")) > limit:
            fail(name, f"超过 {limit} 个字")
    if len(result.errors) > errors:
        return None
    return LessonRow(
        row=number,
        staff_no=text.get("staff_no", ""),
        name=text.get("name", ""),
        weekday=weekday,
        period=period,
        class_name=text["class_name"],
        subject=text.get("subject", ""),
        room=text.get("room", ""),
    )


def _read_homerooms(found, index, result: ParsedTimetable) -> None:
    _number, header, body = found
    columns = _columns(header, index)
    for number, cells in body:
        text = {k: clean_text(v) for k, v in _values(cells, columns).items()}
        if not any(text.values()):
            continue
        if not text.get("class_name"):
            result.errors.append(RowError(number, "班级", "缺少班级"))
        elif not text.get("staff_no") and not text.get("name"):
            result.errors.append(RowError(number, "班主任", "缺少班主任（工号或姓名）"))
        else:
            result.homerooms.append(
                HomeroomRow(
                    number, text["class_name"], text.get("staff_no", ""), text.get("name", "")
                )
            )


def write_xlsx(
    title: str, lessons: Iterable[dict[str, Any]], homerooms: Iterable[dict[str, Any]]
) -> bytes:
    """A workbook that :func:`read_timetable` reads back: lessons, then a 班主任 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "课表"
    xlsx.append(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    _table(sheet, list(EXPORT_HEADERS.values()))
    for row in lessons:
        values = [row.get(k, "") for k in EXPORT_HEADERS]
        values[2] = slots_label(row["weekday"])
        xlsx.append(sheet, values)
    sheet.freeze_panes = "A3"
    homeroom = workbook.create_sheet(HOMEROOM_SHEET)
    _table(homeroom, ["班级", "工号", "班主任"])
    for row in homerooms:
        xlsx.append(homeroom, [row["class_name"], row["staff_no"], row["name"]])
    for ws in (sheet, homeroom):
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.column == 2 and ws is homeroom or cell.column == 1 and ws is sheet:
                    cell.number_format = "@"
    return xlsx.to_bytes(workbook)


def _table(sheet, headers: list[str]) -> None:
    xlsx.append(sheet, headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")


def slots_label(weekday: int) -> str:
    return "周" + "一二三四五六日"[weekday - 1]
