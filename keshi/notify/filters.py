"""The filter bar of the 通知 inbox (django-filter, keshi.web.filters)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy

from keshi.notify.models import Notification
from keshi.web.filters import ListFilterSet, SearchFilter


class InboxFilter(ListFilterSet):
    """One user's notifications (``queryset`` comes from ``selectors.inbox``)."""

    q = SearchFilter("title__icontains", "body__icontains", placeholder=gettext_lazy("标题或内容"))
    unread = django_filters.BooleanFilter(
        label=gettext_lazy("仅未读"),
        widget=forms.CheckboxInput(attrs={"value": "1"}),
        method="only_unread",
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def only_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=True) if value else queryset

    @property
    def unread_only(self) -> bool:
        self.form.is_valid()
        return bool(self.form.cleaned_data.get("unread"))
