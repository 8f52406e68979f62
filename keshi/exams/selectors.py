"""Reads for exams, always through keshi.org.scoping.

Exams, subjects and classes are public within their school. Scores are read only as the
analysis (office, leader, district, and the exam's 任课教师). A paper is confidential until the
exam starts: before then only its setter, its reviewer and the office (``manageable``) may open
it — not a group lead, not the school leader; from the start day on, everyone who reads the
exam may.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from keshi.exams import analysis
from keshi.exams.kinds import PAPER_ANALYSIS
from keshi.exams.models import ClassTeacher, Exam, PaperAssignment, SchoolClass, Score
from keshi.org.models import Org, Person
from keshi.org.scoping import can_manage_org, can_read_org, manageable, scope_for, visible
from keshi.records.models import Activity

PAPER_ANALYSIS_DAYS = 7  # 试卷分析 due within a week of the scores' import


def exams_for(user) -> QuerySet[Exam]:
    return visible(user, Exam.objects.select_related("org", "term__school_year"))


def exam_for(user, pk: int) -> Exam | None:
    return exams_for(user).filter(pk=pk).first()


def can_manage(user, exam: Exam) -> bool:
    return can_manage_org(user, exam.org)


def classes_of(exam: Exam) -> QuerySet[SchoolClass]:
    return SchoolClass.objects.filter(term=exam.term, grade=exam.grade)


def is_exam_teacher(user, exam: Exam) -> bool:
    person_id = scope_for(user).person_id
    return (
        bool(person_id)
        and ClassTeacher.objects.filter(
            school_class__in=classes_of(exam), person_id=person_id
        ).exists()
    )


def may_read_analysis(user, exam: Exam) -> bool:
    return can_read_org(user, exam.org) or is_exam_teacher(user, exam)


def papers_for(user, *, today: date | None = None) -> QuerySet[PaperAssignment]:
    today = today or timezone.localdate()
    base = PaperAssignment.objects.select_related("subject__exam__org", "setter", "reviewer")
    scope = scope_for(user)
    if scope.is_admin:
        return base
    started = Q(subject__exam__start_date__lte=today)
    q = Q(pk__in=manageable(user, base).values("pk"))
    q |= started & Q(pk__in=visible(user, base).values("pk"))  # leader, district
    if scope.person_id:
        q |= Q(setter_id=scope.person_id) | Q(reviewer_id=scope.person_id)
        q |= started & Q(subject__exam__org_id=scope.person_org_id)
    return base.filter(q)


def paper_for(user, pk: int) -> PaperAssignment | None:
    return papers_for(user).filter(pk=pk).first()


def may_submit(user, paper: PaperAssignment) -> bool:
    return (
        scope_for(user).person_id == paper.setter_id
        and paper.status != PaperAssignment.Status.FINAL
    )


def may_review(user, paper: PaperAssignment) -> bool:
    scope = scope_for(user)
    return paper.status in (
        PaperAssignment.Status.SUBMITTED,
        PaperAssignment.Status.REVISED,
    ) and (scope.person_id == paper.reviewer_id or can_manage_org(user, paper.subject.exam.org))


# --- analysis ----------------------------------------------------------------------------


def rules_of(exam: Exam) -> dict[str, analysis.Rule]:
    return {
        s.subject: analysis.Rule(
            float(s.full_mark), float(s.pass_ratio), float(s.excellent_ratio), float(s.low_ratio)
        )
        for s in exam.subjects.all()
    }


def score_frame(exam: Exam) -> pd.DataFrame:
    rows = Score.objects.filter(subject__exam=exam).values_list(
        "student__school_class__name", "student_id", "subject__subject", "value", "status"
    )
    # The ORM's own SQL, fetched as plain tuples: no Decimal per cell for 13,500 scores.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=analysis.COLUMNS)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    return frame


def teacher_frame(exam: Exam) -> pd.DataFrame:
    rows = ClassTeacher.objects.filter(school_class__in=classes_of(exam)).values_list(
        "school_class__name", "subject", "person__name"
    )
    return pd.DataFrame.from_records(list(rows), columns=["class", "subject", "teacher"])


def previous_exam(exam: Exam) -> Exam | None:
    """The last earlier exam of the same grade with scores: the comparison for 进退步."""
    return (
        Exam.objects.filter(
            org=exam.org,
            grade=exam.grade,
            start_date__lt=exam.start_date,
            scores_imported_at__isnull=False,
        )
        .order_by("-start_date", "-pk")
        .first()
    )


def exam_analysis(exam: Exam) -> analysis.Analysis:
    previous = previous_exam(exam)
    before = None
    if previous is not None:
        before = analysis.analyse(score_frame(previous), rules_of(previous)).classes
    return analysis.analyse(
        score_frame(exam), rules_of(exam), teachers=teacher_frame(exam), previous=before
    )


# --- 试卷分析 -------------------------------------------------------------------------------


@dataclass
class Owed:
    person: Person
    subject: str
    classes: list[str]
    done: bool
    due: date | None


def paper_analysis_due(exam: Exam) -> date | None:
    if exam.scores_imported_at is None:
        return None
    return timezone.localdate(exam.scores_imported_at) + timedelta(days=PAPER_ANALYSIS_DAYS)


def paper_analyses(exam: Exam) -> list[Owed]:
    """Each 任课教师 and subject of the exam, and whether their 试卷分析 is in."""
    subjects = set(exam.subjects.values_list("subject", flat=True))
    done = set(
        Activity.objects.filter(
            kind__code=PAPER_ANALYSIS, kind__org__isnull=True, data__exam=exam.pk
        ).values_list("person_id", "data__subject")
    )
    rows: dict[tuple[int, str], Owed] = {}
    due = paper_analysis_due(exam)
    teachers = (
        ClassTeacher.objects.filter(school_class__in=classes_of(exam), subject__in=subjects)
        .select_related("person", "school_class")
        .order_by("subject", "person__name", "school_class__name")
    )
    for t in teachers:
        key = (t.person_id, t.subject)
        owed = rows.setdefault(key, Owed(t.person, t.subject, [], key in done, due))
        owed.classes.append(t.school_class.name)
    return list(rows.values())


def deadlines(org: Org, at: date) -> dict[int, list[tuple[str, date]]]:
    """Person id → (label, due) for the daily digest: papers to set or review, and 试卷分析
    still owed (a system read: no user scope)."""
    out: dict[int, list[tuple[str, date]]] = {}
    papers = PaperAssignment.objects.filter(subject__exam__org=org).select_related("subject__exam")
    for p in papers.exclude(status=PaperAssignment.Status.FINAL):
        label = f"{p.subject.exam.name}·{p.subject.subject}"
        if p.submit_due and p.status in (
            PaperAssignment.Status.PENDING,
            PaperAssignment.Status.COMMENTED,
        ):
            out.setdefault(p.setter_id, []).append((gettext("命题·%s") % label, p.submit_due))
        elif p.review_due:
            out.setdefault(p.reviewer_id, []).append((gettext("试卷审核·%s") % label, p.review_due))
    recent = Exam.objects.filter(org=org, scores_imported_at__isnull=False).filter(
        scores_imported_at__gte=timezone.now() - timedelta(days=60)
    )
    for exam in recent:
        for owed in paper_analyses(exam):
            if not owed.done and owed.due:
                label = gettext("试卷分析·%(exam)s·%(subject)s") % {
                    "exam": exam.name,
                    "subject": owed.subject,
                }
                out.setdefault(owed.person.pk, []).append((label, owed.due))
    return out
