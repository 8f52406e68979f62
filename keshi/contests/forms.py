from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.checks.models import Rubric
from keshi.contests.models import Contest
from keshi.org.scoping import visible
from keshi.records.uploads import ACCEPT
from keshi.web.forms import BootstrapMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContestForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Contest
        fields = [
            "title",
            "kind",
            "rubric",
            "signup_start",
            "submit_start",
            "review_start",
            "notice_start",
            "result_date",
            "aggregation",
            "judges_per_entry",
            "quota_first",
            "quota_second",
            "quota_third",
            "quota_merit",
        ]
        widgets = {
            f: DATE
            for f in ("signup_start", "submit_start", "review_start", "notice_start", "result_date")
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = visible(user, Rubric.objects.filter(active=True))

    def clean(self):
        data = super().clean()
        dates = [data.get(f) for f in self.Meta.widgets]
        given = [d for d in dates if d]
        if given != sorted(given):
            raise forms.ValidationError(_("各阶段日期须按 报名 → 提交 → 评审 → 公示 → 结果 的顺序"))
        return data


class EntryForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("作品题目"), max_length=200)
    document = forms.FileField(
        label=_("作品文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Word、PDF 等；评审时评委看到的是去除姓名的副本"),
    )


class AssignForm(BootstrapMixin, forms.Form):
    judges = forms.ModelMultipleChoiceField(
        label=_("评委"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    per_entry = forms.IntegerField(label=_("每件作品评委数"), min_value=1, max_value=9)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = people


class GroupEntryForm(BootstrapMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("参评组"), queryset=None)
    title = forms.CharField(label=_("材料题目"), max_length=200)
    document = forms.FileField(
        label=_("材料文件"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
