from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from keshi.dispatch import rules
from keshi.dispatch.models import Dispatch, ObligationKind
from keshi.org.models import Person
from keshi.records.models import Activity
from keshi.records.uploads import UploadLimits, UploadRejected, check_upload
from keshi.web.forms import BootstrapMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DispatchForm(BootstrapMixin, forms.ModelForm):
    teachers = forms.ModelMultipleChoiceField(
        label=_("派出教师"),
        queryset=Person.objects.none(),
        error_messages={"required": _("请选择派出的教师")},
    )

    class Meta:
        model = Dispatch
        fields = [
            "title", "organiser", "level", "place", "cross_province", "start_date", "start_half",
            "end_date", "end_half", "hours", "credits", "professional", "cost_estimate",
            "reimbursable", "request_comment",
        ]  # fmt: skip
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "request_comment": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "title": {"required": _("请填写培训名称")},
            "organiser": {"required": _("请填写主办单位")},
            "place": {"required": _("请填写培训地点")},
            "level": {"required": _("请选择级别")},
            "start_date": {"required": _("请填写开始日期"), "invalid": _("日期格式应为 年-月-日")},
            "end_date": {"required": _("请填写结束日期"), "invalid": _("日期格式应为 年-月-日")},
            "hours": {"required": _("请填写学时")},
        }

    def __init__(self, *args, org, teacher: Person | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(org=org, active=True).order_by("name")
        self.fields["teachers"].queryset = people
        self.fields["teachers"].label_from_instance = lambda p: f"{p.name}（{p.subject or '—'}）"
        self.fields["teachers"].widget.attrs["size"] = 8
        if teacher is not None:  # a teacher requests for themselves
            del self.fields["teachers"]
        elif self.instance.pk:
            self.initial["teachers"] = list(
                self.instance.members.values_list("person_id", flat=True)
            )

    def clean_hours(self):
        value = self.cleaned_data.get("hours")
        if value is not None and value <= 0:
            raise forms.ValidationError(_("学时必须大于 0"))
        return value

    def clean(self):
        data = super().clean()
        for name in ("credits", "cost_estimate"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("不能为负数"))
        return data

    def dispatch_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.cleaned_data}


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("意见/原因"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ObligationForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ObligationKind.choices)
    label = forms.CharField(label=_("名称"), required=False, max_length=100)
    due_date = forms.DateField(
        label=_("截止日期"), widget=DATE, error_messages={"required": _("请填写截止日期")}
    )
    min_chars = forms.IntegerField(label=_("最少字数"), required=False, min_value=1)
    person = forms.ModelChoiceField(
        label=_("教师"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("全部派出教师"),
    )

    def __init__(self, *args, dispatch: Dispatch, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(dispatches__dispatch=dispatch)


class LinkActivityForm(BootstrapMixin, forms.Form):
    activity = forms.ModelChoiceField(
        label=_("选择工作记录"),
        queryset=Activity.objects.none(),
        error_messages={"required": _("请选择一条工作记录")},
    )

    def __init__(self, *args, obligation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        records = Activity.objects.filter(
            person=obligation.person,
            date__gte=obligation.dispatch.start_date,
            status__in=Activity.COUNTED,
        ).select_related("kind")
        kinds = rules.ACTIVITY_KINDS.get(obligation.kind)
        if kinds:
            records = records.filter(kind__code__in=kinds)
        self.fields["activity"].queryset = records.order_by("-date", "-pk")
        self.fields["activity"].label_from_instance = lambda a: (
            f"{a.date:%m-%d} {a.kind.label}：{a.title or '（无标题）'}"
            + (f"（{a.chars}字）" if a.chars else "")
        )


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("上传文件"), error_messages={"required": _("请选择文件")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = upload.read()
        try:
            check_upload(
                upload.name,
                content,
                max_bytes=settings.KESHI_MAX_UPLOAD_BYTES,
                limits=UploadLimits.from_settings(settings),
            )
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload.name, content


class ConfirmForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("完成情况"), max_length=200, error_messages={"required": _("请写明完成情况")}
    )


class VerifyForm(BootstrapMixin, forms.Form):
    serial = forms.CharField(label=_("通知编号"), max_length=30, help_text=_("如 2026-派-0012"))
    code = forms.CharField(label=_("验证码"), max_length=20)
