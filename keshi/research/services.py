"""Writes for research projects. Each operation validates and runs in one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.org.models import Org, Person
from keshi.records.models import Activity, ActivityKind
from keshi.records.services import record_activity
from keshi.research import lifecycle
from keshi.research.models import Kind, ProjectMember, ResearchProject, Stage, StageDocument


@transaction.atomic
def create_project(
    *,
    org,
    title: str,
    level: str,
    leader: Person,
    category: str = "",
    core_members: list[Person] = (),
    members: list[Person] = (),
    funding: Decimal | int = 0,
    start_date: date | None = None,
    end_date: date | None = None,
    due_date: date | None = None,
    kind: str = Kind.RESEARCH,
) -> ResearchProject:
    """A project at 申报; a 新技术新项目 (``kind``) only in a hospital."""
    if kind == Kind.NEW_TECH and org.kind != Org.Kind.HOSPITAL:
        raise ValidationError({"kind": _("新技术新项目只用于医院。")})
    project = ResearchProject(
        org=org,
        kind=kind,
        title=title,
        level=level,
        category=category,
        leader=leader,
        funding=funding or 0,
        start_date=start_date,
        end_date=end_date,
    )
    project.full_clean()
    project.save()
    set_members(project=project, core_members=core_members, members=members)
    Stage.objects.create(project=project, stage=lifecycle.DECLARED, due_date=due_date)
    return project


@transaction.atomic
def set_members(*, project: ResearchProject, core_members=(), members=()) -> None:
    wanted = {project.leader_id: ProjectMember.Role.LEADER}
    for p in members:
        wanted.setdefault(p.pk, ProjectMember.Role.MEMBER)
    for p in core_members:
        if p.pk != project.leader_id:
            wanted[p.pk] = ProjectMember.Role.CORE
    project.memberships.exclude(person_id__in=wanted).delete()
    for person_id, role in wanted.items():
        ProjectMember.objects.update_or_create(
            project=project, person_id=person_id, defaults={"role": role}
        )


@transaction.atomic
def update_project(*, project: ResearchProject, core_members=(), members=(), **fields):
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    set_members(project=project, core_members=core_members, members=members)
    return project


@transaction.atomic
def submit_documents(*, stage: Stage, files: list[tuple[str, str, bytes, str]], by) -> None:
    """``files``: (label, name, content, content_type), already checked by the form."""
    from django.core.files.base import ContentFile

    for label, name, content, content_type in files:
        doc = StageDocument(
            stage=stage, label=label, name=name, size=len(content), content_type=content_type
        )
        doc.uploaded_by = by
        doc.file.save(name, ContentFile(content), save=False)
        doc.save()
    stage.submitted_at = timezone.now()
    if stage.decision == Stage.Decision.RETURNED:
        stage.decision = Stage.Decision.PENDING
    stage.save()


@transaction.atomic
def review_stage(*, stage: Stage, decision: str, comment: str, by) -> ResearchProject:
    project = ResearchProject.objects.select_for_update().get(pk=stage.project_id)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if stage.decision == Stage.Decision.PASSED:
        raise lifecycle.TransitionRefused("该阶段已通过审核")
    if decision == Stage.Decision.PASSED:
        labels = set(stage.documents.values_list("label", flat=True))
        target = project.flow.check_advance(
            status=project.status, stage=stage.stage, documents=labels, decision_passed=True
        )
    stage.decision, stage.comment, stage.reviewer = decision, comment, by
    stage.decided_at = timezone.now()
    stage.save()
    if decision != Stage.Decision.PASSED:
        return project
    if stage.stage == project.flow.last:
        project.finished = True
    else:
        project.status = target
        Stage.objects.create(project=project, stage=target)
    project.save()
    count_members_work(stage=stage, by=by)
    return project


def count_members_work(*, stage: Stage, by) -> int:
    """Each member gets one 其他 record for the approved stage; running twice adds nothing."""
    kind = ActivityKind.objects.get(org__isnull=True, code="other")
    project = stage.project
    noun = Kind(project.kind).label
    title = f"{noun}《{project.title}》{lifecycle.LABELS[stage.stage]}"
    made = 0
    for m in project.memberships.select_related("person"):
        if Activity.objects.filter(person=m.person, data__research_stage=stage.pk).exists():
            continue
        record_activity(
            person=m.person,
            kind=kind,
            by=by,
            on=timezone.localdate(stage.decided_at),
            title=title,
            data={"research_stage": stage.pk, "role": m.get_role_display()},
        )
        made += 1
    return made


@transaction.atomic
def change_status(
    *, project: ResearchProject, target: str, reason: str, due_date: date | None = None
) -> ResearchProject:
    """延期 or 撤项, with a reason; 延期 may move the current stage's due date."""
    if not reason.strip():
        raise lifecycle.TransitionRefused("请填写原因")
    if project.finished or not project.flow.allowed(project.status, target):
        raise lifecycle.TransitionRefused(
            f"不能从“{lifecycle.LABELS[project.status]}”改为“{lifecycle.LABELS[target]}”"
        )
    project.status, project.status_reason = target, reason.strip()
    project.save()
    if due_date and target == lifecycle.EXTENDED:
        project.stages.filter(decision__in=["pending", "returned"]).update(due_date=due_date)
    return project
