"""The filter bar of the 评比 list (django-filter, keshi.web.filters)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy

from keshi.contests.models import Contest
from keshi.web.filters import ListFilterSet, SearchFilter


class ContestFilter(ListFilterSet):
    """Contests the user may see (``queryset`` from ``selectors.contests_for``)."""

    q = SearchFilter("title__icontains", placeholder=gettext_lazy("评比名称"))
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("类别"), choices=Contest.Kind.choices, empty_label=gettext_lazy("全部")
    )
    phase = django_filters.ChoiceFilter(
        label=gettext_lazy("阶段"), choices=Contest.Phase.choices, empty_label=gettext_lazy("全部")
    )

    class Meta:
        model = Contest
        fields: list[str] = []
