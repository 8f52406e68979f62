from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "keshi.dispatch"
    verbose_name = _("培训派遣")
