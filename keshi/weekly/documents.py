"""The 每周工作安排 as a Word document (landscape A4, one table by day)."""

from __future__ import annotations

from keshi.documents.docx import DocBuilder
from keshi.weekly.sheet import Sheet

WIDTHS_CM = (3.2, 2.6, 2.2, 9.5, 6.8)


def line_rows(sheet: Sheet) -> list[list[str]]:
    """日期 | 类别 | 时间 | 安排 | 说明, the week's own items first, then day by day."""
    rows = []
    for line in sheet.band:
        rows.append(["本周", line.kind_label, line.when, line.text, "；".join(line.details)])
    for day in sheet.days:
        label = f"{day.date.month}月{day.date.day}日\n{day.weekday}"
        if day.remark:
            label += f"\n{day.remark}"
        for line in day.lines:
            rows.append([label, line.kind_label, line.when, line.text, "；".join(line.details)])
        if day.note:
            rows.append([label, "备注", "", day.note, ""])
        if not day.lines and not day.note:
            rows.append([label, "", "", "休息" if not day.is_workday else "", ""])
    return rows


def sheet_docx(sheet: Sheet) -> bytes:
    doc = DocBuilder(landscape=True)
    doc.title(sheet.title, f"{sheet.term_label} · {sheet.span}")
    doc.table(
        ["日期", "类别", "时间", "安排", "说明"],
        line_rows(sheet),
        widths_cm=WIDTHS_CM,
        merge_first_column=True,
        center_columns=(0, 1, 2),
    )
    return doc.to_bytes()
