"""Word and Excel outputs: the four-part notice (四联培训通知), the 教师专业发展培训记录表 and the
office's reimbursement list."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from keshi.dispatch import notice
from keshi.dispatch.models import Dispatch, DispatchTeacher
from keshi.dispatch.selectors import ReimbursementRow
from keshi.documents import xlsx
from keshi.documents.docx import DocBuilder


def _when(d: Dispatch) -> str:
    return (
        f"{d.start_date:%Y年%m月%d日}{d.get_start_half_display()}至"
        f"{d.end_date:%Y年%m月%d日}{d.get_end_half_display()}（共{d.days:g}天）"
    )


def notice_rows(d: Dispatch) -> list[tuple[str, str]]:
    names = "、".join(m.person.name for m in d.members.select_related("person"))
    return [
        ("培训名称", d.title),
        ("主办单位", d.organiser),
        ("级别", d.get_level_display()),
        ("培训地点", d.place + ("（跨省）" if d.cross_province else "")),
        ("培训时间", _when(d)),
        ("派出教师", names),
        ("学时/学分", f"{_num(d.hours)} 学时 / {_num(d.credits)} 学分"),
        ("费用", f"预计 {d.cost_estimate:,.2f} 元，{'可' if d.reimbursable else '不'}报销"),
    ]


def notice_docx(d: Dispatch) -> bytes:
    """One page per 联 (第一联 for each teacher, 第三联 for each 年级组)."""
    doc = DocBuilder()
    rows = notice_rows(d)
    obligations = sorted({o.label for o in d.obligations.all()})
    parts = list(d.notice_parts.select_related("person", "group"))
    for i, part in enumerate(parts):
        if i:
            doc.page_break()
        doc.title(f"{d.org.name}外出培训通知", f"{part.get_part_display()}  编号 {d.serial}")
        doc.paragraph(f"{part.receiver}：", indent=False, bold=True)
        doc.paragraph(f"经学校研究，同意派出下列教师参加培训，请做好{_duty(part.part)}。")
        doc.table(["项目", "内容"], rows, widths_cm=[3.5, 12])
        if obligations:
            doc.paragraph("返校后须完成：" + "；".join(obligations) + "。没汇报不报销。")
        doc.paragraph(
            f"验证码：{notice.code(d, part)}（可在 keshi“核验通知”页面核对）", indent=False
        )
        doc.paragraph(f"{d.org.name}教科室", align="right", indent=False)
    return doc.to_bytes()


def _duty(part: int) -> str:
    return {
        1: "培训准备，返校后按时完成后续任务",
        2: "调课、代课安排",
        3: "年级工作与班主任工作代理安排",
        4: "存档",
    }[part]


def record_docx(member: DispatchTeacher) -> bytes:
    d = member.dispatch
    doc = DocBuilder()
    doc.title("教师专业发展培训记录表", f"{d.org.name}  编号 {d.serial}")
    p = member.person
    rows = [
        ("姓名", p.name),
        ("任教学科", p.subject or "—"),
        ("职称", p.title or "—"),
        *notice_rows(d)[:5],
        ("学时", _num(d.hours)),
        ("学分", _num(d.credits)),
        ("培训类别", "专业科目" if d.professional else "公共科目"),
        ("返校时间", f"{member.returned_at:%Y年%m月%d日}" if member.returned_at else "（未返校）"),
        (
            "教科室确认",
            f"{member.attendance_confirmed_at:%Y年%m月%d日}已确认出勤"
            if member.attendance_confirmed_at
            else "（待确认）",
        ),
    ]
    doc.table(["项目", "内容"], rows, widths_cm=[3.5, 12])
    doc.heading("后续任务", 2)
    obligations = d.obligations.filter(person=p).order_by("due_date", "pk")
    doc.table(
        ["任务", "截止日期", "完成情况"],
        [
            (
                o.label,
                f"{o.due_date:%Y-%m-%d}",
                f"{o.met_at:%Y-%m-%d}完成" if o.met_at else "未完成",
            )
            for o in obligations
        ],
        widths_cm=[7, 3.5, 5],
    )
    doc.paragraph("本表作为培训学分登记凭证。", indent=False)
    doc.paragraph("教师签名：　　　　　　　教科室（盖章）：", indent=False)
    return doc.to_bytes()


def reimbursement_xlsx(rows: list[ReimbursementRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "报销审核"
    header = [
        "编号",
        "培训名称",
        "教师",
        "开始日期",
        "结束日期",
        "预计费用（元）",
        "状态",
        "未完成事项",
    ]
    xlsx.append(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    green = PatternFill("solid", fgColor="D1E7DD")
    red = PatternFill("solid", fgColor="F8D7DA")
    for r in rows:
        d = r.dispatch
        xlsx.append(
            ws,
            [
                d.serial,
                d.title,
                r.person.name,
                d.start_date,
                d.end_date,
                float(d.cost_estimate),
                "可报销" if r.cleared else "暂缓报销",
                "；".join(r.blocked_by),
            ],
        )
        ws.cell(ws.max_row, 7).fill = green if r.cleared else red
        for col in (4, 5):
            ws.cell(ws.max_row, col).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGH", (14, 30, 10, 12, 12, 14, 10, 50), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    return xlsx.to_bytes(wb)


def _num(value: Decimal) -> str:
    """18.0 → 18, 2.5 → 2.5 (a Decimal's ``:g`` keeps the stored places)."""
    return format(value.normalize(), "f")
