"""The filter bar of the 外出培训 list (django-filter, keshi.web.filters)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from keshi.dispatch.models import Dispatch, State
from keshi.web.filters import ChoiceFilter, ListFilterSet, SearchFilter


class DispatchFilter(ListFilterSet):
    """Dispatches the user may see (``queryset`` from ``selectors.dispatches_for``). A search
    by a teacher's name joins the members: the view takes the rows ``distinct()``."""

    q = SearchFilter(
        "title__icontains",
        "organiser__icontains",
        "members__person__name",
        placeholder=gettext_lazy("培训名称、主办单位或教师姓名"),
    )
    state = ChoiceFilter(gettext_lazy("状态"), State.choices)

    class Meta:
        model = Dispatch
        fields: list[str] = []
