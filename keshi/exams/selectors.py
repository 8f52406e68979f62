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
from keshi.exams.models import (
    ClassTeacher,
    Exam,
    PaperAssignment,
    QualityMeeting,
    SchoolClass,
    Score,
)
from keshi.groupwork.selectors import Roll, roll_of
from keshi.org.models import Group, Org, Person
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


# --- 质量分析会 ---------------------------------------------------------------------------

WHOLE_GRADE = ""  # the subject of the office's meeting for the whole grade


def led_subjects(user, org: Org) -> set[str]:
    """The subjects of the 教研组 a user leads in ``org``: the group's 学科, or its name
    without 教研组/组 (语文组 → 语文)."""
    ids = scope_for(user).lead_group_ids
    groups = Group.objects.filter(pk__in=ids, org=org, kind=Group.Kind.SUBJECT)
    out = set()
    for subject, name in groups.values_list("subject", "name"):
        out.add(subject or name.removesuffix("教研组").removesuffix("组"))
    return out


def meeting_subjects(user, exam: Exam) -> list[str]:
    """What a user may schedule a 质量分析会 for: the office the whole grade (``WHOLE_GRADE``)
    or any subject, a 教研组长 the exam's subjects their group teaches; [] for anyone else."""
    subjects = list(exam.subjects.values_list("subject", flat=True))
    if can_manage(user, exam):
        return [WHOLE_GRADE, *subjects]
    led = led_subjects(user, exam.org)
    return [s for s in subjects if s in led]


def meeting_people(exam: Exam, subject: str = WHOLE_GRADE) -> list[Person]:
    """The expected attendees: the grade's 任课教师 (of ``subject`` when one is given)."""
    teachers = ClassTeacher.objects.filter(
        school_class__in=classes_of(exam),
        subject__in=[subject] if subject else exam.subjects.values("subject"),
        person__active=True,
    )
    return list(Person.objects.filter(pk__in=teachers.values("person_id")).order_by("name", "pk"))


def meeting_title(exam: Exam, subject: str = WHOLE_GRADE) -> str:
    return gettext("《%(exam)s》%(subject)s质量分析会") % {"exam": exam.name, "subject": subject}


@dataclass
class HeldMeeting:
    meeting: QualityMeeting
    roll: Roll

    @property
    def session(self):
        return self.meeting.session


def quality_meetings(exam: Exam) -> list[HeldMeeting]:
    """The exam's 质量分析会 with their attendance (whole grade first, then by subject)."""
    rows = exam.quality_meetings.select_related("session__group", "session__host")
    return [HeldMeeting(m, roll_of(m.session)) for m in rows.order_by("subject", "pk")]


# --- the 工作总结's 考试 section ------------------------------------------------------------


@dataclass
class SubjectFigures:
    """A subject's grade line of the analysis (rates are fractions)."""

    subject: str
    full_mark: float
    sat: int
    mean: float
    pass_rate: float
    excellent_rate: float


@dataclass
class ExamOverview:
    exam: Exam
    subject_names: list[str]
    students: int  # 参考人数: students who sat at least one subject
    subjects: list[SubjectFigures]  # those with scores
    analyses_owed: int  # 试卷分析: (任课教师, subject) pairs that owe one
    analyses_done: int
    missing_analyses: list[str]  # "李老师（数学）"
    meetings: list[HeldMeeting]


def exam_overview(exam: Exam) -> ExamOverview:
    """An exam in a few figures: the grade row per subject of :func:`analysis.analyse`, the
    试卷分析 owed and in, and the 质量分析会 with their attendance."""
    frame = score_frame(exam)
    rules = rules_of(exam)
    result = analysis.analyse(frame, rules)
    grade = result.classes[result.classes["class"] == analysis.GRADE]
    subjects = [
        SubjectFigures(
            r.subject,
            rules[r.subject].full_mark,
            int(r.sat),
            float(r.mean),
            float(r.pass_rate),
            float(r.excellent_rate),
        )
        for r in grade.itertuples(index=False)
    ]
    owed = paper_analyses(exam)
    sat = frame[frame["status"] == analysis.SAT]
    return ExamOverview(
        exam=exam,
        subject_names=list(rules),
        students=int(sat["student"].nunique()),
        subjects=subjects,
        analyses_owed=len(owed),
        analyses_done=sum(o.done for o in owed),
        missing_analyses=[f"{o.person.name}（{o.subject}）" for o in owed if not o.done],
        meetings=quality_meetings(exam),
    )


def term_exams(user, *, org: Org, term, at: date) -> list[ExamOverview]:
    """The exams of ``org`` in ``term`` begun by ``at`` that ``user`` reads, earliest first."""
    exams = exams_for(user).filter(org=org, term=term, start_date__lte=at)
    return [exam_overview(e) for e in exams.order_by("start_date", "pk")]
