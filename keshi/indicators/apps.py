from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "keshi.indicators"
    verbose_name = _("科室指标")
