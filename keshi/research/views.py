"""Research project pages. A project the user may not read is a 404; one they may read but not
change is a 403. Reads go through keshi.research.selectors (keshi.org.scoping underneath)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.calendar.selectors import home_org
from keshi.org.models import Org, Person
from keshi.org.scoping import can_manage_org, scope_for, visible
from keshi.research import lifecycle, selectors, services
from keshi.research.filters import ProjectFilter
from keshi.research.forms import ProjectForm, ReviewForm, StatusForm, SubmitForm
from keshi.research.models import Kind, Level, ResearchProject, Stage, StageDocument, Status

PAGE_SIZE = 20


def _project_or_404(user, pk: int) -> ResearchProject:
    project = selectors.project_for(user, pk)
    if project is None:
        raise Http404(_("没有这个课题，或您无权查看。"))
    return project


def _kind(request) -> str:
    """The project type a page is about (``?kind=``): 课题 unless 新技术新项目 is asked for."""
    kind = request.POST.get("kind") or request.GET.get("kind")
    return kind if kind in Kind.values else Kind.RESEARCH


@login_required
def index(request):
    kind = _kind(request)
    projects = selectors.projects_for(request.user).filter(kind=kind)
    filters = ProjectFilter(request.GET, queryset=projects, kind=kind)
    page = Paginator(filters.qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    org = home_org(request.user)
    overdue_ids = set()
    if org is not None:
        overdue = selectors.overdue_stages(org, today).filter(
            project__in=[p.pk for p in page.object_list]
        )
        overdue_ids = set(overdue.values_list("project_id", flat=True))
    scope = scope_for(request.user)
    return render(
        request,
        "research/list.html",
        {
            "filters": filters,
            "page": page,
            "overdue_ids": overdue_ids,
            "may_create": bool(scope.person_id or scope.manage_paths or scope.is_admin)
            and (kind == Kind.RESEARCH or (org is not None and org.kind == Org.Kind.HOSPITAL)),
            "is_district": "district" in scope.roles or scope.is_admin,
            "new_tech": kind == Kind.NEW_TECH,
            "kind_query": "" if kind == Kind.RESEARCH else f"?kind={kind}",
        },
    )


@login_required
def detail(request, pk: int):
    project = _project_or_404(request.user, pk)
    participant = selectors.is_participant(request.user, project)
    stages = list(project.stages.prefetch_related("documents").select_related("reviewer"))
    today = timezone.localdate()
    current = stages[-1] if stages else None
    return render(
        request,
        "research/detail.html",
        {
            "project": project,
            "participant": participant,
            "memberships": project.memberships.select_related("person").order_by("role", "pk"),
            "stages": stages,
            "current": current,
            "overdue": bool(
                current
                and current.due_date
                and current.due_date < today
                and current.decision != Stage.Decision.PASSED
                and project.status != lifecycle.WITHDRAWN
            ),
            "may_edit": selectors.can_manage(request.user, project),
            "may_submit": selectors.is_leader(request.user, project)
            and current
            and current.decision != Stage.Decision.PASSED
            and project.status != lifecycle.WITHDRAWN,
            "may_review": selectors.can_review(request.user, project)
            and current
            and current.decision != Stage.Decision.PASSED
            and project.status != lifecycle.WITHDRAWN,
            "lifecycle_stages": [(s, lifecycle.LABELS[s]) for s in project.flow.stages],
            "noun": Kind(project.kind).label,
            "kind_query": "" if project.kind == Kind.RESEARCH else f"?kind={project.kind}",
            "may_extend": project.flow.allowed(project.status, lifecycle.EXTENDED),
        },
    )


def _form_people(form, request):
    return form.cleaned_data.get("core_members") or [], form.cleaned_data.get("members") or []


@login_required
def create(request):
    scope = scope_for(request.user)
    org = home_org(request.user)
    if org is None or not (scope.person_id or can_manage_org(request.user, org)):
        raise PermissionDenied
    kind = _kind(request)
    if kind == Kind.NEW_TECH and org.kind != Org.Kind.HOSPITAL:
        raise PermissionDenied(_("新技术新项目只用于医院。"))
    office = can_manage_org(request.user, org)
    leader = None if office else Person.objects.get(pk=scope.person_id)
    form = ProjectForm(request.POST or None, org=org, leader_fixed=leader, kind=kind)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        core, members = _form_people(form, request)
        try:
            project = services.create_project(
                org=org,
                title=d["title"],
                level=d["level"],
                category=d["category"],
                leader=leader or d["leader"],
                core_members=core,
                members=members,
                funding=d["funding"],
                start_date=d["start_date"],
                end_date=d["end_date"],
                due_date=d.get("due_date"),
                kind=kind,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已申报"))
            return redirect("research:detail", project.pk)
    title = _("申报新技术新项目") if kind == Kind.NEW_TECH else _("申报课题")
    context = {"form": form, "title": title, "kind": kind if kind != Kind.RESEARCH else ""}
    return render(request, "research/form.html", context)


@login_required
def edit(request, pk: int):
    project = _project_or_404(request.user, pk)
    if not selectors.can_manage(request.user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project, org=project.org)
    if request.method == "POST" and form.is_valid():
        core, members = _form_people(form, request)
        fields = {k: form.cleaned_data[k] for k in ProjectForm.Meta.fields}
        project = ResearchProject.objects.get(pk=pk)
        services.update_project(project=project, core_members=core, members=members, **fields)
        messages.success(request, _("已保存"))
        return redirect("research:detail", project.pk)
    return render(
        request, "research/form.html", {"form": form, "title": _("编辑课题"), "project": project}
    )


def _current_stage(project: ResearchProject) -> Stage:
    stage = selectors.current_stage(project)
    if stage is None or stage.decision == Stage.Decision.PASSED:
        raise Http404(_("当前没有待提交的阶段"))
    return stage


@login_required
def submit(request, pk: int):
    project = _project_or_404(request.user, pk)
    if not selectors.is_leader(request.user, project) or project.status == lifecycle.WITHDRAWN:
        raise PermissionDenied
    stage = _current_stage(project)
    form = SubmitForm(request.POST or None, request.FILES or None, stage=stage)
    if request.method == "POST" and form.is_valid():
        services.submit_documents(stage=stage, files=form.cleaned_data["files"], by=request.user)
        messages.success(request, _("材料已提交，等待审核"))
        return redirect("research:detail", project.pk)
    return render(
        request,
        "research/form.html",
        {
            "form": form,
            "project": project,
            "title": _("提交%(stage)s材料") % {"stage": stage.get_stage_display()},
            "submit_label": _("提交"),
        },
    )


@login_required
def review(request, pk: int):
    project = _project_or_404(request.user, pk)
    if not selectors.can_review(request.user, project) or project.status == lifecycle.WITHDRAWN:
        raise PermissionDenied
    stage = _current_stage(project)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_stage(
                stage=stage,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except lifecycle.TransitionRefused as exc:
            form.add_error("decision", str(exc))
        else:
            messages.success(request, _("审核结论已保存"))
            return redirect("research:detail", project.pk)
    return render(
        request,
        "research/review.html",
        {"form": form, "project": project, "stage": stage},
    )


@login_required
def change_status(request, pk: int):
    project = _project_or_404(request.user, pk)
    if not (
        selectors.can_manage(request.user, project) or selectors.can_review(request.user, project)
    ):
        raise PermissionDenied
    form = StatusForm(request.POST or None, flow=project.flow)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.change_status(
                project=project, target=d["target"], reason=d["reason"], due_date=d.get("due_date")
            )
        except lifecycle.TransitionRefused as exc:
            form.add_error("target", str(exc))
        else:
            messages.success(request, _("课题状态已变更"))
            return redirect("research:detail", project.pk)
    return render(
        request,
        "research/form.html",
        {
            "form": form,
            "project": project,
            "title": _("延期或撤项") if "due_date" in form.fields else _("撤项"),
        },
    )


@login_required
def document(request, pk: int):
    doc = visible(request.user, StageDocument.objects.filter(pk=pk)).first()
    if doc is None:
        raise Http404(_("没有这份材料，或您无权查看。"))
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


@login_required
def district(request):
    scope = scope_for(request.user)
    if not ("district" in scope.roles or scope.is_admin):
        raise PermissionDenied
    rows = selectors.district_table(request.user)
    statuses, levels = list(Status.choices), list(Level.choices)
    for row in rows:
        row["by_status"] = [row["status"].get(code, 0) for code, _label in statuses]
        row["by_level"] = [row["level"].get(code, 0) for code, _label in levels]
    return render(
        request,
        "research/district.html",
        {"rows": rows, "statuses": statuses, "levels": levels},
    )
