"""An exam of 初一 in school ``demo`` with 语文 (150) and 数学 (100), two classes and their
任课教师 (张老师 teaches 语文 in both), and score workbooks built with openpyxl."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook

from keshi.cover.tests.factories import make_term
from keshi.exams import services
from keshi.exams.models import SchoolClass
from keshi.org.models import Person

CLASSES = ("初一(1)班", "初一(2)班")


def person(user) -> Person:
    return Person.objects.get(user=user)


def exam(cast, *, start=date(2025, 11, 10), name="初一期中考试", kind="midterm", classes=True):
    term = make_term(cast.school)
    e = services.create_exam(
        org=cast.school,
        term=term,
        name=name,
        kind=kind,
        grade="初一",
        start_date=start,
        end_date=start,
        subjects=[("语文", Decimal(150)), ("数学", Decimal(100))],
    )
    if classes:
        made = services.add_classes(org=cast.school, term=term, grade="初一", names=list(CLASSES))
        for c in made:
            services.set_teachers(
                school_class=c,
                teachers={"语文": person(cast.teacher), "数学": person(cast.other_teacher)},
            )
    return e


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["学号", "姓名", "语文", "数学", "总分"]


def per_class_sheets() -> bytes:
    """One sheet per class; a 缺考 and a 作弊 mark."""
    return workbook(
        {
            CLASSES[0]: [
                ["初一(1)班期中成绩"],
                HEADER,
                ["1001", "甲", 120, 90, 210],
                ["1002", "乙", 90, 59.5, 149.5],
                ["1003", "丙", "缺考", 70, 70],
            ],
            CLASSES[1]: [
                HEADER,
                ["2001", "丁", 140, 100, 240],
                ["2002", "戊", 50, "作弊", 50],
            ],
        }
    )


def class_column_sheet(rows: list[list]) -> bytes:
    return workbook({"成绩": [["班级", *HEADER], *rows]})


def classes(e):
    return SchoolClass.objects.filter(term=e.term, grade=e.grade)
