"""The cover counts sheet (代课节数 / 调课节数) as .xlsx."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from keshi.documents import xlsx

HEADERS = ["序号", "工号", "姓名", "代课节数", "调课节数", "合计节数", "班主任代理次数"]


def counts_xlsx(org, term, rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "调代课统计"
    xlsx.append(sheet, [f"{org.name} {term or ''} 调代课节数统计"])
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx.append(sheet, HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for i, r in enumerate(rows, start=1):
        xlsx.append(
            sheet,
            [i, r["staff_no"], r["name"], r["substitute"], r["swap"], r["total"], r["homeroom"]],
        )
        sheet.cell(sheet.max_row, 2).number_format = "@"
    if rows:
        xlsx.append(
            sheet,
            [
                "合计",
                None,
                None,
                sum(r["substitute"] for r in rows),
                sum(r["swap"] for r in rows),
                sum(r["total"] for r in rows),
                sum(r["homeroom"] for r in rows),
            ],
        )
    for letter, width in zip("ABCDEFG", (6, 10, 10, 10, 10, 10, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    return xlsx.to_bytes(workbook)
