from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.integrations.models import Integration
from keshi.web.forms import BootstrapMixin


class IntegrationForm(BootstrapMixin, forms.ModelForm):
    """The secret is write-only: never rendered back; left blank it keeps the stored one."""

    new_secret = forms.CharField(
        label=_("应用密钥（AppSecret / Secret）"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "钉钉：应用的 AppSecret；企业微信：自建应用的 Secret。加密保存，保存后不再显示。"
        ),
    )

    class Meta:
        model = Integration
        fields = ["platform", "corp_id", "app_key", "agent_id", "match_by", "active"]
        help_texts = {
            "corp_id": _("钉钉开发者后台“基础信息”或企业微信管理后台“我的企业”中的企业 ID。"),
            "app_key": _("仅钉钉：企业内部应用的 AppKey（Client ID）。"),
            "agent_id": _("应用详情页上的 AgentId，发送工作通知/应用消息时使用。"),
            "match_by": _("同步通讯录与登录时，用工号还是手机号找到本单位的人员。"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["platform", "corp_id", "app_key", "new_secret", "agent_id", "match_by", "active"]
        )
        if self.instance.pk and self.instance.secret_encrypted:
            self.fields["new_secret"].help_text = _("已保存密钥（不显示）。留空则保持不变。")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("platform") == "dingtalk" and not data.get("app_key"):
            self.add_error("app_key", _("钉钉应用需要填写 AppKey。"))
        if not data.get("new_secret") and not self.instance.secret_encrypted:
            self.add_error("new_secret", _("请填写应用密钥。"))
        agent = (data.get("agent_id") or "").strip()
        if agent and not (agent.isascii() and agent.isdigit()):
            self.add_error("agent_id", _("AgentId 是一串数字。"))
        return data

    def save(self, commit: bool = True) -> Integration:
        integration = super().save(commit=False)
        if self.cleaned_data.get("new_secret"):
            integration.secret = self.cleaned_data["new_secret"]
        if commit:
            integration.save()
        return integration


class PreferenceForm(BootstrapMixin, forms.Form):
    receive_notices = forms.BooleanField(label=_("接收每日提醒的工作通知"), required=False)
