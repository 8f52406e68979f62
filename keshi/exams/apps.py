from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "keshi.exams"
    verbose_name = _("考试与质量分析")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from keshi.exams.kinds import ensure_paper_analysis_kind

        # The 试卷分析 record kind is a built-in of this app, restored after every flush.
        post_migrate.connect(
            lambda **kwargs: ensure_paper_analysis_kind(),
            sender=self,
            weak=False,
            dispatch_uid="builtins:exams",
        )
