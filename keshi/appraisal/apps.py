from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "keshi.appraisal"
    verbose_name = _("考核与个人档案")
