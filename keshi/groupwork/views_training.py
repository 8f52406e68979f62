"""校本研修 pages: the list with the 六个一 at a glance, a project with its checklist,
attendees (list or QR) and the grant of 学时/学分."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keshi.calendar.selectors import home_org
from keshi.documents.http import stored_file
from keshi.groupwork import selectors
from keshi.groupwork import services_training as services
from keshi.groupwork.forms import AttendanceForm, GrantForm, MaterialForm, ProjectForm, SearchForm
from keshi.groupwork.models import Material, TrainingMaterial
from keshi.groupwork.views import qr_context
from keshi.org.models import Org
from keshi.org.scoping import can_manage_org, manageable
from keshi.records.forms import add_errors

PAGE_SIZE = 20


def _project_or_404(user, pk: int):
    project = selectors.training_for(user).filter(pk=pk).first()
    if project is None:
        raise Http404(_("没有这个校本研修项目，或您无权查看。"))
    return project


def _managed_or_403(user, pk: int):
    project = _project_or_404(user, pk)
    if not selectors.can_manage_training(user, project):
        raise PermissionDenied(_("只有教科室可以管理校本研修项目。"))
    return project


def _managed_org(user) -> Org | None:
    org = home_org(user)
    if org is not None and can_manage_org(user, org):
        return org
    return manageable(user, Org.objects.all()).order_by("path").first()


@login_required
@require_GET
def training_list(request):
    qs = selectors.training_for(request.user)
    form = SearchForm(request.GET)
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        qs = qs.filter(Q(title__icontains=q) | Q(organiser__icontains=q))
    qs = selectors.with_materials(qs.order_by("-start", "-pk"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for project in page.object_list:
        project.checks = selectors.checklist_row(project)
        project.missing = sum(1 for _label, ok in project.checks if not ok)
    return render(
        request,
        "groupwork/training_list.html",
        {
            "page": page,
            "form": form,
            "filtered": bool(request.GET.get("q")),
            "items": Material.labels,
            "may_manage": _managed_org(request.user) is not None,
        },
    )


@login_required
def training_form(request, pk: int | None = None):
    project = _managed_or_403(request.user, pk) if pk else None
    org = project.org if project else _managed_org(request.user)
    if org is None:
        raise PermissionDenied(_("只有教科室可以新建校本研修项目。"))
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.save_project(
                org=org, project=project, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("groupwork:training", pk=project.pk)
    title = _("编辑校本研修") if project else _("新建校本研修项目")
    return render(request, "groupwork/form.html", {"form": form, "title": title, "back": project})


@login_required
def training_detail(request, pk: int):
    project = _project_or_404(request.user, pk)
    may_manage = selectors.can_manage_training(request.user, project)
    rows = list(project.attendances.select_related("person", "activity"))
    items = selectors.checklist(project)
    ctx = {
        "project": project,
        "may_manage": may_manage,
        "checklist": items,
        "missing": [label for _item, label, m in items if m is None],
        "attendances": rows,
    }
    if may_manage:
        people = selectors.org_people(project.org)
        ctx["attendance_form"] = AttendanceForm(
            candidates=people, initial={"people": [r.person_id for r in rows]}
        )
        ctx["grant_form"] = GrantForm()
        ctx.update(qr_context(request, "training", project))
    return render(request, "groupwork/training_detail.html", ctx)


@login_required
@require_POST
def training_attendance(request, pk: int):
    project = _managed_or_403(request.user, pk)
    form = AttendanceForm(request.POST, candidates=selectors.org_people(project.org))
    if form.is_valid():
        try:
            services.set_training_attendance(
                project=project, people=list(form.cleaned_data["people"]), by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("参训名单已保存。"))
    else:
        messages.error(request, _("名单中有不属于本单位的人员。"))
    return redirect("groupwork:training", pk=pk)


@login_required
@require_POST
def training_material(request, pk: int):
    project = _managed_or_403(request.user, pk)
    form = MaterialForm(request.POST, request.FILES, user=request.user, org=project.org)
    if form.is_valid():
        files = form.cleaned_data["file"]
        try:
            services.attach_material(
                project=project,
                item=form.cleaned_data["item"],
                by=request.user,
                upload=files[0] if files else None,
                activity=form.cleaned_data["activity"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            label = Material(form.cleaned_data["item"]).label
            messages.success(request, _("“%(item)s”已上传。") % {"item": label})
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("groupwork:training", pk=pk)


@login_required
def material_file(request, pk: int):
    row = get_object_or_404(TrainingMaterial, pk=pk)
    _project_or_404(request.user, row.project_id)
    if request.method == "POST":
        _managed_or_403(request.user, row.project_id)
        services.remove_material(row=row)
        messages.success(request, _("材料已移除。"))
        return redirect("groupwork:training", pk=row.project_id)
    if not row.file:
        raise Http404
    return stored_file(row.file, row.name, row.content_type)


@login_required
@require_POST
def training_grant(request, pk: int):
    project = _managed_or_403(request.user, pk)
    form = GrantForm(request.POST)
    reason = form.cleaned_data["override_reason"] if form.is_valid() else ""
    try:
        n = services.grant_training(project=project, by=request.user, override_reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已为 %(n)d 位教师发放学时学分（生成培训记录）。") % {"n": n})
    return redirect("groupwork:training", pk=pk)
