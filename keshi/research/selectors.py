"""Reads for research projects, always through keshi.org.scoping.

Besides what :func:`visible` grants (office/leader/district over the subtree, the leader and
members their own project, a group lead their members'), every teacher sees the *accepted*
(立项 or later) projects of their own org — public titles — but never another's 申报 draft.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from keshi.accounts.models import RoleGrant
from keshi.org.models import Org
from keshi.org.scoping import can_manage_org, manageable, scope_for, visible
from keshi.research import lifecycle
from keshi.research.models import ResearchProject, Stage


def projects_for(user) -> QuerySet[ResearchProject]:
    scope = scope_for(user)
    base = ResearchProject.objects.all()
    ids = visible(user, base).values("pk")
    q = Q(pk__in=ids)
    if scope.person_org_id:
        q |= Q(org_id=scope.person_org_id, status__in=lifecycle.ALL_PUBLIC)
    return base.filter(q).select_related("org", "leader")


def project_for(user, pk: int) -> ResearchProject | None:
    return projects_for(user).filter(pk=pk).first()


def is_participant(user, project: ResearchProject) -> bool:
    """Leader, member, or someone who reads the project through scoping (office, district…)."""
    return visible(user, ResearchProject.objects.filter(pk=project.pk)).exists()


def can_manage(user, project: ResearchProject) -> bool:
    return manageable(user, ResearchProject.objects.filter(pk=project.pk)).exists()


def can_review(user, project: ResearchProject) -> bool:
    """School office reviews 校级 projects; district staff review 区级 and above."""
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if project.district_reviewed:
        return RoleGrant.Role.DISTRICT in scope.roles and any(
            project.org.path.startswith(p)
            for p in RoleGrant.objects.filter(user=user, role=RoleGrant.Role.DISTRICT).values_list(
                "org__path", flat=True
            )
        )
    return can_manage_org(user, project.org)


def is_leader(user, project: ResearchProject) -> bool:
    return scope_for(user).person_id == project.leader_id


def overdue_stages(org: Org, at: date) -> QuerySet[Stage]:
    """Undecided stages past their due date in ``org``'s subtree (callers have checked access)."""
    return (
        Stage.objects.filter(
            project__org__path__startswith=org.path,
            due_date__lt=at,
            decision__in=[Stage.Decision.PENDING, Stage.Decision.RETURNED],
            project__finished=False,
        )
        .exclude(project__status=lifecycle.WITHDRAWN)
        .select_related("project", "project__org")
    )


def current_stage(project: ResearchProject) -> Stage | None:
    return project.stages.order_by("-pk").first()


def district_table(user) -> list[dict]:
    """One row per school readable by a district user: counts by status and by level."""
    projects = visible(user, ResearchProject.objects.all())
    rows: dict[int, dict] = {}
    for r in projects.values("org_id", "org__name", "status", "level").annotate(n=Count("pk")):
        row = rows.setdefault(
            r["org_id"], {"org": r["org__name"], "total": 0, "status": {}, "level": {}}
        )
        row["total"] += r["n"]
        row["status"][r["status"]] = row["status"].get(r["status"], 0) + r["n"]
        row["level"][r["level"]] = row["level"].get(r["level"], 0) + r["n"]
    return sorted(rows.values(), key=lambda row: row["org"])


def deadlines(org: Org, at: date) -> dict[int, list[tuple[str, date]]]:
    """Project leader id → (label, due) of each dated stage still to hand in (never submitted,
    or returned), for the daily digest (a system read: no user scope)."""
    rows = (
        Stage.objects.filter(project__org=org, due_date__isnull=False, project__finished=False)
        .filter(
            Q(decision=Stage.Decision.RETURNED)
            | Q(decision=Stage.Decision.PENDING, submitted_at__isnull=True)
        )
        .exclude(project__status=lifecycle.WITHDRAWN)
        .select_related("project")
        .order_by("due_date", "pk")
    )
    out: dict[int, list[tuple[str, date]]] = {}
    for stage in rows:
        label = gettext("课题《%(title)s》·%(stage)s") % {
            "title": stage.project.title,
            "stage": stage.get_stage_display(),
        }
        out.setdefault(stage.project.leader_id, []).append((label, stage.due_date))
    return out
