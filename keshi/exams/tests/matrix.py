"""Access-matrix objects for exams (see keshi/tests/test_access_matrix.py): an exam of the demo
school a month from now with a class, and its 语文 paper set by the demo teacher — still
confidential, so a colleague gets 404 on it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from keshi.calendar.selectors import current_term
from keshi.exams import services
from keshi.org.models import Person


def _pk(key: str):
    return lambda w: {"pk": w.pk(key)}


def _class(w):
    return {"pk": w.pk("exam"), "class_id": w.pk("exam_class")}


FILLERS = {
    **{
        f"exams:{n}": _pk("exam")
        for n in (
            "detail",
            "delete",
            "classes",
            "import",
            "analysis",
            "report",
            "tables",
            "paper_analyses",
            "paper_analysis_new",
            "meeting_new",
        )
    },
    "exams:class_teachers": _class,
    "exams:class_delete": _class,
    "exams:import_preview": lambda w: {"token": "no-such-token-0000"},
    "exams:subject_edit": _pk("exam_subject"),
    "exams:assign": _pk("exam_subject"),
    "exams:paper": _pk("paper"),
    "exams:version": _pk("paper_version"),
}
# Before the exam starts a paper is its setter's, its reviewer's and the office's only.
PRIVATE = {"exams:paper", "exams:version"}


def objects(world) -> dict:
    term = current_term(world.school)
    start = dt.date.today() + dt.timedelta(days=30)
    exam = services.create_exam(
        org=world.school,
        term=term,
        name="矩阵期中考试",
        kind="midterm",
        grade="矩阵年级",
        start_date=start,
        end_date=start,
        subjects=[("语文", Decimal(120))],
    )
    (school_class,) = services.add_classes(
        org=world.school, term=term, grade="矩阵年级", names=["矩阵年级(1)班"]
    )
    subject = exam.subjects.get()
    reviewer = (
        Person.objects.filter(org=world.school)
        .exclude(pk__in=[world.teacher.pk, world.other_teacher.pk])
        .first()
    )
    paper = services.assign_paper(subject=subject, setter=world.teacher, reviewer=reviewer)
    version = services.submit_version(
        paper=paper,
        name="矩阵.pdf",
        content=b"%PDF-1.4\n%%EOF\n",
        content_type="application/pdf",
        note="",
        by=None,
    )
    return {
        "exam": exam,
        "exam_class": school_class,
        "exam_subject": subject,
        "paper": paper,
        "paper_version": version,
    }
