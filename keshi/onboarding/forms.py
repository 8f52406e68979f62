from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.onboarding.services import KINDS
from keshi.org.models import Org
from keshi.web.forms import BootstrapMixin


class SetupForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("单位类型"), choices=[(k.value, k.label) for k in KINDS], initial=Org.Kind.SCHOOL
    )
    name = forms.CharField(label=_("单位名称"), max_length=100)
    code = forms.SlugField(
        label=_("单位代码"),
        max_length=40,
        help_text=_("字母、数字、短横线，如 xhzx；用于导入、导出与接口，设置后不宜更改。"),
    )
    admin_name = forms.CharField(label=_("管理员姓名"), max_length=150, required=False)
    admin_username = forms.CharField(label=_("管理员账号"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") != data["password"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data
