"""The .xlsx of a filtered record list: one row per record, Chinese headers, opens in Excel.

The columns are the ones the import reads (工号, 姓名, 类型, 日期, 数量, 学分, 标题, 被听课教师,
字数, 正文), so an export edited in Excel can be imported into another org, plus the kinds' own
fields by their labels and the review columns.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from keshi.documents import xlsx
from keshi.records.models import Activity

BASE = [
    ("staff_no", "工号", 10),
    ("name", "姓名", 10),
    ("kind", "类型", 14),
    ("date", "日期", 12),
    ("quantity", "数量", 7),
    ("unit", "单位", 6),
    ("credits", "学分", 7),
    ("title", "标题", 28),
    ("observed", "被听课教师", 12),
    ("chars", "字数", 8),
]
TAIL = [
    ("status", "状态", 8),
    ("complete", "材料齐全", 9),
    ("review_comment", "审核意见", 24),
    ("created_by", "登记人", 10),
    ("created_at", "登记时间", 17),
    ("text", "正文", 60),
]
MAX_CELL = 32000  # Excel refuses cells over 32767 characters


def activities_xlsx(title: str, activities: Iterable[Activity]) -> bytes:
    activities = list(activities)
    labels: dict[str, str] = {}  # kind field label → first name seen, in order
    for a in activities:
        for spec in a.kind.fields:
            labels.setdefault(spec.get("label") or spec["name"], spec["name"])
    columns = BASE + [(f"data:{label}", label, 14) for label in labels] + TAIL
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "工作记录"
    xlsx.append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    xlsx.append(sheet, [header for _, header, _ in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for a in activities:
        by_label = {(s.get("label") or s["name"]): s["name"] for s in a.kind.fields}
        xlsx.append(sheet, [_value(a, key, by_label) for key, _, _ in columns])
    for index, (key, _, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
            if key == "date":
                cell.number_format = "yyyy-mm-dd"
            elif key == "created_at":
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif key == "staff_no":
                cell.number_format = "@"
    sheet.freeze_panes = "C3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{max(sheet.max_row, 2)}"
    return xlsx.to_bytes(workbook)


def _value(a: Activity, key: str, by_label: dict[str, str]):
    if key.startswith("data:"):
        name = by_label.get(key[5:])
        value = a.data.get(name) if name else None
        return None if value in (None, "") else str(value)
    match key:
        case "staff_no":
            return a.person.staff_no or None
        case "name":
            return a.person.name
        case "kind":
            return a.kind.label
        case "unit":
            return a.kind.unit
        case "quantity" | "credits":
            value = getattr(a, key)
            return int(value) if value == value.to_integral_value() else float(value)
        case "observed":
            return a.observed.name if a.observed else None
        case "status":
            return a.get_status_display()
        case "complete":
            return "是" if a.complete else "否"
        case "created_by":
            user = a.created_by
            return (user.get_full_name() or user.username) if user else None
        case "created_at":
            return timezone.localtime(a.created_at).replace(tzinfo=None) if a.created_at else None
        case "text":
            return a.text[:MAX_CELL] or None
    value = getattr(a, key)
    return value if value not in ("", None) else None


COVERAGE = [
    ("工号", 10),
    ("姓名", 10),
    ("学科", 10),
    ("被听课次数", 11),
    ("有反馈", 9),
    ("已阅", 8),
    ("量表评分次数", 13),
    ("量表平均得分率（%）", 18),
]


def coverage_xlsx(title: str, people) -> bytes:
    """听课反馈统计: one row per teacher (the annotated rows of feedback_selectors.coverage)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "听课反馈统计"
    xlsx.append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COVERAGE))
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx.append(sheet, [header for header, _ in COVERAGE])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for p in people:
        average = float(p.percent_avg) if p.percent_avg is not None else None
        xlsx.append(
            sheet,
            [
                p.staff_no or None,
                p.name,
                p.subject or None,
                p.n_observed,
                p.n_feedback,
                p.n_acknowledged,
                p.n_scored,
                round(average, 2) if average is not None else None,
            ],
        )
    for index, (_header, width) in enumerate(COVERAGE, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(COVERAGE))}{max(sheet.max_row, 2)}"
    return xlsx.to_bytes(workbook)
