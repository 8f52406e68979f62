from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeeklyConfig(AppConfig):
    name = "keshi.weekly"
    verbose_name = _("每周工作安排")
