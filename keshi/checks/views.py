"""Checks pages: the index (inspections or one's own results), rubrics. Inspections, draws and
bulletins have their own modules. Reads go through keshi.checks.selectors: what a user may not
read is a 404, what they may read but not change is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.checks import selectors, services
from keshi.checks.forms import RubricForm, add_errors
from keshi.checks.models import Inspection
from keshi.checks.scoring import criteria_text, levels_text

PAGE_SIZE = 20


def page_of(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def managed_org(request):
    """The org an office user creates things in; 403 for everyone else."""
    org = selectors.home_org(request.user)
    if org is None or not selectors.may_manage(request.user):
        raise PermissionDenied(_("只有教科室可以进行此操作。"))
    from keshi.org.scoping import can_manage_org

    if not can_manage_org(request.user, org):
        raise PermissionDenied(_("只有教科室可以进行此操作。"))
    return org


def tab_context(request, tab: str) -> dict:
    return {
        "tab": tab,
        "q": request.GET.get("q", "").strip(),
        "may_manage": selectors.may_manage(request.user),
    }


@login_required
def index(request):
    context = tab_context(request, "inspections")
    q = context["q"]
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    inspections = selectors.inspections_for(request.user, q=q, status=status, kind=kind)
    context.update(
        statuses=Inspection.Status.choices,
        kinds=Inspection.Kind.choices,
        status=status,
        kind=kind,
        filtered=bool(q or status or kind),
    )
    if selectors.may_read_all(request.user):
        context["page"] = page_of(request, inspections.order_by("-start", "-pk"))
        return render(request, "checks/index.html", context)
    # teachers and group leads: the results they may read, and inspections they score
    results = selectors.results_for(request.user).order_by("-inspection__start", "-pk")
    if q:
        results = results.filter(inspection__title__icontains=q)
    context["page"] = page_of(request, results)
    context["inspecting"] = inspections.exclude(status=Inspection.Status.COMPLETED)[:20]
    context["open_rectifications"] = selectors.rectifications_for(
        request.user, open_only=True
    ).filter(responsible_id=selectors.scope_for(request.user).person_id)
    return render(request, "checks/my_results.html", context)


# ---- rubrics ---------------------------------------------------------------------------------


@login_required
def rubric_list(request):
    context = tab_context(request, "rubrics")
    context["page"] = page_of(request, selectors.rubrics_for(request.user, q=context["q"]))
    return render(request, "checks/rubrics.html", context)


def _rubric_or_404(request, pk: int):
    rubric = selectors.rubric_for(request.user, pk)
    if rubric is None:
        raise Http404(_("没有这份评分表，或您无权查看。"))
    return rubric


@login_required
def rubric_detail(request, pk: int):
    rubric = _rubric_or_404(request, pk)
    context = tab_context(request, "rubrics")
    context.update(
        rubric=rubric,
        criteria=rubric.criteria_list(),
        levels=rubric.levels_list(),
        editable=selectors.manageable_rubrics(request.user).filter(pk=rubric.pk).exists(),
    )
    return render(request, "checks/rubric_detail.html", context)


@login_required
def rubric_edit(request, pk: int | None = None):
    org = managed_org(request)
    rubric = None
    initial = {"levels": "优 90、良 80、中 60、差 0", "active": True}
    if pk is not None:
        rubric = selectors.manageable_rubrics(request.user).filter(pk=pk).first()
        if rubric is None:
            _rubric_or_404(request, pk)
            raise PermissionDenied(_("内置评分表不能修改，请先复制为本单位的评分表。"))
        initial = {
            "name": rubric.name,
            "purpose": rubric.purpose,
            "description": rubric.description,
            "criteria": criteria_text(rubric.criteria_list()),
            "levels": levels_text(rubric.levels_list()),
            "active": rubric.active,
        }
    form = RubricForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rubric = services.save_rubric(
                org=rubric.org if rubric else org, rubric=rubric, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("评分表已保存。"))
            return redirect("checks:rubric", rubric.pk)
    context = tab_context(request, "rubrics")
    context.update(
        form=form,
        rubric=rubric,
        heading=_("修改评分表") if rubric else _("新建评分表"),
        back_url=reverse("checks:rubrics"),
    )
    return render(request, "checks/rubric_form.html", context)


@login_required
@require_POST
def rubric_copy(request, pk: int):
    rubric = _rubric_or_404(request, pk)
    org = managed_org(request)
    copy = services.copy_rubric(rubric=rubric, org=org)
    messages.success(request, _("已复制为本单位的评分表，可以修改。"))
    return redirect("checks:rubric_edit", copy.pk)
