from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.org.models import Person
from keshi.records.forms import MultipleFileField
from keshi.research import lifecycle
from keshi.research.models import ResearchProject, Stage
from keshi.web.forms import BootstrapMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(BootstrapMixin, forms.ModelForm):
    core_members = forms.ModelMultipleChoiceField(
        label=_("核心成员"), queryset=Person.objects.none(), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("成员"), queryset=Person.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("申报截止日期"), required=False, widget=DATE)

    class Meta:
        model = ResearchProject
        fields = ["title", "level", "category", "leader", "funding", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}
        error_messages = {"title": {"required": _("请填写课题名称")}}

    def __init__(
        self, *args, org, leader_fixed: Person | None = None, kind: str = "research", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if kind == "new_tech":
            self.fields["title"].label = _("项目名称")
        people = Person.objects.filter(org=org, active=True).order_by("name")
        for name in ("leader", "core_members", "members"):
            self.fields[name].queryset = people
        self.fields["leader"].label_from_instance = lambda p: p.name
        if leader_fixed is not None:
            del self.fields["leader"]
            self.instance.leader = leader_fixed
        if self.instance.pk:
            del self.fields["due_date"]
            roles = dict(self.instance.memberships.values_list("person_id", "role"))
            self.initial["core_members"] = [p for p, r in roles.items() if r == "core"]
            self.initial["members"] = [p for p, r in roles.items() if r == "member"]
        self.fields["funding"].min_value = 0

    def clean_funding(self):
        value = self.cleaned_data.get("funding")
        if value is not None and value < 0:
            raise forms.ValidationError(_("经费不能为负数"))
        return value or 0

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结题日期不能早于开始日期"))
        return data


class SubmitForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, stage: Stage, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        have = set(stage.documents.values_list("label", flat=True))
        for i, label in enumerate(stage.required_documents):
            self.fields[f"doc{i}"] = MultipleFileField(label=label, required=False)
            if label in have:
                self.fields[f"doc{i}"].help_text = _("已上传；可补充新版本")
        self.labels = list(stage.required_documents)

    def clean(self):
        data = super().clean()
        files = []
        for i, label in enumerate(self.labels):
            for name, content, content_type in data.get(f"doc{i}") or []:
                files.append((label, name, content, content_type))
        if not files and not self.errors:
            raise forms.ValidationError(_("请至少上传一份材料"))
        data["files"] = files
        return data


class ReviewForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[(Stage.Decision.PASSED, _("通过")), (Stage.Decision.RETURNED, _("退回"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea)

    def clean(self):
        data = super().clean()
        if data.get("decision") == Stage.Decision.RETURNED and not data.get("comment"):
            self.add_error("comment", _("退回时请写明意见"))
        return data


class StatusForm(BootstrapMixin, forms.Form):
    target = forms.ChoiceField(
        label=_("变更为"),
        choices=[
            (lifecycle.EXTENDED, _("延期")),
            (lifecycle.WITHDRAWN, _("撤项")),
        ],
    )
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label=_("新的截止日期（延期）"), required=False, widget=DATE)

    def __init__(self, *args, flow: lifecycle.Lifecycle = lifecycle.RESEARCH, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if lifecycle.EXTENDED not in set().union(*flow.transitions.values()):
            self.fields["target"].choices = [(lifecycle.WITHDRAWN, _("撤项"))]
            del self.fields["due_date"]
