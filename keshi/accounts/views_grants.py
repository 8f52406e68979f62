"""角色授权: office staff grant and revoke roles and set group leads, on a page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from keshi.accounts import grants
from keshi.accounts.filters import GrantFilter
from keshi.accounts.models import RoleGrant
from keshi.org.forms import ManagedOrgForm
from keshi.org.models import Group, Membership, Person
from keshi.org.scoping import manageable, scope_for
from keshi.web.forms import BootstrapMixin, add_validation_error, date_widget

PAGE_SIZE = 25


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.user.username}）" if obj.user_id else obj.name


class GrantForm(ManagedOrgForm):
    person = _PersonChoice(Person.objects.none(), label=gettext_lazy("人员（须已有登录账号）"))
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=RoleGrant.Role.choices)
    start = forms.DateField(label=gettext_lazy("起始日期"), required=False, widget=date_widget())
    end = forms.DateField(label=gettext_lazy("结束日期"), required=False, widget=date_widget())

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        people = Person.objects.filter(active=True, user__isnull=False).select_related("user")
        self.fields["person"].queryset = manageable(user, people).order_by("name", "pk")


class LeadForm(BootstrapMixin, forms.Form):
    group = forms.ModelChoiceField(Group.objects.none(), label=gettext_lazy("组"))
    person = _PersonChoice(Person.objects.none(), label=gettext_lazy("人员"))
    role = forms.ChoiceField(label=gettext_lazy("组内角色"), choices=Membership.Role.choices)
    start = forms.DateField(label=gettext_lazy("起始日期"), required=False, widget=date_widget())

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = manageable(user, Group.objects.select_related("org"))
        self.fields["group"].queryset = groups.order_by("org__path", "kind", "name")
        people = manageable(user, Person.objects.filter(active=True).select_related("user"))
        self.fields["person"].queryset = people.order_by("name", "pk")


def _require_manager(user) -> None:
    if not scope_for(user).manages:
        raise PermissionDenied


@login_required
def grant_list(request):
    _require_manager(request.user)
    posted = request.POST if request.method == "POST" else None
    grant_form = GrantForm(request.user, posted if "grant" in request.POST else None, prefix="g")
    lead_form = LeadForm(request.user, posted if "lead" in request.POST else None, prefix="l")
    if posted and (done := _post(request, grant_form, lead_form)):
        messages.success(request, done)
        return redirect("roles:list")
    rows = manageable(request.user, RoleGrant.every.select_related("user__person", "org"))
    filters = GrantFilter(request.GET, queryset=rows)
    rows = filters.qs
    rows = rows.order_by("org__path", "role", "user__username")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    leads = (
        manageable(
            request.user, Membership.objects.current().filter(role__in=Membership.LEAD_ROLES)
        )
        .select_related("group", "person")
        .order_by("group__kind", "group__name", "role")
    )
    return render(
        request,
        "accounts/grants.html",
        {
            "page": page,
            "filters": filters,
            "grant_form": grant_form,
            "lead_form": lead_form,
            "leads": leads,
        },
    )


def _post(request, grant_form: GrantForm, lead_form: LeadForm) -> str | None:
    if grant_form.is_bound and grant_form.is_valid():
        data = grant_form.cleaned_data
        try:
            grants.grant_role(by=request.user, **data)
        except ValidationError as e:
            add_validation_error(grant_form, e)
            return None
        return _("已授予%(name)s“%(role)s”（%(org)s）。") % {
            "name": data["person"].name,
            "role": RoleGrant.Role(data["role"]).label,
            "org": data["org"].name,
        }
    if lead_form.is_bound and lead_form.is_valid():
        data = lead_form.cleaned_data
        try:
            grants.set_group_role(by=request.user, **data)
        except ValidationError as e:
            add_validation_error(lead_form, e)
            return None
        return _("%(name)s现为%(group)s%(role)s。") % {
            "name": data["person"].name,
            "group": data["group"].name,
            "role": Membership.Role(data["role"]).label,
        }
    return None


@login_required
@require_POST
def grant_revoke(request, pk: int):
    grant = get_object_or_404(
        manageable(request.user, RoleGrant.every.select_related("org")), pk=pk
    )
    try:
        grants.revoke_role(by=request.user, grant=grant)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, _("已撤销：%(grant)s") % {"grant": grant})
    return redirect("roles:list")
