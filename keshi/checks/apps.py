from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "keshi.checks"
    verbose_name = _("检查与抽查")
