from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_builtin_kinds(apps=None, **kwargs) -> None:
    """After migrate, and after a flush (a transactional test's teardown sends post_migrate
    too): the built-in kinds exist whatever ran before."""
    from keshi.records.kinds import ensure_builtin_kinds

    if apps is None:  # flush sends no apps: the models as they are
        from django.apps import apps
    try:
        model = apps.get_model("records", "ActivityKind")
    except LookupError:  # migrated back to before the table existed
        return
    ensure_builtin_kinds(model)


class RecordsConfig(AppConfig):
    name = "keshi.records"
    verbose_name = _("工作记录")

    def ready(self) -> None:
        post_migrate.connect(restore_builtin_kinds, sender=self)
