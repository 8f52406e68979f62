"""Files: the annual table as .xlsx, the personal archive as .docx (and PDF via LibreOffice),
a group's archives as a .zip."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from keshi.appraisal.models import Source
from keshi.appraisal.selectors import Archive, TableRow
from keshi.documents import xlsx
from keshi.documents.docx import DocBuilder

KIND_LABELS = {"paper": "论文/案例", "open_class": "公开课/示范课", "training": "培训"}


def table_xlsx(rows: list[TableRow], *, title: str, first: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "考核汇总"
    xlsx.append(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    header = ["序号", first, "合计", "条数"] + [str(label) for _, label in Source.choices]
    xlsx.append(ws, header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for i, r in enumerate(rows, start=1):
        xlsx.append(
            ws,
            [i, r.name, float(r.total), r.count]
            + [float(r.by_source.get(code, 0)) for code, _ in Source.choices],
        )
    ws.column_dimensions["B"].width = 16
    ws.freeze_panes = "A3"
    return xlsx.to_bytes(wb)


def _num(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def archive_docx(archive: Archive) -> bytes:
    """The archive across all years; an empty part says plainly what there is none of (words
    that stay true, not a "for now" that reads as content still to come)."""
    p = archive.person
    b = DocBuilder()
    b.title(f"{p.name} 个人业务档案", f"{p.org.name}")
    b.heading("一、基本信息")
    b.table(
        ["项目", "内容"],
        [
            ["姓名", p.name],
            ["任教学科", p.subject or "—"],
            ["职称", p.title or "—"],
            ["教龄", f"{p.teaching_years()} 年" if p.teaching_years() is not None else "—"],
        ],
        widths_cm=[4, 11],
    )
    b.heading("二、业务记录汇总")
    if archive.kinds:
        b.table(
            ["类型", "条数", "数量", "学分"],
            [
                [
                    k["kind__label"],
                    k["count"],
                    f"{_num(k['quantity'])} {k['kind__unit']}",
                    _num(k["credits"]),
                ]
                for k in archive.kinds
            ],
            center_columns=(1, 2, 3),
        )
    else:
        b.paragraph("没有登记业务记录。")
    for code, label in KIND_LABELS.items():
        items = archive.details.get(code) or []
        if not items:
            continue
        b.heading(label, 2)
        b.table(
            ["日期", "标题", "级别/获奖", "数量", "学分"],
            [
                [
                    a.date.isoformat(),
                    a.title or "—",
                    " ".join(
                        str(a.data.get(f, "")) for f in ("level", "award", "type") if a.data.get(f)
                    )
                    or "—",
                    _num(a.quantity),
                    _num(a.credits),
                ]
                for a in items
            ],
            widths_cm=[2.6, 6, 3.4, 1.5, 1.5],
        )
    b.heading("三、课题研究")
    if archive.projects:
        b.table(
            ["课题名称", "级别", "角色", "状态"],
            [
                [
                    x["project"].title,
                    x["project"].get_level_display(),
                    x["role"],
                    x["project"].get_status_display(),
                ]
                for x in archive.projects
            ],
        )
    else:
        b.paragraph("没有主持或参与的课题。")
    b.heading("四、检查结果")
    if archive.inspections:
        b.table(
            ["检查", "得分", "得分率", "等级"],
            [
                [r.inspection.title, _num(r.total), f"{_num(r.percent)}%", r.level or "—"]
                for r in archive.inspections
            ],
        )
    else:
        b.paragraph("没有检查评分结果。")
    b.heading("五、获奖与考核加分")
    if archive.contest_awards:
        b.heading("评比获奖", 2)
        b.table(
            ["评比", "作品", "奖项", "加分"],
            [
                [
                    x["contest"].title,
                    x["entry"].title,
                    x["award"] + ("" if x["final"] else "（公示中）"),
                    ("+" + _num(x["points"].points)) if x["points"] else "—",
                ]
                for x in archive.contest_awards
            ],
            widths_cm=[5, 5, 2.6, 2.4],
        )
    if archive.points:
        b.table(
            ["日期", "分值", "来源", "事由"],
            [
                [
                    e.date.isoformat(),
                    ("+" if e.points > 0 else "") + _num(e.points),
                    e.get_source_display(),
                    e.reason,
                ]
                for e in archive.points
            ],
            widths_cm=[2.6, 1.8, 2.6, 8],
        )
        b.paragraph(f"累计考核分：{_num(archive.points_total)}", indent=False, bold=True)
    else:
        b.paragraph("没有考核加分记录。")
    return b.to_bytes()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, timeout: int = 120) -> bytes | None:
    """None when LibreOffice is not installed."""
    exe = soffice()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "archive.docx"
        src.write_bytes(docx)
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return (Path(tmp) / "archive.pdf").read_bytes()


def zip_files(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            z.writestr(name, data)
    return buffer.getvalue()
