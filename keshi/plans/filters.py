"""The filter bars of the plan lists (django-filter, keshi.web.filters)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from keshi.calendar.models import Term
from keshi.org.models import Group, Org
from keshi.plans.models import Plan
from keshi.web.filters import ListFilterSet


def _search(*fields: str):
    def search(self, queryset, name, value):
        if not (value := value.strip()):
            return queryset
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": value})
        return queryset.filter(match)

    return search


class PlanFilter(ListFilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("搜索"), method="search", max_length=50)
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
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=Plan.Status.choices, empty_label=gettext_lazy("全部")
    )

    class Meta:
        model = Plan
        fields: list[str] = []

    search = _search("title", "source_name")

    def __init__(self, data, *, queryset, orgs, terms, groups) -> None:
        super().__init__(data, queryset=queryset)
        self.filters["org"].queryset = orgs
        self.filters["term"].queryset = terms
        self.filters["group"].queryset = groups
        self.form.fields["q"].widget.attrs["placeholder"] = gettext_lazy("标题或导入文件名")
        if orgs.count() <= 1:
            del self.form.fields["org"]


class DocumentFilter(ListFilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("计划"), method="search", max_length=50)

    class Meta:
        model = Plan
        fields: list[str] = []

    search = _search("title", "org__name")

    def __init__(self, data, *, queryset) -> None:
        super().__init__(data, queryset=queryset)
        self.form.fields["q"].widget.attrs["placeholder"] = gettext_lazy("标题或单位")
