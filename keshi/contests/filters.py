"""The filter bar of the 评比 list (django-filter, keshi.web.filters)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy

from keshi.contests.models import Contest
from keshi.web.filters import ListFilterSet


class ContestFilter(ListFilterSet):
    """Contests the user may see (``queryset`` from ``selectors.contests_for``)."""

    q = django_filters.CharFilter(
        label=gettext_lazy("搜索"), field_name="title", lookup_expr="icontains", max_length=50
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("类别"), choices=Contest.Kind.choices, empty_label=gettext_lazy("全部")
    )
    phase = django_filters.ChoiceFilter(
        label=gettext_lazy("阶段"), choices=Contest.Phase.choices, empty_label=gettext_lazy("全部")
    )

    class Meta:
        model = Contest
        fields: list[str] = []

    def __init__(self, data, *, queryset) -> None:
        super().__init__(data, queryset=queryset)
        self.form.fields["q"].widget.attrs["placeholder"] = gettext_lazy("评比名称")
