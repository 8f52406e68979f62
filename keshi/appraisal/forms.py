from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keshi.appraisal.models import PointRule
from keshi.records.models import ActivityKind
from keshi.rules.models import Requirement
from keshi.web.forms import BootstrapMixin


class ManualEntryForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("教师"), queryset=None)
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    points = forms.DecimalField(label=_("分值（扣分填负数）"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("事由"), max_length=200)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class PointRuleForm(BootstrapMixin, forms.ModelForm):
    """Office staff's rule form; the model's ``clean`` gives the per-trigger errors."""

    class Meta:
        model = PointRule
        fields = [
            "name",
            "trigger",
            "requirement",
            "kind",
            "keyword",
            "award_level",
            "contest_kind",
            "inspection_kind",
            "inspection_level",
            "percent_min",
            "percent_max",
            "points",
            "reimbursable",
            "reimbursement_note",
            "active",
        ]
        help_texts = {
            "inspection_level": _(
                "检查结果的等级，与评分表的等级名称一致，如“优秀”“不合格”；与得分率区间二选一。"
            ),
            "percent_min": _("含本数：填 90 即“90% 以上”（90% 也算）。留空表示不设下限。"),
            "percent_max": _("含本数：填 60 即“60% 以下”（60% 也算）。留空表示不设上限。"),
            "points": _("加分填正数，扣分填负数；量化要求规则留空时取该要求的考核分值。"),
            "reimbursement_note": _("如：参赛费凭发票报销"),
        }

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.org = org
        self.fields["requirement"].queryset = Requirement.objects.filter(org=org).order_by("name")
        self.fields["kind"].queryset = (
            ActivityKind.objects.filter(Q(org__isnull=True) | Q(org=org), active=True)
            .offered_to(org)
            .order_by("position", "code")
        )

    def clean(self):
        data = super().clean()
        trigger = data.get("trigger")
        if trigger != PointRule.Trigger.RECORD_APPROVED:
            data["kind"], data["keyword"] = None, ""
        if trigger != PointRule.Trigger.CONTEST_AWARD:
            data["award_level"], data["contest_kind"] = "", ""
        if trigger != PointRule.Trigger.INSPECTION_RESULT:
            data["inspection_kind"], data["inspection_level"] = "", ""
            data["percent_min"] = data["percent_max"] = None
        if trigger not in (
            PointRule.Trigger.REQUIREMENT_MET,
            PointRule.Trigger.REQUIREMENT_MISSED,
        ):
            data["requirement"] = None
        return data
