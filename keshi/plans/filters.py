"""The filter bars of the plan lists (django-filter, keshi.web.filters)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy

from keshi.calendar.models import Term
from keshi.org.models import Group, Org
from keshi.plans.models import Plan
from keshi.web.filters import ChoiceFilter, ListFilterSet, SearchFilter


class PlanFilter(ListFilterSet):
    q = SearchFilter(
        "title__icontains", "source_name__icontains", placeholder=gettext_lazy("标题或导入文件名")
    )
    org = django_filters.ModelChoiceFilter(
        label=gettext_lazy("单位"),
        queryset=Org.objects.none(),
        empty_label=gettext_lazy("全部单位"),
    )
    term = django_filters.ModelChoiceFilter(
        label=gettext_lazy("学期"),
        queryset=Term.objects.none(),
        empty_label=gettext_lazy("全部学期"),
    )
    group = django_filters.ModelChoiceFilter(
        label=gettext_lazy("科室"), queryset=Group.objects.none(), empty_label=gettext_lazy("全部")
    )
    status = ChoiceFilter(gettext_lazy("状态"), Plan.Status.choices)

    class Meta:
        model = Plan
        fields: list[str] = []

    def __init__(self, data, *, queryset, orgs, terms, groups) -> None:
        super().__init__(data, queryset=queryset)
        self.filters["org"].queryset = orgs
        self.filters["term"].queryset = terms
        self.filters["group"].queryset = groups
        if orgs.count() <= 1:
            del self.form.fields["org"]


class DocumentFilter(ListFilterSet):
    q = SearchFilter(
        "title__icontains",
        "org__name__icontains",
        label=gettext_lazy("计划"),
        placeholder=gettext_lazy("标题或单位"),
    )

    class Meta:
        model = Plan
        fields: list[str] = []
