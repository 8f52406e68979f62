from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from keshi.org.models import Org
from keshi.web.forms import BootstrapMixin

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

    def __init__(self, *args, orgs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ROSTER_SUFFIXES):
            if upload.name.lower().endswith(".xls"):
                raise forms.ValidationError(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx"))
            raise forms.ValidationError(_("只能上传 .xlsx 或 .csv 文件"))
        if upload.size > settings.KESHI_MAX_UPLOAD_BYTES:
            limit = settings.KESHI_MAX_UPLOAD_BYTES // (1024 * 1024)
            raise forms.ValidationError(_("文件过大（上限 %(mb)s MB）") % {"mb": limit})
        return upload
