"""Writes for exams. Each operation validates and runs in one transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from keshi.calendar.models import Term
from keshi.cover.models import TimetableEntry
from keshi.documents.archive import DEFAULT_LIMITS, UploadLimits
from keshi.exams import selectors, sheets
from keshi.exams.kinds import PAPER_ANALYSIS, SECTIONS
from keshi.exams.models import (
    ClassTeacher,
    Exam,
    ExamSubject,
    PaperAssignment,
    PaperVersion,
    QualityMeeting,
    SchoolClass,
    Score,
    Student,
)
from keshi.groupwork.services_meetings import create_single_meeting
from keshi.org.models import Org, Person
from keshi.org.roster import clean_text
from keshi.records.models import Activity, ActivityKind
from keshi.records.services import record_activity

Status = PaperAssignment.Status


class Refused(Exception):
    """A step the workflow does not allow now (message in Chinese)."""


@transaction.atomic
def create_exam(
    *,
    org: Org,
    term: Term,
    name: str,
    kind: str,
    grade: str,
    start_date: date,
    end_date: date,
    subjects: list[tuple[str, Decimal]],
) -> Exam:
    exam = Exam(
        org=org,
        term=term,
        name=name,
        kind=kind,
        grade=clean_text(grade),
        start_date=start_date,
        end_date=end_date,
    )
    exam.full_clean()
    exam.save()
    for position, (subject, full_mark) in enumerate(subjects):
        ExamSubject.objects.create(
            exam=exam, subject=subject, full_mark=full_mark, position=position
        )
    return exam


@transaction.atomic
def delete_exam(*, exam: Exam, by) -> None:
    """Scores, papers and classes' links go with it; the history keeps who deleted it."""
    exam._history_user = by
    exam.delete()


# --- classes and 任课教师 ----------------------------------------------------------------


@transaction.atomic
def add_classes(*, org: Org, term: Term, grade: str, names: list[str]) -> list[SchoolClass]:
    made = []
    for name in dict.fromkeys(clean_text(n) for n in names if clean_text(n)):
        school_class, _ = SchoolClass.objects.get_or_create(
            org=org, term=term, name=name, defaults={"grade": grade}
        )
        made.append(school_class)
    return made


@transaction.atomic
def classes_from_timetable(*, exam: Exam) -> int:
    """Classes of the exam's grade and their 任课教师, proposed from the cover timetable of the
    term: each class named there that starts with the grade (初一(1)班 for 初一), and for each
    of its subjects in the exam the teacher who gives it most lessons. Existing 任课教师 stay."""
    subjects = set(exam.subjects.values_list("subject", flat=True))
    lessons = Counter(
        TimetableEntry.objects.filter(
            term=exam.term, org=exam.org, class_name__startswith=exam.grade
        ).values_list("class_name", "subject", "person_id")
    )
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for (class_name, subject, person_id), count in lessons.items():
        key = (clean_text(class_name), subject)
        if key not in best or count > best[key][0]:
            best[key] = (count, person_id)
    classes = {
        c.name: c
        for c in add_classes(
            org=exam.org,
            term=exam.term,
            grade=exam.grade,
            names=sorted({name for name, _ in best}),
        )
    }
    made = 0
    for (class_name, subject), (_, person_id) in best.items():
        if subject not in subjects:
            continue
        _, created = ClassTeacher.objects.get_or_create(
            school_class=classes[class_name], subject=subject, defaults={"person_id": person_id}
        )
        made += created
    return made


@transaction.atomic
def set_teachers(*, school_class: SchoolClass, teachers: dict[str, Person | None]) -> None:
    for subject, person in teachers.items():
        if person is None:
            ClassTeacher.objects.filter(school_class=school_class, subject=subject).delete()
        else:
            ClassTeacher.objects.update_or_create(
                school_class=school_class, subject=subject, defaults={"person": person}
            )


# --- papers ------------------------------------------------------------------------------


@transaction.atomic
def assign_paper(
    *,
    subject: ExamSubject,
    setter: Person,
    reviewer: Person,
    submit_due: date | None = None,
    review_due: date | None = None,
) -> PaperAssignment:
    if setter.pk == reviewer.pk:
        raise ValidationError({"reviewer": "审核人不能是命题人本人"})
    paper, _ = PaperAssignment.objects.update_or_create(
        subject=subject,
        defaults={
            "setter": setter,
            "reviewer": reviewer,
            "submit_due": submit_due,
            "review_due": review_due,
        },
    )
    return paper


