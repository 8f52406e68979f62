from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from keshi.org.models import Group, Person
from keshi.org.scoping import can_manage_org, scope_for, visible
from keshi.plans import calendar_services
from keshi.plans.models import CalendarItem, Plan
from keshi.web.forms import BootstrapMixin

MONTHS = [("", "—")] + [(m, f"{m}月") for m in range(1, 13)]
# Far beyond any term (clean() checks the plan's own count, with a better message), yet a date
# that many weeks after a term's start exists: a typed 第2147483647周 stopped here before it
# reaches the date arithmetic (the edit page places the item even when the form is invalid).
MAX_WEEK = 1000


class CalendarItemForm(BootstrapMixin, forms.ModelForm):
    plan = forms.ModelChoiceField(label=_("所属计划"), queryset=Plan.objects.none())
    month = forms.TypedChoiceField(
        label=_("月份"), choices=MONTHS, coerce=int, empty_value=None, required=False
    )
    confirm_no_evidence = forms.BooleanField(
        label=_("尚未关联佐证记录，仍确认标记为完成"), required=False
    )

    class Meta:
        model = CalendarItem
        fields = ["title", "month", "week", "date", "end_date", "owners", "group", "status"]
        fields += ["reason"]
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": _("如：开学教学常规检查")}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "owners": forms.SelectMultiple(attrs={"size": 6}),
            "week": forms.NumberInput(attrs={"min": 1, "placeholder": _("第几周")}),
        }
        help_texts = {
            "owners": _("可多选（按住 Ctrl 或 ⌘）。不选负责人即为全校（或负责组）的事项。"),
            "reason": _("状态为“取消”或“延期”时必填。"),
        }
        error_messages = {
            "title": {"required": _("请填写内容。")},
            "week": {"invalid": _("教学周请填写数字。")},
            "date": {"invalid": _("日期格式应为 年-月-日。")},
            "end_date": {"invalid": _("日期格式应为 年-月-日。")},
        }

    def __init__(self, *args, user, org, plans=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.needs_confirm = False
        self.fields["week"].validators.append(MaxValueValidator(MAX_WEEK))
        manage = can_manage_org(user, org)
        people = visible(user, Person.objects.filter(org=org, active=True)).order_by("name")
        self.fields["owners"].queryset = people
        self.fields["owners"].required = False
        groups = visible(user, Group.objects.filter(org=org)).order_by("name")
        if not manage:
            groups = groups.filter(pk__in=scope_for(user).lead_group_ids)
            self.fields["group"].required = True
            self.fields["group"].empty_label = None
        self.fields["group"].queryset = groups
        self.hidden_owners = set()
        if self.instance.pk:
            del self.fields["plan"]
            chosen = set(self.instance.owners.values_list("pk", flat=True))
            self.hidden_owners = chosen - set(people.values_list("pk", flat=True))
        else:
            self.fields["plan"].queryset = plans if plans is not None else Plan.objects.none()
            self.fields["plan"].error_messages["required"] = _("请选择计划。")

    def clean(self):
        data = super().clean()
        plan = self.instance.plan if self.instance.pk else data.get("plan")
        if plan is not None and not self.errors:
            errors = calendar_services.placement_errors(
                plan,
                month=data.get("month"),
                week=data.get("week"),
                day=data.get("date"),
                end_day=data.get("end_date"),
            )
            for field, message in errors.items():
                self.add_error(field, message)
        has_evidence = self.instance.pk and self.instance.evidence.exists()
        if (
            data.get("status") == CalendarItem.Status.DONE
            and not has_evidence
            and not data.get("confirm_no_evidence")
            and (not self.instance.pk or self.initial.get("status") != CalendarItem.Status.DONE)
        ):
            self.needs_confirm = True
            self.add_error(
                "confirm_no_evidence",
                _("这项工作还没有关联佐证记录。请先关联记录，或勾选此项确认已完成。"),
            )
        return data

    def _post_clean(self) -> None:
        # The item's plan is needed by model.clean and is not a model field of this form on
        # creation; placement is checked in clean() above.
        if not self.instance.pk and self.cleaned_data.get("plan"):
            self.instance.plan = self.cleaned_data["plan"]
        super()._post_clean()

    def owners_to_save(self) -> list[Person]:
        chosen = list(self.cleaned_data.get("owners") or [])
        if self.hidden_owners:
            chosen += list(Person.objects.filter(pk__in=self.hidden_owners))
        return chosen

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in ("title", "month", "week", "date", "end_date")} | {
            "group": data.get("group"),
            "status": data.get("status"),
            "reason": data.get("reason") or "",
        }


class FilterForm(forms.Form):
    group = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        required=False, choices=[("", _("全部状态"))] + CalendarItem.Status.choices
    )

    def __init__(self, *args, groups, owners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("全部组"))] + [(g.pk, g.name) for g in groups]
        self.fields["owner"].choices = [("", _("全部负责人"))] + [(p.pk, p.name) for p in owners]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def value(self, name: str):
        """One filter's value; a stale or bad value drops that filter only."""
        try:
            return self.fields[name].clean(self.data.get(name, ""))
        except forms.ValidationError:
            return None
