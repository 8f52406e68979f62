"""The filter bars of the 登录账号 and 角色授权 lists (django-filter, keshi.web.filters)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy

from keshi.accounts.models import RoleGrant
from keshi.org.models import Person
from keshi.web.filters import ChoiceFilter, ListFilterSet, SearchFilter

LOGIN_STATES = [
    ("none", gettext_lazy("无账号")),
    ("initial", gettext_lazy("未改初始密码")),
    ("active", gettext_lazy("正常")),
    ("disabled", gettext_lazy("已停用")),
]


class LoginFilter(ListFilterSet):
    """People with their login state; ``queryset`` is annotated with ``initial``."""

    q = SearchFilter(
        "name__contains",
        "staff_no__contains",
        "user__username__contains",
        placeholder=gettext_lazy("姓名、工号、账号"),
    )
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"),
        choices=LOGIN_STATES,
        empty_label=gettext_lazy("全部"),
        method="in_state",
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def in_state(self, queryset, name, value):
        if value == "none":
            return queryset.filter(user__isnull=True)
        if value == "disabled":
            return queryset.filter(user__is_active=False)
        if value == "initial":
            return queryset.filter(user__is_active=True, initial=True)
        if value == "active":
            return queryset.filter(user__is_active=True, initial=False)
        return queryset


class GrantFilter(ListFilterSet):
    """Role grants; ``show=all`` includes the ended ones (the default is those in force)."""

    q = SearchFilter(
        "user__username__icontains",
        "user__person__name__icontains",
        "user__last_name__icontains",
        placeholder=gettext_lazy("姓名或账号"),
    )
    show = django_filters.ChoiceFilter(
        label=gettext_lazy("范围"),
        choices=[("all", gettext_lazy("全部（含已结束）"))],
        empty_label=gettext_lazy("生效中"),
        method="shown",
    )
    role = ChoiceFilter(gettext_lazy("角色"), RoleGrant.Role.choices)

    class Meta:
        model = RoleGrant
        fields: list[str] = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("show") != "all":
            queryset = queryset.filter(pk__in=RoleGrant.objects.values("pk"))
        return queryset

    def shown(self, queryset, name, value):
        return queryset  # applied in filter_queryset: the default (no value) narrows
