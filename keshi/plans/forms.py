"""Forms for plans. They validate and hand clean values to keshi.plans.services, which write
(and validate again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.calendar.models import SchoolYear, Term
from keshi.org.models import Group, Org, Person
from keshi.plans.imports import MAX_BYTES
from keshi.plans.models import PlanSection
from keshi.web.forms import BootstrapMixin


class PlanForm(BootstrapMixin, forms.Form):
    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        error_messages={"required": _("请填写计划标题。")},
        help_text=_("如“2025学年第一学期教科室工作计划”。"),
    )
    term = forms.ModelChoiceField(
        label=_("学期"), queryset=Term.objects.none(), required=False, empty_label=_("（不限学期）")
    )
    school_year = forms.ModelChoiceField(
        label=_("学年"),
        queryset=SchoolYear.objects.none(),
        required=False,
        empty_label=_("（不限学年）"),
        help_text=_("学期计划选学期；学年计划（如年度计划）选学年。"),
    )
    group = forms.ModelChoiceField(
        label=_("所属科室"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("（全单位）"),
        help_text=_("由哪个科室或组制订、负责。"),
    )

    def __init__(self, *args, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = (
            Term.objects.filter(school_year__org=org)
            .select_related("school_year")
            .order_by("-start")
        )
        self.fields["school_year"].queryset = SchoolYear.objects.filter(org=org).order_by(
            "-start_year"
        )
        self.fields["group"].queryset = Group.objects.filter(org=org).order_by("kind", "name")

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("term") and not data.get("school_year") and "term" not in self.errors:
            self.add_error("term", _("请选择计划所属的学期或学年。"))
        return data


class SectionForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PlanSection.Kind.choices)
    title = forms.CharField(
        label=_("标题"), max_length=200, error_messages={"required": _("请填写章节标题。")}
    )
    body = forms.CharField(
        label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )


class DutyForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(
        label=_("负责人"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("（从本单位人员中选择）"),
    )
    person_name = forms.CharField(
        label=_("或填写姓名"),
        max_length=100,
        required=False,
        help_text=_("系统里没有此人时填写，如“xx”或校外人员。"),
    )
    responsibility = forms.CharField(
        label=_("职责"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写职责。")},
    )

    def __init__(self, *args, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(org=org, active=True).order_by(
            "name", "pk"
        )
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.name}（{p.staff_no}）" if p.staff_no else p.name
        )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("person") and not (data.get("person_name") or "").strip():
            self.add_error("person", _("请选择负责人，或填写负责人姓名。"))
        return data


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("计划文件"),
        help_text=_("Word 文档（.docx）或文本文件（.txt，UTF-8 或 GBK 编码），不超过 %(mb)d MB。")
        % {"mb": MAX_BYTES // 1048576},
        error_messages={"required": _("请选择要导入的计划文件。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
    )


class DismissForm(forms.Form):
    note = forms.CharField(label=_("备注"), max_length=500, required=False)
