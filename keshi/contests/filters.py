"""The filter bar of the 评比 list (django-filter, keshi.web.filters)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from keshi.contests.models import Contest
from keshi.web.filters import ChoiceFilter, ListFilterSet, SearchFilter


class ContestFilter(ListFilterSet):
    """Contests the user may see (``queryset`` from ``selectors.contests_for``)."""

    q = SearchFilter("title__icontains", placeholder=gettext_lazy("评比名称"))
    kind = ChoiceFilter(gettext_lazy("类别"), Contest.Kind.choices)
    phase = ChoiceFilter(gettext_lazy("阶段"), Contest.Phase.choices)

    class Meta:
        model = Contest
        fields: list[str] = []
