"""Forms of what a revealed draw is used for (keshi.checks.draw_work)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keshi.checks import selectors
from keshi.checks.models import Inspection
from keshi.groupwork.models import OpenClass
from keshi.org.scoping import visible
from keshi.web.forms import BootstrapMixin, date_widget


def _monday():
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def _friday():
    return _monday() + timedelta(days=4)


class DropInForm(BootstrapMixin, forms.Form):
    observers = forms.ModelMultipleChoiceField(
        label=_("听课人"),
        queryset=None,
        help_text=_("可多选：如抽签人、教科室人员、分管领导。每位听课人听每位抽中教师的一节课。"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    start = forms.DateField(label=_("开始日期"), initial=_monday, widget=date_widget())
    due = forms.DateField(label=_("截止日期"), initial=_friday, widget=date_widget())

    def __init__(self, *args, user, draw, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observers"].queryset = selectors.drawer_choices(user, draw.org)
        if draw.drawer_id:
            self.fields["observers"].initial = [draw.drawer_id]

    def clean(self):
        data = super().clean()
        start, due = data.get("start"), data.get("due")
        if start and due and due < start:
            raise ValidationError({"due": _("截止日期不能早于开始日期。")})
        if start and due and (due - start).days > 31:
            raise ValidationError({"due": _("听课期限最长一个月。")})
        return data


class InspectionChoiceForm(BootstrapMixin, forms.Form):
    inspection = forms.ModelChoiceField(label=_("检查"), queryset=None)

    def __init__(self, *args, user, draw, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = (
            selectors.inspections_for(user)
            .filter(org=draw.org)
            .exclude(status=Inspection.Status.COMPLETED)
            .order_by("-pk")
        )


class OpenClassChoiceForm(BootstrapMixin, forms.Form):
    open_class = forms.ModelChoiceField(label=_("公开课"), queryset=None)

    def __init__(self, *args, user, draw, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        qs = visible(user, OpenClass.objects.filter(org=draw.org, closed_at__isnull=True))
        self.fields["open_class"].queryset = qs.select_related("teacher").order_by("-date")
        self.fields["open_class"].label_from_instance = lambda oc: (
            f"{oc.date:%Y-%m-%d} 第{oc.period}节 {oc.teacher.name} {oc.kind}《{oc.topic}》"
        )
