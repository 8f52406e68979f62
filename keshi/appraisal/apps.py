from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "keshi.appraisal"
    verbose_name = _("考核与个人档案")

    def ready(self) -> None:
        from keshi.appraisal.inspections import on_inspection_completed
        from keshi.checks.signals import inspection_completed

        inspection_completed.connect(
            on_inspection_completed, weak=False, dispatch_uid="appraisal:inspection-points"
        )
