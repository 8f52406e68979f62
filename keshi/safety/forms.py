from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from keshi.org.models import Person
from keshi.safety import selectors
from keshi.safety.models import Category, IncidentReport, Severity, Status
from keshi.web.filters import ChoiceFilter, ListFilterSet, SearchFilter, style_widgets


class ReportForm(forms.ModelForm):
    class Meta:
        model = IncidentReport
        fields = [
            "department",
            "occurred_on",
            "place",
            "category",
            "severity",
            "title",
            "description",
            "measures",
        ]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "description": gettext_lazy("写清时间、经过和后果；患者只写病案号或床号，不写姓名。"),
            "severity": gettext_lazy(
                "Ⅰ级：造成患者死亡；Ⅱ级：造成患者伤害；Ⅲ级：发生在患者身上但未造成伤害；"
                "Ⅳ级：未发生在患者身上的隐患。"
            ),
        }

    def __init__(self, *args, reporter: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        departments = selectors.departments_of(reporter)
        self.fields["department"].queryset = departments
        self.fields["department"].empty_label = None
        self.fields["department"].required = departments.exists()
        if not departments.exists():
            del self.fields["department"]
        style_widgets(self)


class HandleForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("处理"),
        choices=[
            (Status.ACCEPTED, gettext_lazy("受理（正在调查处理）")),
            (Status.CLOSED, gettext_lazy("处理完毕")),
        ],
    )
    handling = forms.CharField(
        label=gettext_lazy("处理意见"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ReportFilter(ListFilterSet):
    """Reports the user may read (``queryset`` from ``selectors.reports_for``)."""

    q = SearchFilter(
        "title__icontains",
        "description__icontains",
        "reporter__name",
        placeholder=gettext_lazy("事件简述、经过或上报人"),
    )
    category = ChoiceFilter(gettext_lazy("类别"), Category.choices)
    severity = ChoiceFilter(gettext_lazy("等级"), Severity.choices)
    status = ChoiceFilter(gettext_lazy("状态"), Status.choices)

    class Meta:
        model = IncidentReport
        fields: list[str] = []
