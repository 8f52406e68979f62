"""The compliance matrix as .xlsx: one sheet of people × requirements with coloured cells, and
one sheet of per-requirement counts."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from keshi.documents import xlsx
from keshi.rules.selectors import SUMMARY_STATUSES, Matrix, num, period_label, unit
from keshi.rules.status import LABELS, Status

# Excel's own "good / neutral / bad" palette, plus blue and orange, so a printout reads alike.
FILLS = {
    Status.MET: "C6EFCE",
    Status.ON_TRACK: "DDEBF7",
    Status.BEHIND: "FCE4D6",
    Status.MISSED: "FFC7CE",
    Status.NOT_DUE: "EDEDED",
    Status.EXEMPT: "EDEDED",
}
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="D9E1F2")


def _fill(status: Status) -> PatternFill:
    return PatternFill("solid", fgColor=FILLS[status])


def matrix_xlsx(matrix: Matrix) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "达标情况"
    reqs = matrix.requirements
    width = 3 + len(reqs)
    xlsx.append(ws, [f"{matrix.org.name} {matrix.term} 达标情况（统计日 {matrix.at:%Y-%m-%d}）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    ws["A1"].font = Font(bold=True, size=14)
    legend = "；".join(f"{LABELS[s]}" for s in Status)
    xlsx.append(ws, [f"单元格为“完成数/目标数”，颜色表示状态：{legend}"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 1))
    headers = ["工号", "姓名", "教研组"] + [
        f"{r.name}（{r.get_period_display()}{num(r.threshold)}{unit(r)}）" for r in reqs
    ]
    xlsx.append(ws, headers)
    for col in range(1, width + 1):
        cell = ws.cell(row=3, column=col)
        cell.font = Font(bold=True)
        cell.fill = _HEAD
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in matrix.rows:
        values = [row.person.staff_no, row.person.name, "、".join(row.groups)]
        values += [f"{c.text} {c.label}" if c else "—" for c in row.cells]
        xlsx.append(ws, values)
        r = ws.max_row
        for col in range(1, width + 1):
            ws.cell(row=r, column=col).border = _BORDER
        for i, shown in enumerate(row.cells):
            if shown:
                cell = ws.cell(row=r, column=4 + i)
                cell.fill = _fill(shown.status)
                cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = "D4"
    for col, w in ((1, 10), (2, 10), (3, 14)):
        ws.column_dimensions[get_column_letter(col)].width = w
    for i in range(len(reqs)):
        ws.column_dimensions[get_column_letter(4 + i)].width = 18
    ws.row_dimensions[3].height = 45
    _summary_sheet(wb, matrix)
    return xlsx.to_bytes(wb)


def _summary_sheet(wb: Workbook, matrix: Matrix) -> None:
    ws = wb.create_sheet("汇总")
    xlsx.append(
        ws, ["量化要求", "周期", "本期"] + [LABELS[s] for s in SUMMARY_STATUSES] + ["达标率"]
    )
    for col in range(1, ws.max_column + 1):
        ws.cell(row=1, column=col).font = Font(bold=True)
        ws.cell(row=1, column=col).fill = _HEAD
    for i, (r, counts) in enumerate(matrix.summary):
        current = next((row.cells[i].cell for row in matrix.rows if row.cells[i]), None)
        label = period_label(r.period, current.period, matrix.term) if current else ""
        assessed = sum(counts[s] for s in SUMMARY_STATUSES)
        good = counts[Status.MET] + counts[Status.ON_TRACK]
        share = good / assessed if assessed else None
        xlsx.append(
            ws,
            [r.name, r.get_period_display(), label]
            + [counts[s] for s in SUMMARY_STATUSES]
            + [share],
        )
        ws.cell(row=ws.max_row, column=4 + len(SUMMARY_STATUSES)).number_format = "0.0%"
        for j, s in enumerate(SUMMARY_STATUSES):
            ws.cell(row=ws.max_row, column=4 + j).fill = _fill(s)
    ws.column_dimensions["A"].width = 30
    for col in "BCDEFGH":
        ws.column_dimensions[col].width = 11
