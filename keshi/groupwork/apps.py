from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupworkConfig(AppConfig):
    name = "keshi.groupwork"
    verbose_name = _("教研活动与校本研修")
