"""The filter bar of the 量化要求 list (django-filter, keshi.web.filters)."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from keshi.org.models import Org
from keshi.records.models import ActivityKind
from keshi.rules.models import Exemption, Requirement
from keshi.web.filters import ListFilterSet, SearchFilter


class RequirementFilter(ListFilterSet):
    q = SearchFilter(
        "name__icontains", "source_text__icontains", placeholder=gettext_lazy("名称或计划原文")
    )
    org = django_filters.ModelChoiceFilter(
        label=gettext_lazy("单位"),
        queryset=Org.objects.none(),
        empty_label=gettext_lazy("全部单位"),
        method="in_org",
    )
    kind = django_filters.ModelChoiceFilter(
        label=gettext_lazy("记录类型"),
        queryset=ActivityKind.objects.none(),
        empty_label=gettext_lazy("全部类型"),
        method="counts_kind",
    )
    period = django_filters.ChoiceFilter(
        label=gettext_lazy("周期"),
        choices=Requirement.Period.choices,
        empty_label=gettext_lazy("全部周期"),
    )
    active = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"),
        choices=[("1", gettext_lazy("启用")), ("0", gettext_lazy("已停用"))],
        empty_label=gettext_lazy("全部"),
        method="is_active",
    )

    class Meta:
        model = Requirement
        fields: list[str] = []

    def __init__(self, data, *, queryset, orgs, kinds) -> None:
        super().__init__(data, queryset=queryset)
        self.filters["org"].queryset = orgs
        self.filters["kind"].queryset = kinds
        if orgs.count() <= 1:
            del self.form.fields["org"]

    def in_org(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset

    def counts_kind(self, queryset, name, value):
        if value is None:
            return queryset
        through = Requirement.kinds.through.objects.filter(activitykind=value)
        return queryset.filter(pk__in=through.values("requirement_id"))

    def is_active(self, queryset, name, value):
        return queryset.filter(active=value == "1") if value in ("1", "0") else queryset


class ExemptionFilter(ListFilterSet):
    q = SearchFilter(
        "person__name__icontains",
        "person__staff_no__icontains",
        label=gettext_lazy("人员"),
        placeholder=gettext_lazy("姓名或工号"),
    )
    org = django_filters.ModelChoiceFilter(
        label=gettext_lazy("单位"),
        queryset=Org.objects.none(),
        empty_label=gettext_lazy("全部单位"),
        method="in_org",
    )
    requirement = django_filters.ModelChoiceFilter(
        label=gettext_lazy("量化要求"),
        queryset=Requirement.objects.none(),
        empty_label=gettext_lazy("全部"),
        method="covers",
    )
    reason = django_filters.CharFilter(
        label=gettext_lazy("原因"), lookup_expr="icontains", max_length=50
    )
    current = django_filters.BooleanFilter(
        label=gettext_lazy("仅今天生效的"),
        widget=forms.CheckboxInput(attrs={"value": "1"}),
        method="in_force",
    )

    class Meta:
        model = Exemption
        fields: list[str] = []

    def __init__(self, data, *, queryset, orgs, requirements, today: date) -> None:
        super().__init__(data, queryset=queryset)
        self.today = today
        self.filters["org"].queryset = orgs
        self.filters["requirement"].queryset = requirements
        self.form.fields["reason"].widget.attrs["list"] = "exemption-reasons"
        many = orgs.count() > 1
        if not many:
            del self.form.fields["org"]
        self.form.fields["requirement"].label_from_instance = (
            (lambda r: f"{r.org.name} · {r.name}") if many else (lambda r: r.name)
        )

    def in_org(self, queryset, name, value):
        return queryset.filter(person__org__path__startswith=value.path) if value else queryset

    def covers(self, queryset, name, value):
        """An exemption from every requirement covers this one too."""
        if value is None:
            return queryset
        return queryset.filter(Q(requirement=value) | Q(requirement__isnull=True))

    def in_force(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(start__lte=self.today, end__gte=self.today)
