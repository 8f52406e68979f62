"""Read API for exams (``/api/v1/exams``) and their papers.

Exams are public in their school; a paper is confidential until the exam starts (only its
setter, its reviewer and the office may read it): any other caller gets a 404, exactly as on
the pages (keshi.exams.selectors.papers_for).
"""

from datetime import date, datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from keshi.exams import selectors
from keshi.exams.models import Exam, PaperAssignment
from keshi.org.api import Id, Pages

router = Router(tags=["exams"])


class SubjectOut(Schema):
    id: int
    subject: str
    full_mark: float


class ExamOut(Schema):
    id: int
    org: str = Field(description="单位代码")
    name: str
    kind: Literal[tuple(Exam.Kind.values)]
    grade: str
    start_date: date
    end_date: date
    scores_imported: bool
    subjects: list[SubjectOut]

    @staticmethod
    def resolve_org(obj: Exam) -> str:
        return obj.org.code

    @staticmethod
    def resolve_scores_imported(obj: Exam) -> bool:
        return obj.scores_imported_at is not None

    @staticmethod
    def resolve_subjects(obj: Exam) -> list:
        return list(obj.subjects.all())


class PersonRef(Schema):
    id: int
    name: str


class VersionOut(Schema):
    number: int
    name: str
    size: int
    uploaded_at: datetime
    comment: str
    reviewed_at: datetime | None


class PaperOut(Schema):
    id: int
    exam: int
    subject: str
    setter: PersonRef
    reviewer: PersonRef
    submit_due: date | None
    review_due: date | None
    status: Literal[tuple(PaperAssignment.Status.values)]
    versions: list[VersionOut]

    @staticmethod
    def resolve_exam(obj: PaperAssignment) -> int:
        return obj.subject.exam_id

    @staticmethod
    def resolve_subject(obj: PaperAssignment) -> str:
        return obj.subject.subject

    @staticmethod
    def resolve_versions(obj: PaperAssignment) -> list:
        return list(obj.versions.order_by("number"))


@router.get("/exams", response=list[ExamOut], summary="可见的考试")
@paginate(Pages)
def list_exams(request):
    return selectors.exams_for(request.auth).prefetch_related("subjects").order_by("-start_date")


@router.get("/exams/papers/{paper_id}", response=PaperOut, summary="试卷（考前保密）")
def get_paper(request, paper_id: Id):
    return get_object_or_404(selectors.papers_for(request.auth), pk=paper_id)
