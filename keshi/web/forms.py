"""Shared form behaviour: Bootstrap classes, and text without control characters.

:func:`strip_control_chars_from_forms` (installed once by ``keshi.web.apps.WebConfig.ready``)
makes ``forms.CharField.to_python`` drop the control characters no export can hold
(``keshi.documents.text``) before anything else looks at the value. It is a hook on the class,
not a base class to inherit, because it must reach *every* text field — plain forms, ModelForms
(their CharField/TextField form fields), the kinds' generated fields, the admin and django's own
forms — and a form that forgot a mixin would let the characters in again. Subclasses that call
``super().to_python`` (URLField, SlugField, EmailField, UsernameField …) are covered too.
Password inputs are left as typed: a password must match what was set before, and is never
exported.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.documents.text import strip_control_chars

_char_field_to_python = forms.CharField.to_python


def _to_python(self: forms.CharField, value):
    if isinstance(value, str) and not isinstance(self.widget, forms.PasswordInput):
        value = strip_control_chars(value)
    return _char_field_to_python(self, value)


def strip_control_chars_from_forms() -> None:
    """Install the hook (idempotent)."""
    forms.CharField.to_python = _to_python


class BootstrapMixin:
    """Give every widget Bootstrap's classes; mark invalid fields once the form is validated."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                base = "form-check-input"
            elif isinstance(widget, forms.Select):
                base = "form-select"
            else:
                base = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {base}".strip()

    def __getitem__(self, name: str):
        # At rendering, when the form's own __init__ has set the field's queryset.
        field = self.fields.get(name)
        if field is not None and _picks_people(field):
            field.widget.attrs.setdefault("data-search", "1")
            field.widget.attrs.setdefault("data-no-results", _("没有匹配的人员"))
            field.widget.attrs.setdefault("data-placeholder", _("输入姓名或工号搜索"))
        return super().__getitem__(name)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


def _picks_people(field) -> bool:
    """A choice of people (师傅与徒弟, 授权的人员, 整改责任人…): searchable by typing
    (static/web/pickers.js), since a school's staff is too long a list to scroll on a phone."""
    queryset = getattr(field, "queryset", None)
    return (
        queryset is not None
        and queryset.model._meta.label == "org.Person"
        and isinstance(field.widget, forms.Select)  # a SelectMultiple too
    )


def date_widget() -> forms.DateInput:
    """<input type=date> needs ISO values whatever the language's date format."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_validation_error(form: forms.Form, error) -> None:
    """A service's ``ValidationError`` onto ``form``: keyed messages on their fields (the rest on
    the form), unkeyed ones on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def default_to_current_term(field: forms.ModelChoiceField) -> None:
    """Open a term picker on the term holding today (else the latest begun), not on "-------";
    a form's own initial (an instance being edited) still wins."""
    if field.initial is not None:
        return
    today = timezone.localdate()
    terms = field.queryset
    term = terms.filter(start__lte=today, end__gte=today).first()
    term = term or terms.filter(start__lte=today).order_by("-start").first()
    if term is not None:
        field.initial = term.pk
