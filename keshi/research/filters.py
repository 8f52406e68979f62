"""The filter bar of the 课题 / 新技术新项目 list (django-filter, keshi.web.filters)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from keshi.research import lifecycle
from keshi.research.models import Level, ResearchProject, Status
from keshi.web.filters import ChoiceFilter, ListFilterSet, SearchFilter


class ProjectFilter(ListFilterSet):
    """Projects of one kind the user may see (``queryset`` from ``selectors.projects_for``);
    the statuses offered are that kind's own."""

    keep = ("sort", "kind")
    q = SearchFilter(
        "title__icontains", "leader__name", placeholder=gettext_lazy("课题名称或主持人")
    )
    level = ChoiceFilter(gettext_lazy("级别"), Level.choices)
    status = ChoiceFilter(gettext_lazy("状态"), Status.choices)

    class Meta:
        model = ResearchProject
        fields: list[str] = []

    def __init__(self, data=None, *args, kind: str = "research", **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        flow = lifecycle.FLOWS[kind]
        statuses = set().union(flow.stages, *flow.transitions.values())
        self.filters["status"].extra["choices"] = [
            (code, label) for code, label in Status.choices if code in statuses
        ]
