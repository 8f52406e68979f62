from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from keshi.org.models import Org, Person
from keshi.org.scoping import manageable
from keshi.web.forms import BootstrapMixin, date_widget

ROSTER_SUFFIXES = (".xlsx", ".csv")


class RosterUploadForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(
        label=_("单位"), queryset=Org.objects.none(), to_field_name="code", empty_label=None
    )
    file = forms.FileField(
        label=_("名册文件"),
        help_text=_(".xlsx 或 .csv（UTF-8 或 GBK 编码）；表头可在标题行之下。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ROSTER_SUFFIXES)}),
    )
    create_groups = forms.BooleanField(
        label=_("自动新建名册中不存在的教研组、备课组、年级组"), required=False
    )
    create_logins = forms.BooleanField(
        label=_("同时为名册中没有账号的人员开通登录（账号为工号，初始密码首次登录须修改）"),
        required=False,
    )

    def __init__(self, *args, orgs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def clean_file(self):
        return clean_spreadsheet(self.cleaned_data["file"])


def clean_spreadsheet(upload):
    """An uploaded .xlsx or .csv within the upload size, else a Chinese field error."""
    if not upload.name.lower().endswith(ROSTER_SUFFIXES):
        if upload.name.lower().endswith(".xls"):
            raise forms.ValidationError(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx"))
        raise forms.ValidationError(_("只能上传 .xlsx 或 .csv 文件"))
    if upload.size > settings.KESHI_MAX_UPLOAD_BYTES:
        limit = settings.KESHI_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise forms.ValidationError(_("文件过大（上限 %(mb)s MB）") % {"mb": limit})
    return upload


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.staff_no}）" if obj.staff_no else obj.name


class ManagedOrgForm(BootstrapMixin, forms.Form):
    """A form for one of the orgs the user manages: a hidden field when there is only one."""

    org = forms.ModelChoiceField(Org.objects.none(), label=_("单位"))

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        orgs = manageable(user, Org.objects.all()).order_by("path")
        self.fields["org"].queryset = orgs
        if len(orgs) == 1:
            self.fields["org"].initial = orgs[0]
            self.fields["org"].widget = forms.HiddenInput()


class MentorshipForm(ManagedOrgForm):
    mentor = _PersonChoice(Person.objects.none(), label=_("师傅"))
    mentee = _PersonChoice(Person.objects.none(), label=_("徒弟"))
    subject = forms.CharField(label=_("学科"), max_length=50, required=False)
    start = forms.DateField(label=_("起始日期"), required=False, widget=date_widget())
    end = forms.DateField(label=_("结束日期"), required=False, widget=date_widget())

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        people = manageable(user, Person.objects.filter(active=True)).order_by("name", "pk")
        self.fields["mentor"].queryset = self.fields["mentee"].queryset = people


class MentorshipImportForm(ManagedOrgForm):
    file = forms.FileField(
        label=_("结对表（.xlsx 或 .csv）"),
        help_text=_("列：师傅工号、徒弟工号；可选：师傅姓名、徒弟姓名、学科、起始日期、结束日期。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ROSTER_SUFFIXES)}),
    )

    def clean_file(self):
        return clean_spreadsheet(self.cleaned_data["file"])
