from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "keshi.safety"
    verbose_name = _("不良事件上报")
