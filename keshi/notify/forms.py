from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.notify import services, webhooks
from keshi.notify.models import Channel, ReminderPolicy
from keshi.web.forms import BootstrapMixin


class ChannelForm(BootstrapMixin, forms.ModelForm):
    """The secret is write-only: never rendered back; left blank it keeps the stored one."""

    webhook_url = forms.URLField(
        label=_("Webhook 地址"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("在群设置 → 智能群助手/群机器人中添加自定义机器人后复制的地址。"),
    )
    new_secret = forms.CharField(
        label=_("加签密钥"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("仅钉钉：机器人“加签”安全设置中以 SEC 开头的字符串。保存后不再显示。"),
    )
    clear_secret = forms.BooleanField(label=_("清除已保存的密钥"), required=False)

    class Meta:
        model = Channel
        fields = ["name", "kind", "webhook_url", "email", "mention_all", "active"]
        help_texts = {
            "webhook_url": _("在群设置 → 智能群助手/群机器人中添加自定义机器人后复制的地址。"),
            "email": _("仅“电子邮件”类型使用，如教科室公共邮箱。"),
            "mention_all": _("仅钉钉：消息中 @所有人。"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["name", "kind", "webhook_url", "new_secret", "clear_secret", "email", "mention_all"]
        )
        if not (self.instance.pk and self.instance.secret):
            del self.fields["clear_secret"]
        else:
            self.fields["new_secret"].help_text = _("已保存密钥（不显示）。留空则保持不变。")

    def clean_webhook_url(self) -> str:
        url = self.cleaned_data.get("webhook_url", "")
        if url:
            try:
                webhooks.check_url(url, services.webhook_hosts())
            except webhooks.WebhookError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return url

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == Channel.Kind.EMAIL:
            data["webhook_url"] = ""
        elif kind:
            data["email"] = ""
        if kind != Channel.Kind.DINGTALK and data.get("new_secret"):
            self.add_error("new_secret", _("只有钉钉机器人使用加签密钥。"))
        return data

    def save(self, commit: bool = True) -> Channel:
        channel = super().save(commit=False)
        if self.cleaned_data.get("clear_secret") or channel.kind != Channel.Kind.DINGTALK:
            channel.secret = ""
        if self.cleaned_data.get("new_secret"):
            channel.secret = self.cleaned_data["new_secret"].strip()
        if commit:
            channel.save()
        return channel


class PolicyForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ReminderPolicy
        fields = ["enabled", "days_ahead", "send_email"]

    def clean_days_ahead(self) -> int:
        days = self.cleaned_data["days_ahead"]
        if days > 30:
            raise forms.ValidationError(_("提前提醒天数不能超过30天。"))
        return days
