"""An inspection's results as .xlsx; a bulletin as .docx (house styles of keshi.documents)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from keshi.checks.models import Bulletin, Inspection, InspectionResult
from keshi.checks.selectors import rollup_by_group, rollup_by_teacher
from keshi.documents import xlsx

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _sheet_header(sheet, title: str, header: list[str]) -> None:
    xlsx.append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(header), 1))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    xlsx.append(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = "A3"


def _widths(sheet, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = w


def inspection_xlsx(inspection: Inspection, results: list[InspectionResult]) -> bytes:
    criteria = inspection.criteria_list()
    by_groups = inspection.target == Inspection.Target.GROUPS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "评分结果"
    header = ["组" if by_groups else "教师"]
    header += [f"{c.name}（{c.max.normalize():f}）" for c in criteria]
    header += ["总分", "得分率%", "等级", "检查意见"]
    _sheet_header(sheet, f"{inspection.title}（{inspection.get_kind_display()}）评分结果", header)
    for r in results:
        row = [r.subject_name]
        row += [_num(r.scores.get(c.key)) for c in criteria]
        row += [float(r.total), float(r.percent), r.level, r.findings]
        xlsx.append(sheet, row)
    _widths(sheet, [12] + [10] * len(criteria) + [8, 9, 6, 40])
    for title, rollup in (("按组汇总", rollup_by_group), ("按教师汇总", rollup_by_teacher)):
        rows = rollup(results)
        if not rows:
            continue
        ws = workbook.create_sheet(title)
        _sheet_header(
            ws,
            f"{inspection.title} · {title}",
            ["名称", "人数/次数", "平均总分", "平均得分率%", "等级分布"],
        )
        for x in rows:
            xlsx.append(
                ws,
                [
                    x.name,
                    x.count,
                    _num(x.mean_total),
                    _num(x.mean_percent),
                    "，".join(f"{k}{v}" for k, v in x.levels.items()),
                ],
            )
        _widths(ws, [16, 10, 10, 12, 24])
    rect = list(inspection.rectifications.select_related("responsible"))
    if rect:
        ws = workbook.create_sheet("整改")
        _sheet_header(
            ws,
            f"{inspection.title} · 整改事项",
            ["整改要求", "责任人", "期限", "完成日期", "整改情况"],
        )
        for x in rect:
            xlsx.append(ws, [x.text, x.responsible.name, x.due, x.closed_on, x.closure_note])
            for cell in ws[ws.max_row][2:4]:
                cell.number_format = "yyyy-mm-dd"
        _widths(ws, [40, 10, 12, 12, 40])
    return xlsx.to_bytes(workbook)


def _num(value) -> float | None:
    if value in (None, ""):
        return None
    return float(Decimal(str(value)))


def bulletin_docx(bulletin: Bulletin) -> bytes:
    from keshi.documents.docx import DocBuilder, chinese_ordinal

    builder = DocBuilder()
    d = bulletin.issue_date
    builder.title(
        bulletin.title,
        subtitle=f"第{bulletin.number}期　{bulletin.org.name}　{d.year}年{d.month}月{d.day}日",
    )
    for number, item in enumerate(bulletin.items.all(), start=1):
        builder.heading(f"{chinese_ordinal(number)}、{item.heading}", 1)
        builder.paragraphs(item.body)
        table = item.table or {}
        if table.get("header") and table.get("rows"):
            builder.table(
                table["header"], table["rows"], center_columns=range(1, len(table["header"]))
            )
    if bulletin.editor:
        builder.paragraph(f"（编辑：{bulletin.editor}）", indent=False, align="right")
    return builder.to_bytes()
