from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "keshi.records"
    verbose_name = _("工作记录")

    def ready(self) -> None:
        from keshi.ops.builtins import restore_after_migrate
        from keshi.records.kinds import ensure_builtin_kinds

        restore_after_migrate(self, "ActivityKind", ensure_builtin_kinds)
