"""The filter bar of every list page: django-filter FilterSets with keshi's habits.

A list page's filters are typed by whoever sends the query string. :class:`ListFilterSet`
drops a value it cannot use (the page behaves as if it had not been given) instead of showing
an empty list, reads object ids through :func:`keshi.web.params.parse_id` before a
``ModelChoiceFilter`` sees them (``"²"`` or a 30-digit number must not reach the database), and
gives the widgets Bootstrap's small classes. Scoped querysets (``visible(user, …)``) are set by
the subclass in ``__init__``; the template tag ``{% filter_bar %}`` renders the form.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from keshi.web.params import parse_id


def style_widgets(form: forms.BaseForm) -> forms.BaseForm:
    """Bootstrap's small classes on every widget of ``form`` (idempotent)."""
    for field in form.fields.values():
        widget = field.widget
        if widget.attrs.get("class"):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control form-control-sm"
    return form


class SearchFilter(django_filters.CharFilter):
    """The search box (``q``): rows where any of ``lookups`` finds the stripped text."""

    def __init__(self, *lookups: str, placeholder: str = "", label=None, **kwargs) -> None:
        self.lookups = lookups
        kwargs.setdefault("max_length", 50)
        widget = forms.TextInput(attrs={"placeholder": placeholder})
        super().__init__(label=label or gettext_lazy("搜索"), widget=widget, **kwargs)

    def filter(self, qs, value):
        if not (value := (value or "").strip()):
            return qs
        match = Q()
        for lookup in self.lookups:
            match |= Q(**{lookup: value})
        return qs.filter(match)


class ChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter whose empty choice reads 全部 (every list's habit)."""

    def __init__(self, label, choices, **kwargs) -> None:
        kwargs.setdefault("empty_label", gettext_lazy("全部"))
        super().__init__(label=label, choices=choices, **kwargs)


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet whose invalid values are dropped, not fatal."""

    #: Query parameters the filter bar carries along unchanged (hidden fields), e.g. a sort.
    keep: tuple[str, ...] = ("sort",)

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None:
            data = data.copy()
            ids = [
                name
                for name, filter_ in self.base_filters.items()
                if isinstance(filter_, django_filters.ModelChoiceFilter)
            ]
            for name in ids:
                if data.get(name) and parse_id(data.get(name)) is None:
                    data.pop(name)
        super().__init__(data, *args, **kwargs)

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            style_widgets(super().form)
        return self._form

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self.form.is_valid()  # cleaned_data holds the valid fields only
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def filter_queryset(self, queryset):
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def filtered(self) -> bool:
        """Whether any filter narrows the list (the empty state then offers 清除筛选)."""
        self.form.is_valid()
        return any(value not in (None, "", [], False) for value in self.form.cleaned_data.values())
