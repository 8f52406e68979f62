from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverConfig(AppConfig):
    name = "keshi.cover"
    verbose_name = _("课表与调代课")
