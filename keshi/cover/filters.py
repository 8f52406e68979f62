"""The filter bar of the 外出/请假 list (django-filter, keshi.web.filters)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy

from keshi.cover.models import Absence
from keshi.web.filters import ChoiceFilter, ListFilterSet, SearchFilter


class AbsenceFilter(ListFilterSet):
    """Absences the user may see (``queryset`` from ``selectors.visible_absences``)."""

    q = SearchFilter(
        "person__name__icontains", "title__icontains", placeholder=gettext_lazy("教师姓名或事由")
    )
    kind = ChoiceFilter(gettext_lazy("类型"), Absence.Kind.choices)
    reference = django_filters.CharFilter(
        label=gettext_lazy("来源"), method="from_reference", max_length=50
    )

    class Meta:
        model = Absence
        fields: list[str] = []

    def __init__(self, data, *, queryset) -> None:
        super().__init__(data, queryset=queryset)
        self.form.fields["reference"].widget.attrs["placeholder"] = "dispatch:12"

    def from_reference(self, queryset, name, value):
        return queryset.filter(reference=value.strip()) if value.strip() else queryset
