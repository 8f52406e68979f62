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
            "points",
            "reimbursable",
            "reimbursement_note",
            "active",
        ]
        help_texts = {
            "points": _("加分填正数，扣分填负数；量化要求规则留空时取该要求的考核分值。"),
            "reimbursement_note": _("如：参赛费凭发票报销"),
        }

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.org = org
        self.fields["requirement"].queryset = Requirement.objects.filter(org=org).order_by("name")
        self.fields["kind"].queryset = ActivityKind.objects.filter(
            Q(org__isnull=True) | Q(org=org), active=True
        ).order_by("position", "code")

    def clean(self):
        data = super().clean()
        trigger = data.get("trigger")
        if trigger != PointRule.Trigger.RECORD_APPROVED:
            data["kind"], data["keyword"] = None, ""
        if trigger != PointRule.Trigger.CONTEST_AWARD:
            data["award_level"], data["contest_kind"] = "", ""
        if trigger not in (
            PointRule.Trigger.REQUIREMENT_MET,
            PointRule.Trigger.REQUIREMENT_MISSED,
        ):
            data["requirement"] = None
        return data
