"""Forms for requirements and exemptions. They validate and hand clean values to
keshi.rules.services, which write (and validate again)."""

from __future__ import annotations

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _

from keshi.org.models import Group, Org, Person, Tag
from keshi.rules import services
from keshi.rules.models import Exemption, Requirement
from keshi.rules.selectors_manage import kinds_for
from keshi.web.forms import BootstrapMixin

RANGE_HELP = {
    "teaching_years_min": _("含本数：“十年教龄以上”填 10；“教龄超过十年”填 11。"),
    "teaching_years_max": _("含本数：“教龄不足三年”“不满三年”填 2；“三年以下（以内）”填 3。"),
    "age_min": _("含本数：“50周岁以上”填 50；“超过50周岁”填 51。"),
    "age_max": _("含本数：“40周岁以下”填 40；“不满40周岁”填 39。"),
}


class _KindChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        own = _("，本单位") if obj.org_id else ""
        return f"{obj.label}（{obj.get_unit_display()}{own}）"


CAP_ROWS = 3  # caps inside a rule the form offers (其中读书心得最多计1篇…)


class RequirementForm(BootstrapMixin, forms.ModelForm):
    """The rule's fields, plus up to :data:`CAP_ROWS` caps inside it (``cap_kind_N`` and
    ``cap_limit_N``), handed on as ``kind_caps``."""

    kinds = _KindChoice(
        queryset=None,
        label=_("记录类型"),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # not for 按检查统计; keshi.rules.services.rule_errors asks for it
    )

    class Meta:
        model = Requirement
        fields = [
            "name",
            "source_text",
            "kinds",
            "measure",
            "item_min_chars",
            "comparator",
            "threshold",
            "period",
            "deadline",
            "groups",
            "group_role",
            "tags",
            "teaching_years_min",
            "teaching_years_max",
            "age_min",
            "age_max",
            "mentorship",
            "owner",
            "owner_group_kind",
            "owner_role",
            "source",
            "inspection_kind",
            "effective_from",
            "points",
            "active",
        ]
        widgets = {
            "source_text": forms.Textarea(attrs={"rows": 2}),
            "groups": forms.CheckboxSelectMultiple,
            "tags": forms.CheckboxSelectMultiple,
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "source_text": _("粘贴工作计划中的原句，如“教龄不足三年者每学期听课不得少于15次”。"),
            "item_min_chars": _("如“每篇不少于800字”填 800：不足的不计数。留空为不限。"),
            "groups": _("不选为全校；选了则只适用于这些组的成员。"),
            "tags": _("不选为不限；选了则只适用于带其中任一标签的人。"),
            "points": _("达标时计入年度考核的分值，0 为不计分。"),
            "owner": _(
                "每人：适用对象中每人各一份；按组：每个组一份，统计组内已结束的教研活动；"
                "按角色：担任该角色（角色授权）的人各一份，按担任的日期折算。"
            ),
            "owner_role": _("按角色考核时必填，如“校长每学期听课不少于N节”选学校领导。"),
            "source": _("按检查统计：本人作为检查人完成的检查，条数为检查次数，数量合计为人次。"),
            "active": _("停用后不再统计，也不出现在教师的任务中。"),
            **RANGE_HELP,
        }
        error_messages = {
            "name": {"required": _("请填写名称。")},
            "threshold": {
                "required": _("请填写数量。"),
                "invalid": _("请填写数字。"),
            },
        }

    def __init__(self, *args, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        if not self.instance.pk and "effective_from" not in self.initial:
            self.initial["effective_from"] = services.default_effective_from()
        self.fields["kinds"].queryset = kinds_for(org)
        self.fields["groups"].queryset = Group.objects.filter(org=org).order_by("kind", "name")
        tags = Tag.objects.filter(people__org=org)
        if self.instance.pk:
            tags = tags | Tag.objects.filter(requirements=self.instance)
        self.fields["tags"].queryset = tags.distinct().order_by("name")
        for name, (low, high) in {
            "teaching_years_min": (0, 60),
            "teaching_years_max": (0, 60),
            "age_min": (16, 80),
            "age_max": (16, 80),
        }.items():
            field = self.fields[name]
            field.min_value, field.max_value = low, high
            field.validators += [
                validators.MinValueValidator(low),
                validators.MaxValueValidator(high),
            ]
            field.widget.attrs.update(min=low, max=high)
        self.fields["group_role"].choices = [("", _("全体成员"))] + list(
            Requirement._meta.get_field("group_role").choices
        )
        for name in ("kinds", "groups", "tags"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        # Older posts (and the plan-suggestion page) leave these out: 每人, 工作记录.
        for name, empty in (("owner_group_kind", _("不限")), ("owner_role", _("不限"))):
            self.fields[name].choices = [("", empty)] + list(
                Requirement._meta.get_field(name).choices
            )
        self.fields["inspection_kind"].choices = [("", _("所有类型"))] + list(
            Requirement._meta.get_field("inspection_kind").choices
        )
        for name in ("owner", "source"):
            self.fields[name].required = False
        self.fields["threshold"].widget.attrs["min"] = "0"
        self._add_cap_fields()

    def _add_cap_fields(self) -> None:
        if self.instance.pk:
            caps = [(c.kind_id, c.limit) for c in self.instance.kind_caps.all()]
        else:
            caps = [
                (getattr(kind, "pk", kind), limit)
                for kind, limit in self.initial.get(services.CAPS) or []
            ]
        for i in range(1, CAP_ROWS + 1):
            kind = forms.ModelChoiceField(
                queryset=kinds_for(self.org),
                required=False,
                label=_("其中（记录类型）"),
                empty_label=_("不设"),
            )
            kind.label_from_instance = lambda k: k.label
            kind.widget.attrs["class"] = "form-select"
            limit = forms.DecimalField(
                required=False,
                label=_("最多计入"),
                max_digits=10,
                decimal_places=2,
                min_value=0.01,
                error_messages={
                    "invalid": _("请填写数字。"),
                    "min_value": _("计入上限必须大于 0。"),
                },
                widget=forms.NumberInput(
                    attrs={"min": "0", "step": "any", "class": "form-control"}
                ),
            )
            self.fields[f"cap_kind_{i}"], self.fields[f"cap_limit_{i}"] = kind, limit
            if i <= len(caps):
                self.initial[f"cap_kind_{i}"], self.initial[f"cap_limit_{i}"] = caps[i - 1]

    @property
    def cap_rows(self) -> list[tuple]:
        """(kind field, limit field) per cap row, for the template."""
        return [(self[f"cap_kind_{i}"], self[f"cap_limit_{i}"]) for i in range(1, CAP_ROWS + 1)]

    def _clean_caps(self, data: dict) -> list[tuple]:
        caps = []
        for i in range(1, CAP_ROWS + 1):
            kind, limit = data.get(f"cap_kind_{i}"), data.get(f"cap_limit_{i}")
            if kind is not None and limit is None and f"cap_limit_{i}" not in self.errors:
                self.add_error(f"cap_limit_{i}", _("请填写最多计入的数量。"))
            elif kind is None and limit is not None:
                self.add_error(f"cap_kind_{i}", _("请选择记录类型。"))
            elif kind is not None:
                caps.append((kind, limit))
        return caps

    def clean(self) -> dict:
        data = super().clean()
        data["owner"] = data.get("owner") or Requirement.Owner.PERSON
        data["source"] = data.get("source") or Requirement.Source.RECORDS
        data[services.CAPS] = self._clean_caps(data)
        values = {k: v for k, v in data.items() if k not in self.errors}
        for field, messages in services.rule_errors(
            org=self.org, values=values, exclude=self.instance.pk
        ).items():
            field = "cap_kind_1" if field == services.CAPS else field
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return data

    def _post_clean(self) -> None:
        """No model validation here: keshi.rules.services validates and writes."""

    def values(self) -> dict:
        return {
            f: self.cleaned_data[f]
            for f in (*services.SCALAR_FIELDS, *services.M2M_FIELDS, services.CAPS)
            if f in self.cleaned_data
        }


class ExemptionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Exemption
        fields = ["person", "requirement", "start", "end", "reason"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reason": forms.TextInput(attrs={"list": "exemption-reasons"}),
        }
        help_texts = {
            "requirement": _("不选为豁免全部量化要求。"),
            "end": _("含当天。期间内的天数按比例减少应完成数量；整个周期都豁免的显示为“豁免”。"),
            "reason": _("如病假、产假、外出学习、兼职。"),
        }
        error_messages = {
            "person": {"required": _("请选择人员。")},
            "start": {"required": _("请填写起始日期。"), "invalid": _("日期格式应为 2026-09-01。")},
            "end": {"required": _("请填写结束日期。"), "invalid": _("日期格式应为 2026-09-01。")},
            "reason": {"required": _("请填写豁免原因。")},
        }

    def __init__(self, *args, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(org=org, active=True).order_by(
            "name", "pk"
        )
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.name}（{p.staff_no}）" if p.staff_no else p.name
        )
        self.fields["requirement"].queryset = (
            Requirement.objects.live()
            .filter(org=org)
            .exclude(owner=Requirement.Owner.GROUP)  # owed by groups: nobody to excuse
            .order_by("pk")
        )
        self.fields["requirement"].empty_label = _("全部量化要求")

    def _post_clean(self) -> None:
        """Validated again and written by keshi.rules.services.add_exemption."""
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于起始日期。"))
