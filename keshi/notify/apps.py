from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "keshi.notify"
    verbose_name = _("提醒与通知")