@transaction.atomic
def submit_version(
    *, paper: PaperAssignment, name: str, content: bytes, content_type: str, note: str, by
) -> PaperVersion:
    """The setter hands in a (new) version: 待提交/审核意见 → 已提交/已修改."""
    paper = PaperAssignment.objects.select_for_update().get(pk=paper.pk)
    if paper.status == Status.FINAL:
        raise Refused("试卷已定稿，不能再提交新版本")
    number = (paper.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PaperVersion(
        assignment=paper,
        number=number,
        name=name,
        size=len(content),
        content_type=content_type,
        note=note,
        uploaded_by=by,
    )
    version.file.save(name, ContentFile(content), save=False)
    version.save()
    paper.status = Status.REVISED if paper.status == Status.COMMENTED else Status.SUBMITTED
    paper._history_user = by
    paper.save()
    return version


@transaction.atomic
def review_paper(*, paper: PaperAssignment, comment: str, final: bool, by) -> PaperAssignment:
    """The reviewer's words on the latest version: back for 修改, or 定稿."""
    paper = PaperAssignment.objects.select_for_update().get(pk=paper.pk)
    if paper.status not in (Status.SUBMITTED, Status.REVISED):
        raise Refused("没有待审核的版本")
    if not final and not comment.strip():
        raise Refused("退回修改时请写明审核意见")
    version = paper.versions.order_by("-number").first()
    version.comment, version.reviewed_by, version.reviewed_at = comment.strip(), by, timezone.now()
    version.save()
    paper.status = Status.FINAL if final else Status.COMMENTED
    paper._history_user = by
    paper.save()
    return paper


# --- scores ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    parsed: sheets.ParsedScores
    students_new: int = 0
    scores: int = 0
    by_class: dict[str, int] = field(default_factory=dict)
    written: bool = False

    @property
    def errors(self) -> list[sheets.CellError]:
        return self.parsed.errors


def import_scores(
    *,
    exam: Exam,
    filename: str,
    data: bytes,
    dry_run: bool,
    by=None,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> ImportReport:
    """Read a 成绩表 and, when it has no error and ``dry_run`` is false, replace the scores of
    the subjects it holds. All-or-nothing."""
    subjects = {s.subject: s for s in exam.subjects.all()}
    classes = {c.name: c for c in SchoolClass.objects.filter(term=exam.term, grade=exam.grade)}
    placed = dict(
        Student.objects.filter(term=exam.term).values_list("student_no", "school_class__name")
    )
    parsed = sheets.read_scores(
        filename,
        data,
        subjects={name: s.full_mark for name, s in subjects.items()},
        classes=set(classes),
        placed=placed,
        limits=limits,
    )
    report = ImportReport(parsed=parsed)
    report.students_new = sum(1 for r in parsed.rows if r.student_no not in placed)
    report.scores = sum(len(r.scores) for r in parsed.rows)
    report.by_class = dict(Counter(r.class_name for r in parsed.rows))
    if parsed.errors or dry_run or not parsed.rows:
        return report
    with transaction.atomic():
        _write_scores(exam, parsed, subjects, classes)
        exam.scores_imported_at = timezone.now()
        exam._history_user = by
        exam.save(update_fields=["scores_imported_at"])
    report.written = True
    return report


def _write_scores(exam, parsed, subjects, classes) -> None:
    known = {s.student_no: s for s in Student.objects.filter(term=exam.term)}
    new, changed = [], []
    for row in parsed.rows:
        student = known.get(row.student_no)
        if student is None:
            student = Student(
                org=exam.org,
                term=exam.term,
                school_class=classes[row.class_name],
                student_no=row.student_no,
                name=row.name,
            )
            new.append(student)
            known[row.student_no] = student
        elif row.name and student.name != row.name:
            student.name = row.name
            changed.append(student)
    Student.objects.bulk_create(new)
    Student.objects.bulk_update(changed, ["name"])
    if new:  # primary keys for the new rows (not every backend returns them)
        known = {s.student_no: s for s in Student.objects.filter(term=exam.term)}
    Score.objects.filter(subject__exam=exam, subject__subject__in=parsed.subjects).delete()
    Score.objects.bulk_create(
        Score(subject=subjects[name], student=known[row.student_no], value=value, status=status)
        for row in parsed.rows
        for name, (value, status) in row.scores.items()
    )


# --- 试卷分析 -------------------------------------------------------------------------------


@transaction.atomic
def record_paper_analysis(
    *,
    person: Person,
    exam: Exam,
    subject: str,
    sections: dict[str, str],
    by,
    on: date | None = None,
) -> Activity:
    """The teacher's 试卷分析 as a record of the built-in kind (counts as their work), dated
    ``on`` (today by default)."""
    kind = ActivityKind.objects.get(org__isnull=True, code=PAPER_ANALYSIS)
    data = {name: sections.get(name, "").strip() for name, _ in SECTIONS}
    data.update({"exam": exam.pk, "subject": subject})
    return record_activity(
        person=person,
        kind=kind,
        by=by,
        on=on,
        title=f"{exam.name}·{subject}试卷分析",
        data=data,
    )


@transaction.atomic
def schedule_quality_meeting(
    *,
    exam: Exam,
    subject: str = selectors.WHOLE_GRADE,
    day: date,
    start_time: time | None = None,
    end_time: time | None = None,
    place: str = "",
    title: str = "",
    chair: Person | None = None,
    by,
) -> QualityMeeting:
    """The exam's 质量分析会 (for the grade, or one subject): a single 例会 whose attendees are
    the 任课教师, linked to the exam. Only after the scores are in; once per exam and subject.
    The caller has checked that ``by`` may schedule it (``selectors.meeting_subjects``)."""
    if exam.scores_imported_at is None:
        raise ValidationError(gettext("请先导入成绩，再安排质量分析会"))
    if subject and not exam.subjects.filter(subject=subject).exists():
        raise ValidationError({"subject": gettext("本次考试没有这个学科")})
    if exam.quality_meetings.filter(subject=subject).exists():
        raise ValidationError({"subject": gettext("这次考试已经安排了这场质量分析会")})
    people = selectors.meeting_people(exam, subject)
    if not people:
        raise ValidationError(
            gettext("还没有任课教师：请先在“班级与任课教师”中安排，再安排质量分析会")
        )
    session = create_single_meeting(
        org=exam.org,
        name=title.strip() or selectors.meeting_title(exam, subject),
        people=people,
        day=day,
        start_time=start_time,
        end_time=end_time,
        place=place,
        chair=chair,
        by=by,
    )
    return QualityMeeting.objects.create(exam=exam, subject=subject, session=session, created_by=by)
