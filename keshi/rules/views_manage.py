"""Pages for requirements (量化要求) and exemptions (豁免).

Office staff of an org manage them; leaders, district staff and group leads read them; a plain
teacher sees the requirements that apply to them on 我的任务 instead (403 here). Another org's
requirement is 404 (keshi.org.scoping.visible).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.calendar.selectors import home_org
from keshi.org.models import Org
from keshi.org.scoping import can_manage_org, scope_for, visible
from keshi.org.selectors import audit_trail, readable_orgs
from keshi.rules import selectors_manage as selectors
from keshi.rules import services
from keshi.rules.describe import bounds, describe, group_names, number, rule_of
from keshi.rules.filters import ExemptionFilter, RequirementFilter
from keshi.rules.forms import ExemptionForm, RequirementForm
from keshi.rules.models import Exemption, Requirement
from keshi.rules.overlaps import Match, live_matches
from keshi.web.params import query_id

PAGE_SIZE = 25


def _require_reader(user) -> None:
    scope = scope_for(user)
    if not (scope.is_admin or scope.read_paths or scope.lead_group_ids):
        raise PermissionDenied


def managed_org(request) -> Org:
    """The org to create in: ``?org=`` when given, else the user's home org; 403 unless the
    user manages it."""
    org_id = query_id(request, "org")
    org = visible(request.user, Org.objects.all()).filter(pk=org_id).first() if org_id else None
    org = org or home_org(request.user)
    if org is None or not can_manage_org(request.user, org):
        raise PermissionDenied
    return org


def _manageable_requirement(request, pk: int) -> Requirement:
    obj = get_object_or_404(visible(request.user, Requirement.objects.select_related("org")), pk=pk)
    if not can_manage_org(request.user, obj.org):
        raise PermissionDenied
    return obj


def _annotate(r: Requirement) -> Requirement:
    """Display strings for a requirement row (its m2m fields prefetched)."""
    r.sentence = describe(rule_of(r))
    r.audience_groups = group_names(tuple(g.name for g in r.groups.all()))
    r.audience_years = bounds(r.teaching_years_min, r.teaching_years_max, _("年"))
    r.audience_age = bounds(r.age_min, r.age_max, _("岁"))
    r.points_text = number(r.points)
    r.threshold_text = number(r.threshold)
    return r


def _creatable_org(user, org: Org | None) -> Org | None:
    """Where a 新建 button creates: the filtered org, else the user's own, if they manage it."""
    org = org or home_org(user)
    return org if org is not None and can_manage_org(user, org) else None


