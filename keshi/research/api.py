"""Read API for research projects (``/api/v1/research/projects``).

Rows come from :func:`keshi.research.selectors.projects_for` (scoping plus the org's accepted
projects); funding and documents only for those who read the project through scoping
(participants, office, leader, district) — exactly as on the pages. Invisible rows are 404.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from keshi.org.api import Id, Pages, SearchText
from keshi.org.scoping import visible
from keshi.research import selectors
from keshi.research.models import Kind, Level, ResearchProject, Stage, Status

router = Router(tags=["research"])

LevelCode = Literal[tuple(Level.values)]
StatusCode = Literal[tuple(Status.values)]
KindCode = Literal[tuple(Kind.values)]


class PersonRef(Schema):
    id: int
    name: str


class ProjectOut(Schema):
    id: int
    org: str = Field(description="单位代码")
    kind: KindCode = Field(description="research 课题；new_tech 新技术新项目（医院）")
    title: str
    level: LevelCode
    category: str
    status: StatusCode = Field(description="当前阶段或状态（申报…结题、延期、撤项）")
    finished: bool = Field(description="已结题")
    leader: PersonRef
    start_date: date | None
    end_date: date | None
    funding: Decimal | None = Field(description="经费（元）；非课题参与者为空")

    @staticmethod
    def resolve_org(obj: ResearchProject) -> str:
        return obj.org.code

    @staticmethod
    def resolve_funding(obj: ResearchProject) -> Decimal | None:
        return obj.funding if getattr(obj, "participant", False) else None


class ResearchMemberOut(Schema):
    person: PersonRef
    role: Literal["leader", "core", "member"]


class DocumentOut(Schema):
    id: int
    label: str = Field(description="材料名称，如 开题报告")
    name: str
    size: int
    uploaded_at: datetime


class StageOut(Schema):
    stage: str
    due_date: date | None
    submitted_at: datetime | None
    decision: Literal[tuple(Stage.Decision.values)]
    comment: str
    decided_at: datetime | None
    required_documents: list[str]
    documents: list[DocumentOut] = Field(description="仅课题参与者可见")


class ProjectDetail(ProjectOut):
    status_reason: str
    members: list[ResearchMemberOut]
    stages: list[StageOut]

    @staticmethod
    def resolve_members(obj: ResearchProject) -> list[dict]:
        return [
            {"person": m.person, "role": m.role}
            for m in obj.memberships.select_related("person").order_by("role", "pk")
        ]

    @staticmethod
    def resolve_stages(obj: ResearchProject) -> list[dict]:
        return [
            {
                "stage": s.stage,
                "due_date": s.due_date,
                "submitted_at": s.submitted_at,
                "decision": s.decision,
                "comment": s.comment,
                "decided_at": s.decided_at,
                "required_documents": list(s.required_documents),
                "documents": list(s.documents.all()) if obj.participant else [],
            }
            for s in obj.stages.prefetch_related("documents").order_by("pk")
        ]


def _projects(user):
    """The caller's projects, each marked ``participant`` when read through scoping."""
    readable = visible(user, ResearchProject.objects.filter(pk=OuterRef("pk")))
    return selectors.projects_for(user).annotate(participant=Exists(readable))


@router.get("/research/projects", response=list[ProjectOut], summary="可见的课题")
@paginate(Pages)
def list_projects(
    request,
    q: Annotated[SearchText | None, Query(description="课题名称")] = None,
    level: LevelCode | None = None,
    status: StatusCode | None = None,
    kind: KindCode | None = None,
):
    qs = _projects(request.auth).order_by("-created_at", "-pk")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(title__icontains=q)
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/research/projects/{project_id}", response=ProjectDetail, summary="课题详情")
def get_project(request, project_id: Id):
    return get_object_or_404(_projects(request.auth), pk=project_id)
