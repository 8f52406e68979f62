"""`keshi bench exams`: the quality analysis of one exam against one GROUP BY, in the same run.

Data: one grade of ``--students`` students in ``--classes`` classes, ``--subjects`` subjects
(full mark 150 for the first three, 100 for the rest), ``--exams`` exams of that grade, each
with every student's score (about 2 % 缺考, a few 作弊).

- engine: :func:`keshi.exams.selectors.exam_analysis` for the last exam — reading its scores
  and teachers, the previous exam's for 进退步, and every table (classes, bands, teachers);
- floor: one hand-written ``GROUP BY`` (subject, class) over the same exam's scores — count,
  sum, min, max and the sum of squares, every group fetched — the least work any answer needs.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from keshi.calendar.models import SchoolYear, Term
from keshi.exams import selectors
from keshi.exams.models import ClassTeacher, Exam, ExamSubject, SchoolClass, Score, Student
from keshi.org.models import Org, Person

SUBJECT_NAMES = ["语文", "数学", "英语", "物理", "化学", "生物", "政治", "历史", "地理", "体育"]


def add_arguments(parser) -> None:
    parser.add_argument("--students", type=int, default=1500)
    parser.add_argument("--classes", type=int, default=30)
    parser.add_argument("--subjects", type=int, default=9)
    parser.add_argument("--exams", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5, help="每项计时的次数（取中位数）")
    parser.add_argument("--seed", type=int, default=2026)


def run(options: dict, say: Callable[[str], None]) -> dict:
    rng = random.Random(options["seed"])
    started = time.perf_counter()
    exam = build(
        students=options["students"],
        classes=options["classes"],
        subjects=min(options["subjects"], len(SUBJECT_NAMES)),
        exams=options["exams"],
        rng=rng,
    )
    rows = Score.objects.filter(subject__exam=exam).count()
    say(f"数据已生成，用时 {time.perf_counter() - started:.1f} 秒；最后一次考试 {rows} 项成绩")
    engine_s, tables = _median(lambda: _engine(exam), options["runs"])
    say(f"质量分析（全部表格）: {engine_s:.3f} 秒，{tables} 行")
    floor_s, groups = _median(lambda: _floor(exam), options["runs"])
    say(f"下限（一条 GROUP BY）: {floor_s:.3f} 秒，{groups} 组")
    return {
        "engine_s": engine_s,
        "floor_s": floor_s,
        "ratio": engine_s / floor_s,
        "database": "postgresql" if connection.vendor == "postgresql" else "sqlite",
        "details": {"scores": rows, "tables_rows": tables, "floor_groups": groups},
    }


def _median(fn: Callable[[], int], runs: int) -> tuple[float, int]:
    times, out = [], 0
    for _ in range(max(runs, 1)):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def _engine(exam: Exam) -> int:
    result = selectors.exam_analysis(exam)
    return len(result.classes) + len(result.bands) + len(result.teachers)


def _floor(exam: Exam) -> int:
    sql = (
        "SELECT sc.subject_id, st.school_class_id, COUNT(*), SUM(sc.value), MIN(sc.value), "
        "MAX(sc.value), SUM(sc.value * sc.value) FROM exams_score sc "
        "JOIN exams_student st ON st.id = sc.student_id "
        "JOIN exams_examsubject es ON es.id = sc.subject_id "
        "WHERE es.exam_id = %s AND sc.status = 'sat' GROUP BY sc.subject_id, st.school_class_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [exam.pk])
        return len(cursor.fetchall())


def build(*, students: int, classes: int, subjects: int, exams: int, rng: random.Random) -> Exam:
    """The data set; returns the last exam."""
    org = Org.objects.create(code="bench-exams", name="基准中学")
    year = SchoolYear.objects.create(
        org=org, start_year=2025, start=date(2025, 9, 1), end=date(2026, 8, 31)
    )
    term = Term.objects.create(
        school_year=year, number=1, start=date(2025, 9, 1), end=date(2026, 1, 16)
    )
    names = SUBJECT_NAMES[:subjects]
    teachers = Person.objects.bulk_create(
        Person(org=org, name=f"教师{i:03d}") for i in range(classes * subjects // 2 + 1)
    )
    school_classes = SchoolClass.objects.bulk_create(
        SchoolClass(org=org, term=term, grade="高一", name=f"高一({i + 1})班")
        for i in range(classes)
    )
    ClassTeacher.objects.bulk_create(
        ClassTeacher(
            school_class=c, subject=s, person=teachers[(i * subjects + j) // 2 % len(teachers)]
        )
        for i, c in enumerate(school_classes)
        for j, s in enumerate(names)
    )
    Student.objects.bulk_create(
        Student(
            org=org,
            term=term,
            school_class=school_classes[i % classes],
            student_no=f"{i:06d}",
            name=f"学生{i}",
        )
        for i in range(students)
    )
    student_ids = list(Student.objects.filter(term=term).values_list("pk", flat=True))
    ability = {pk: rng.gauss(0, 1) for pk in student_ids}
    last = None
    for n in range(exams):
        start = term.start + timedelta(days=10 * n + 7)
        last = Exam.objects.create(
            org=org,
            term=term,
            name=f"第{n + 1}次考试",
            kind=Exam.Kind.MONTHLY,
            grade="高一",
            start_date=start,
            end_date=start,
        )
        exam_subjects = ExamSubject.objects.bulk_create(
            ExamSubject(exam=last, subject=s, full_mark=150 if j < 3 else 100, position=j)
            for j, s in enumerate(names)
        )
        scores = []
        for subject in exam_subjects:
            full = float(subject.full_mark)
            for pk in student_ids:
                draw = rng.random()
                if draw < 0.02:
                    scores.append(Score(subject=subject, student_id=pk, status="absent"))
                elif draw < 0.021:
                    scores.append(Score(subject=subject, student_id=pk, status="cheated"))
                else:
                    ratio = min(max(0.7 + 0.15 * ability[pk] + rng.gauss(0, 0.08), 0), 1)
                    scores.append(
                        Score(
                            subject=subject,
                            student_id=pk,
                            value=Decimal(str(round(ratio * full, 1))),
                        )
                    )
        Score.objects.bulk_create(scores, batch_size=2000)
        imported = dt.datetime.combine(start, dt.time(12), tzinfo=timezone.get_current_timezone())
        Exam.objects.filter(pk=last.pk).update(scores_imported_at=imported)
    last.refresh_from_db()
    return last