@login_required
def requirement_list(request):
    _require_reader(request.user)
    user = request.user
    orgs = readable_orgs(user)
    org = orgs.filter(pk=org_id).first() if (org_id := query_id(request, "org")) else None
    filters = RequirementFilter(
        request.GET,
        queryset=selectors.requirements_list(user),
        orgs=orgs,
        kinds=selectors.kinds_for(org or home_org(user) or Org(pk=0)),
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for r in page.object_list:
        _annotate(r)
    create_org = _creatable_org(user, org)
    return render(
        request,
        "rules/requirement_list.html",
        {
            "page": page,
            "filters": filters,
            "orgs": orgs if orgs.count() > 1 else [],
            "filtered": filters.filtered,
            "can_create": create_org is not None,
            "create_org": create_org,
        },
    )


@login_required
def requirement_detail(request, pk: int):
    user = request.user
    obj = get_object_or_404(
        visible(user, Requirement.objects.select_related("org")).prefetch_related(
            "kinds", "groups", "tags", "kind_caps__kind"
        ),
        pk=pk,
    )
    _require_reader(user)
    can_manage = can_manage_org(user, obj.org)
    return render(
        request,
        "rules/requirement_detail.html",
        {
            "requirement": _annotate(obj),
            "audience": selectors.audience_of(user, obj),
            "can_manage": can_manage,
            "deletable": can_manage and not services.is_used(obj),
            "exemptions": selectors.exemptions_list(user, requirement=obj)[:20],
            "trail": audit_trail(obj.history.all()) if can_manage else None,
        },
    )


def _form_page(request, form: RequirementForm, org: Org, obj: Requirement | None, duplicates=()):
    return render(
        request,
        "rules/requirement_form.html",
        {
            "form": form,
            "org": org,
            "requirement": obj,
            "today": timezone.localdate(),
            "duplicates": duplicates,
        },
    )


def _matches(values: dict, org: Org, obj: Requirement | None) -> list[Match]:
    """The live rules an enabled rule being saved duplicates or overlaps."""
    if not values.get("active", True):
        return []
    return live_matches(values, org=org, exclude=[obj.pk] if obj else [])


def _unconfirmed(request, found: list[Match]) -> list[Match]:
    """Exact duplicates not confirmed with 仍然保存: the form is shown again with them."""
    if request.POST.get("confirm_duplicate") == "1":
        return []
    return [m for m in found if m.duplicate]


def _tell_overlaps(request, found: list[Match]) -> None:
    for m in found:
        what = _("与现有规则“%(name)s”完全相同") if m.duplicate else _("与现有规则“%(name)s”重叠")
        messages.info(
            request,
            (what % {"name": m.existing.name})
            + ("：" + "；".join(m.differences) if m.differences else "")
            + _("。两条都会考核，如不需要请停用其中一条。"),
        )


def _apply_errors(form: RequirementForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def requirement_new(request):
    org = managed_org(request)
    form = RequirementForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        found = _matches(form.values(), org, None)
        if duplicates := _unconfirmed(request, found):
            return _form_page(request, form, org, None, duplicates)
        try:
            obj = services.create_requirement(org=org, user=request.user, **form.values())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("已新建量化要求“%(name)s”。") % {"name": obj.name})
            _tell_overlaps(request, found)
            return redirect("requirements:detail", pk=obj.pk)
    return _form_page(request, form, org, None)


@login_required
def requirement_edit(request, pk: int):
    obj = _manageable_requirement(request, pk)
    form = RequirementForm(request.POST or None, instance=obj, org=obj.org)
    if request.method == "POST" and form.is_valid():
        found = _matches(form.values(), obj.org, obj)
        if duplicates := _unconfirmed(request, found):
            return _form_page(request, form, obj.org, obj, duplicates)
        try:
            services.update_requirement(requirement=obj, user=request.user, **form.values())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            _tell_overlaps(request, found)
            return redirect("requirements:detail", pk=obj.pk)
    return _form_page(request, form, obj.org, obj)


def _draft(values: dict) -> SimpleNamespace:
    """Form values with the model's defaults filled in, shaped like a Requirement."""
    draft = {}
    for name in services.SCALAR_FIELDS:
        default = Requirement._meta.get_field(name).get_default()
        value = values.get(name)
        draft[name] = default if value in (None, "") else value
    for name in services.M2M_FIELDS:
        draft[name] = list(values.get(name) or [])
    draft[services.CAPS] = list(values.get(services.CAPS) or [])
    return SimpleNamespace(**draft)


def _problems(form: RequirementForm) -> list[tuple[str, str]]:
    """The form's errors except "required": a half-filled form is not yet wrong."""
    return [
        (str(form.fields[f].label) if f in form.fields else "", message)
        for f, errors in form.errors.as_data().items()
        for error in errors
        if error.code != "required"
        for message in error.messages
    ]


@login_required
@require_POST
def requirement_preview(request):
    """htmx: the sentence and the audience of the form as it stands, saved or not."""
    pk = query_id(request, "pk")
    obj = _manageable_requirement(request, pk) if pk else None
    org = obj.org if obj else managed_org(request)
    form = RequirementForm(request.POST, instance=obj, org=org)
    form.is_valid()
    values = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    return render(
        request,
        "rules/requirement_preview.html",
        {
            "sentence": describe(rule_of(_draft(values))),
            "audience": selectors.audience_preview(request.user, org=org, values=values),
            "problems": _problems(form),
        },
    )


@login_required
@require_POST
def requirement_copy(request, pk: int):
    obj = _manageable_requirement(request, pk)
    copy = services.copy_requirement(requirement=obj, user=request.user)
    messages.info(
        request, _("已复制为“%(name)s”（停用状态）：修改后勾选“启用”并保存。") % {"name": copy.name}
    )
    return redirect("requirements:edit", pk=copy.pk)


@login_required
@require_POST
def requirement_toggle(request, pk: int):
    obj = _manageable_requirement(request, pk)
    services.set_active(requirement=obj, user=request.user, active=not obj.active)
    if obj.active:
        messages.success(request, _("已启用：从现在起统计并出现在教师的任务中。"))
    else:
        messages.success(request, _("已停用：不再统计，已有记录保留。"))
    return redirect("requirements:detail", pk=obj.pk)


@login_required
@require_POST
def requirement_delete(request, pk: int):
    obj = _manageable_requirement(request, pk)
    try:
        services.delete_requirement(requirement=obj, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("requirements:detail", pk=obj.pk)
    messages.success(request, _("已删除“%(name)s”。") % {"name": obj.name})
    return redirect("requirements:list")


# ---- exemptions ---------------------------------------------------------------------------


@login_required
def exemption_list(request):
    _require_reader(request.user)
    user = request.user
    orgs = readable_orgs(user)
    org = orgs.filter(pk=org_id).first() if (org_id := query_id(request, "org")) else None
    requirements = visible(user, Requirement.objects.select_related("org")).order_by(
        "org__path", "pk"
    )
    today = timezone.localdate()
    filters = ExemptionFilter(
        request.GET,
        queryset=selectors.exemptions_list(user),
        orgs=orgs,
        requirements=requirements,
        today=today,
    )
    qs = filters.qs
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for e in page.object_list:
        e.can_end = can_manage_org(user, e.person.org) and e.end > today >= e.start
    return render(
        request,
        "rules/exemption_list.html",
        {
            "page": page,
            "filters": filters,
            "orgs": orgs if orgs.count() > 1 else [],
            "reasons": services.EXEMPTION_REASONS,
            "today": today,
            "filtered": filters.filtered,
            "create_org": _creatable_org(user, org),
        },
    )


@login_required
def exemption_new(request):
    org = managed_org(request)
    initial = {"start": timezone.localdate()}
    for name in ("person", "requirement"):
        if value := query_id(request, name):
            initial[name] = value
    form = ExemptionForm(request.POST or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exemption = services.add_exemption(user=request.user, **data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("已为%(person)s添加豁免（%(start)s 至 %(end)s）。")
                % {"person": exemption.person.name, "start": exemption.start, "end": exemption.end},
            )
            return redirect("requirements:exemptions")
    return render(
        request,
        "rules/exemption_form.html",
        {"form": form, "org": org, "reasons": services.EXEMPTION_REASONS},
    )


@login_required
@require_POST
def exemption_end(request, pk: int):
    """返岗: end an exemption today (or on ``on``)."""
    obj = get_object_or_404(
        visible(request.user, Exemption.objects.select_related("person__org")), pk=pk
    )
    if not can_manage_org(request.user, obj.person.org):
        raise PermissionDenied
    on = request.POST.get("on") or str(timezone.localdate())
    try:
        day = date.fromisoformat(on)
        services.end_exemption(exemption=obj, user=request.user, on=day)
    except ValueError:
        messages.error(request, _("日期格式应为 2026-09-01。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已结束%(person)s的豁免。") % {"person": obj.person.name})
    return redirect("requirements:exemptions")
