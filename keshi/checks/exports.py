"""An inspection's results as .xlsx; a bulletin as .docx (house styles of keshi.documents)."""

from __future__ import annotations

from decimal import Decimal

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from keshi.checks.compose import APPENDIX_HOW, appendix, masthead
from keshi.checks.models import Bulletin, Inspection, InspectionResult
from keshi.checks.selectors import rollup_by_group, rollup_by_teacher
from keshi.documents import xlsx
from keshi.documents.docx import HEI, SIZES, SONG, DocBuilder, chinese_ordinal, set_fonts

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


RED = "E60012"  # 红头: the red of official headers


def bulletin_docx(bulletin: Bulletin) -> bytes:
    """A bulletin laid out as a school bulletin: 红头 (the org and title in large red type, 第N期,
    the editor and date line over a red rule), the pieces, then the appendix of draw
    verifications — the only place their hashes appear."""
    builder = DocBuilder()
    _red_header(builder, bulletin)
    for number, item in enumerate(bulletin.items.all(), start=1):
        builder.heading(f"{chinese_ordinal(number)}、{item.heading}", 1)
        builder.paragraphs(item.body)
        table = item.table or {}
        if table.get("header") and table.get("rows"):
            builder.table(
                table["header"], table["rows"], center_columns=range(1, len(table["header"]))
            )
    lines = appendix(bulletin)
    if lines:
        builder.heading("附录：抽签验证信息", 2)
        for line in lines:
            title, *facts = line.lines
            _small(builder.paragraph(f"{title}：", indent=False, bold=True))
            for fact in facts:
                _small(builder.paragraph(fact))
        _small(builder.paragraph(APPENDIX_HOW, indent=False))
    return builder.to_bytes()


def _red_header(builder, bulletin: Bulletin) -> None:
    red = RGBColor.from_string(RED)
    head = builder.paragraph(masthead(bulletin), indent=False, bold=True, align="center")
    for run in head.runs:
        run.font.size, run.font.color.rgb = Pt(36), red
        set_fonts(run._element, SONG)
    head.paragraph_format.space_after = Pt(6)
    issue = builder.paragraph(f"第{bulletin.number}期", indent=False, align="center")
    for run in issue.runs:
        run.font.size = Pt(SIZES["三号"])
        set_fonts(run._element, HEI)
    d = bulletin.issue_date
    editor = bulletin.editor.strip() or "教科室"
    line = builder.paragraph(
        f"{bulletin.org.name}　编辑：{editor}\t{d.year}年{d.month}月{d.day}日", indent=False
    )
    section = builder.doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    line.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    line.paragraph_format.space_after = Pt(12)
    line.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _bottom_rule(line, RED)


def _bottom_rule(paragraph, color: str) -> None:
    """A red rule under the paragraph (a bottom border, 2¼ pt)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", color)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _small(paragraph) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(SIZES["五号"])
