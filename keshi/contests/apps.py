from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "keshi.contests"
    verbose_name = _("评比与竞赛")
