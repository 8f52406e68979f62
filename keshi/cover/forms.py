from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from keshi.cover.models import Absence, CoverSettings, Half
from keshi.org.models import Person
from keshi.web.forms import BootstrapMixin, default_to_current_term

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.staff_no}）" if obj.staff_no else obj.name


class AbsenceForm(BootstrapMixin, forms.Form):
    person = PersonChoice(label=_("教师"), queryset=Person.objects.none())
    kind = forms.ChoiceField(
        label=_("类型"), choices=Absence.Kind.choices, initial=Absence.Kind.SICK
    )
    title = forms.CharField(label=_("事由"), max_length=200)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    start_half = forms.ChoiceField(label=_("开始"), choices=Half.choices, initial=Half.AM)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE)
    end_half = forms.ChoiceField(label=_("结束"), choices=Half.choices, initial=Half.PM)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and (end, data.get("end_half")) < (start, data.get("start_half")):
            raise ValidationError({"end_date": _("结束时间不能早于开始时间。")})
        return data

    @property
    def span(self):
        d = self.cleaned_data
        return (d["start_date"], d["start_half"], d["end_date"], d["end_half"])


class CoverForm(BootstrapMixin, forms.Form):
    lesson = forms.CharField(widget=forms.HiddenInput)
    cover_person = PersonChoice(
        label=_("由谁上这节课"), queryset=Person.objects.none(), required=False
    )
    swap = forms.CharField(label=_("换回（可选）"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    confirm_clashes = forms.BooleanField(label=_("我已知晓冲突，仍然安排"), required=False)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cover_person"].queryset = people


class HomeroomForm(BootstrapMixin, forms.Form):
    duty = forms.IntegerField(widget=forms.HiddenInput)
    cover_person = PersonChoice(label=_("代理班主任"), queryset=Person.objects.none())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cover_person"].queryset = people


class DecideForm(BootstrapMixin, forms.Form):
    accept = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", _("同意")), ("0", _("婉拒"))]
    )
    note = forms.CharField(label=_("留言"), max_length=200, required=False)


class TimetableUploadForm(BootstrapMixin, forms.Form):
    term = forms.ModelChoiceField(label=_("学期"), queryset=None)
    file = forms.FileField(label=_("课表文件（.xlsx 或 .csv）"))

    def __init__(self, *args, terms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        default_to_current_term(self.fields["term"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KESHI_MAX_UPLOAD_BYTES:
            limit = settings.KESHI_MAX_UPLOAD_BYTES // (1024 * 1024)
            raise ValidationError(_("文件过大（上限 %(mb)s MB）") % {"mb": limit})
        return upload


class CoverSettingsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CoverSettings
        fields = ["morning_last", "afternoon_last", "evening_last", "makeup_weekday"]
