from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "keshi.checks"
    verbose_name = _("检查与抽查")

    def ready(self) -> None:
        from keshi.checks.builtins import ensure_builtin_rubrics
        from keshi.ops.builtins import restore_after_migrate

        restore_after_migrate(self, "Rubric", ensure_builtin_rubrics)
