"""The 质量分析报告 (.docx, charts as images) and the analysis tables (.xlsx), built from an
:class:`keshi.exams.analysis.Analysis`. No queries here: callers pass what they read."""

from __future__ import annotations

import math

import pandas as pd
from openpyxl import Workbook

from keshi.documents import charts, xlsx
from keshi.documents.docx import DocBuilder, chinese_ordinal
from keshi.exams.analysis import GRADE, Analysis

HEADER = [
    "班级",
    "应考",
    "参考",
    "缺考",
    "平均分",
    "最高分",
    "最低分",
    "标准差",
    "及格率",
    "优秀率",
    "低分率",
    "名次",
    "与年级均分差",
]
PROGRESS_HEADER = ["名次变化", "均分差变化"]
TEACHER_HEADER = [
    "任课教师",
    "学科",
    "任教班级",
    "参考",
    "平均分",
    "及格率",
    "优秀率",
    "与年级均分差",
]


def num(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}"


def pct(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:.1f}%"


def signed(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:+.{digits}f}"


def class_rows(table: pd.DataFrame, subject: str) -> list[list[str]]:
    has_progress = "rank_change" in table
    rows = []
    for r in table[table["subject"] == subject].itertuples(index=False):
        row = [
            r[1],
            str(r.enrolled),
            str(r.sat),
            str(r.absent + r.cheated),
            num(r.mean),
            num(r.max),
            num(r.min),
            num(r.std, 2),
            pct(r.pass_rate),
            pct(r.excellent_rate),
            pct(r.low_rate),
            "—" if r[1] == GRADE else num(r.rank, 0),
            "—" if r[1] == GRADE else signed(r.diff),
        ]
        if has_progress:
            row += ["—" if r[1] == GRADE else signed(r.rank_change, 0), signed(r.diff_change)]
        rows.append(row)
    return rows


def teacher_rows(table: pd.DataFrame) -> list[list[str]]:
    return [
        [
            r.teacher,
            r.subject,
            r.classes,
            str(r.sat),
            num(r.mean),
            pct(r.pass_rate),
            pct(r.excellent_rate),
            signed(r.diff),
        ]
        for r in table.itertuples(index=False)
    ]


def report_docx(*, exam, result: Analysis, previous_name: str = "") -> bytes:
    doc = DocBuilder(landscape=True)
    doc.title(
        f"{exam.name}质量分析报告",
        f"{exam.org.name} · {exam.grade} · {exam.start_date:%Y年%m月%d日}",
    )
    doc.heading(f"{chinese_ordinal(1)}、年级概况")
    grade = result.classes[result.classes["class"] == GRADE]
    doc.table(
        ["学科", "参考人数", "平均分", "最高分", "最低分", "标准差", "及格率", "优秀率", "低分率"],
        [
            [
                r.subject,
                str(r.sat),
                num(r.mean),
                num(r.max),
                num(r.min),
                num(r.std, 2),
                pct(r.pass_rate),
                pct(r.excellent_rate),
                pct(r.low_rate),
            ]
            for r in grade.itertuples(index=False)
        ],
        center_columns=range(1, 9),
    )
    if previous_name:
        doc.paragraph(f"进退步与上一次同年级考试“{previous_name}”比较：名次变化为正表示进步。")
    for index, subject in enumerate(result.subjects, start=2):
        doc.heading(f"{chinese_ordinal(index)}、{subject}")
        header = HEADER + (PROGRESS_HEADER if "rank_change" in result.classes else [])
        doc.table(header, class_rows(result.classes, subject), center_columns=range(1, len(header)))
        per_class = result.classes[
            (result.classes["subject"] == subject) & (result.classes["class"] != GRADE)
        ]
        doc.picture(
            charts.bar_chart(
                list(per_class["class"]),
                [round(v, 1) for v in per_class["mean"].fillna(0)],
                title=f"{subject} 各班平均分",
                ylabel="平均分",
            ),
            width_cm=16,
        )
    if not result.teachers.empty:
        doc.heading(f"{chinese_ordinal(len(result.subjects) + 2)}、任课教师")
        doc.table(TEACHER_HEADER, teacher_rows(result.teachers), center_columns=range(3, 8))
    if exam.office_notes.strip():
        doc.heading(f"{chinese_ordinal(len(result.subjects) + 3)}、分析与建议")
        doc.paragraphs(exam.office_notes)
    return doc.to_bytes()


def tables_xlsx(*, exam, result: Analysis) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "各班统计"
    progress = "rank_change" in result.classes
    xlsx.append(sheet, ["学科", *HEADER, *(PROGRESS_HEADER if progress else [])])
    for subject in result.subjects:
        for row in class_rows(result.classes, subject):
            xlsx.append(sheet, [subject, *row])
    bands = book.create_sheet("分数段")
    xlsx.append(bands, ["学科", "班级", "分数段", "人数"])
    if not result.bands.empty:
        for r in result.bands.itertuples(index=False):
            xlsx.append(
                bands, [r.subject, r[1], f"{num(r.lower, 0)}–{num(r.upper, 0)}", int(r.count)]
            )
    teachers = book.create_sheet("任课教师")
    xlsx.append(teachers, TEACHER_HEADER)
    for row in teacher_rows(result.teachers):
        xlsx.append(teachers, row)
    return xlsx.to_bytes(book)
