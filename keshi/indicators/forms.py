from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keshi.indicators.models import Indicator, YearTarget
from keshi.org.models import Group
from keshi.org.scoping import manageable, scope_for
from keshi.web.forms import BootstrapMixin

FIELDS = [
    "group", "name", "unit", "kind", "factor", "numerator_label", "denominator_label",
    "direction", "comparator", "target", "growth", "period", "may_exceed_100",
]  # fmt: skip


def setup_groups(user):
    """The departments whose indicators ``user`` sets up: all of a managed org's, or the ones
    they head."""
    scope = scope_for(user)
    managed = manageable(user, Group.objects.all()).values("pk")
    return (
        Group.objects.filter(Q(pk__in=managed) | Q(pk__in=scope.lead_group_ids))
        .select_related("org")
        .order_by("org__path", "kind", "name")
    )


class IndicatorForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = FIELDS
        labels = {"group": _("科室"), "unit": _("计量单位（如 天、人次；比率可不填）")}

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = setup_groups(user)
        self.fields["target"].help_text = _("比率按显示单位填写，如 85 表示 85%。")

    def clean(self):
        data = super().clean()
        group, name = data.get("group"), data.get("name")
        clash = Indicator.objects.filter(group=group, name=name).exclude(pk=self.instance.pk)
        if group and name and clash.exists():
            self.add_error("name", _("本科室已有同名指标。"))
        return data


class YearTargetForm(BootstrapMixin, forms.ModelForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    class Meta:
        model = YearTarget
        fields = ["year", "comparator", "target", "growth"]
        help_texts = {"growth": _("填写后按上年同期实际值 ×（1+增长率）考核，目标值不用。")}

    def clean_target(self):
        target = self.cleaned_data.get("target")
        if target is not None and target < 0:
            raise forms.ValidationError(_("目标值不能为负数。"))
        return target
