from decimal import Decimal, InvalidOperation

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

    def __init__(self, *args, require_document: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].required = require_document
        if not require_document:
            self.fields["title"].label = _("参赛科目/说明")
            self.fields["document"].help_text = _("学科竞赛报名无需上传作品")


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


class ContestEditForm(ContestForm):
    """The kind is fixed once created (entry codes carry its prefix)."""

    class Meta(ContestForm.Meta):
        fields = [f for f in ContestForm.Meta.fields if f != "kind"]


class RoundForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("轮次名称"),
        max_length=20,
        required=False,
        help_text=_("留空按顺序为 预赛、复赛、决赛"),
    )
    advance_top = forms.IntegerField(
        label=_("晋级人数（前 N 名，并列同进）"), min_value=1, required=False
    )
    advance_line = forms.DecimalField(
        label=_("晋级分数线（含本数）"), min_value=0, max_digits=8, decimal_places=2, required=False
    )


def parse_round_scores(data, entry_ids, labels: dict[int, str]):
    """``s<entry id>`` fields → ({entry id: Decimal | None}, [Chinese errors]). Blank = 缺考."""
    scores, errors = {}, []
    for entry_id in entry_ids:
        raw = (data.get(f"s{entry_id}") or "").strip()
        if not raw:
            scores[entry_id] = None
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            errors.append(
                _("%(code)s 的成绩“%(raw)s”不是数字") % {"code": labels[entry_id], "raw": raw}
            )
            continue
        if not value.is_finite() or value < 0 or value >= Decimal("1000000"):
            errors.append(_("%(code)s 的成绩须为 0 以上的数") % {"code": labels[entry_id]})
            continue
        scores[entry_id] = value.quantize(Decimal("0.01"))
    return scores, errors
