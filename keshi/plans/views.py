"""Plan pages: list, plan page, editing (plan, sections, 分工), status, versions, the import
from Word or text, and the review of suggestions.

Reading goes through keshi.plans.selectors.readable_plans (another org's plan, or a draft for a
teacher, is 404); writing needs office staff of the plan's org (403 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term, home_org
from keshi.org.models import Group, Org
from keshi.org.scoping import can_manage_org, visible
from keshi.org.selectors import readable_orgs
from keshi.plans import selectors, services
from keshi.plans.filters import PlanFilter
from keshi.plans.forms import DutyForm, PlanForm, SectionForm
from keshi.plans.models import Duty, Plan, PlanSection, Suggestion
from keshi.plans.summary import plan_sections
from keshi.web.params import query_id

PAGE_SIZE = 20
S = Suggestion


def _plan(request, pk: int) -> Plan:
    return get_object_or_404(selectors.readable_plans(request.user), pk=pk)


def _managed_plan(request, pk: int) -> Plan:
    plan = _plan(request, pk)
    if not can_manage_org(request.user, plan.org):
        raise PermissionDenied
    return plan


def _managed_org(request) -> Org:
    org_id = query_id(request, "org")
    org = visible(request.user, Org.objects.all()).filter(pk=org_id).first() if org_id else None
    org = org or home_org(request.user)
    if org is None or not can_manage_org(request.user, org):
        raise PermissionDenied
    return org


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# ---- list and plan page --------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    orgs = readable_orgs(user)
    org = orgs.filter(pk=org_id).first() if (org_id := query_id(request, "org")) else None
    base = org or home_org(user)
    terms = visible(user, Term.objects.filter(school_year__org=base)).order_by("-start")
    groups = visible(user, Group.objects.filter(org=base)).order_by("kind", "name")
    filters = PlanFilter(
        request.GET,
        queryset=selectors.plans_list(user),
        orgs=orgs,
        terms=terms if base else Term.objects.none(),
        groups=groups if base else Group.objects.none(),
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    create_org = base if base is not None and can_manage_org(user, base) else None
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": page,
            "filters": filters,
            "orgs": orgs if orgs.count() > 1 else [],
            "filtered": filters.filtered,
            "create_org": create_org,
        },
    )


@login_required
def detail(request, pk: int):
    plan = _plan(request, pk)
    user = request.user
    whole = selectors.can_read_whole(user, plan)
    context = {
        "plan": plan,
        "can_manage": can_manage_org(user, plan.org),
        "can_read_whole": whole,
        "sections": plan_sections(plan),
        "duties": plan.duties.select_related("person"),
        "calendar_count": plan.calendar_items.count(),
        "requirements": selectors.plan_requirements(plan),
        "next_status": services.TRANSITIONS[plan.status],
        "statuses": dict(Plan.Status.choices),
    }
    if whole:
        context["pending"] = selectors.suggestions_of(
            plan, kind=S.Kind.REQUIREMENT, status="pending"
        )
        context["targets"] = selectors.suggestions_of(plan, kind=S.Kind.TARGET, status="pending")
    return render(request, "plans/plan_detail.html", context)


def _plan_form_page(request, form, org, plan=None):
    return render(request, "plans/plan_form.html", {"form": form, "org": org, "plan": plan})


def _plan_values(form) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in ("title", "term", "school_year", "group")}


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    org = _managed_org(request)
    form = PlanForm(request.POST or None, org=org, initial={"term": current_term(org)})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(org=org, user=request.user, **_plan_values(form))
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("已新建计划（草稿）。接下来添加章节和分工。"))
            return redirect("plans:detail", pk=plan.pk)
    return _plan_form_page(request, form, org)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    plan = _managed_plan(request, pk)
    initial = {"title": plan.title, "term": plan.term, "school_year": plan.school_year}
    form = PlanForm(request.POST or None, org=plan.org, initial=initial | {"group": plan.group})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, user=request.user, **_plan_values(form))
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("plans:detail", pk=plan.pk)
    return _plan_form_page(request, form, plan.org, plan)


@login_required
@require_POST
def status(request, pk: int):
    plan = _managed_plan(request, pk)
    if request.POST.get("status") == Plan.Status.PUBLISHED and plan.status == Plan.Status.DRAFT:
        return redirect("plans:publish", pk=plan.pk)  # 发布 goes through the review
    try:
        services.set_status(plan=plan, user=request.user, status=request.POST.get("status", ""))
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        plan.refresh_from_db()
        messages.success(request, _("计划已改为“%(s)s”。") % {"s": plan.get_status_display()})
    return redirect("plans:detail", pk=plan.pk)


@login_required
def history(request, pk: int):
    plan = _plan(request, pk)
    if not selectors.can_read_whole(request.user, plan):
        raise PermissionDenied
    return render(
        request,
        "plans/plan_history.html",
        {"plan": plan, "trail": selectors.plan_history(plan)},
    )


# ---- sections and 分工 ----------------------------------------------------------------------


def _child_form_page(request, template: str, form, plan, obj=None):
    return render(request, template, {"form": form, "plan": plan, "obj": obj})


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, section_id: int | None = None):
    plan = _managed_plan(request, pk)
    section = get_object_or_404(plan.sections, pk=section_id) if section_id else None
    initial = (
        {"kind": section.kind, "title": section.title, "body": section.body} if section else {}
    )
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if section:
                services.update_section(section=section, user=request.user, **form.cleaned_data)
            else:
                services.add_section(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("章节已保存。"))
            return redirect("plans:detail", pk=plan.pk)
    return _child_form_page(request, "plans/plan_section_form.html", form, plan, section)


@login_required
@require_POST
def section_delete(request, pk: int, section_id: int):
    plan = _managed_plan(request, pk)
    section = get_object_or_404(PlanSection, plan=plan, pk=section_id)
    try:
        services.delete_section(section=section, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已删除章节“%(t)s”。") % {"t": section.title})
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def section_move(request, pk: int, section_id: int):
    plan = _managed_plan(request, pk)
    section = get_object_or_404(PlanSection, plan=plan, pk=section_id)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.move_section(section=section, user=request.user, offset=offset)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{plan_url(plan)}#section-{section.pk}")


def plan_url(plan: Plan) -> str:
    from django.urls import reverse

    return reverse("plans:detail", args=[plan.pk])


@login_required
@require_http_methods(["GET", "POST"])
def duty_edit(request, pk: int, duty_id: int | None = None):
    plan = _managed_plan(request, pk)
    duty = get_object_or_404(plan.duties, pk=duty_id) if duty_id else None
    initial = (
        {
            "person": duty.person,
            "person_name": duty.person_name,
            "responsibility": duty.responsibility,
        }
        if duty
        else {}
    )
    form = DutyForm(request.POST or None, org=plan.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if duty:
                services.update_duty(duty=duty, user=request.user, **form.cleaned_data)
            else:
                services.add_duty(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("分工已保存。"))
            return redirect(f"{plan_url(plan)}#duties")
    return _child_form_page(request, "plans/plan_duty_form.html", form, plan, duty)


@login_required
@require_POST
def duty_delete(request, pk: int, duty_id: int):
    plan = _managed_plan(request, pk)
    duty = get_object_or_404(Duty, plan=plan, pk=duty_id)
    try:
        services.delete_duty(duty=duty, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已删除一条分工。"))
    return redirect(f"{plan_url(plan)}#duties")
