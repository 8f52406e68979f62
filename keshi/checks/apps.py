from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_builtin_rubrics(apps=None, **kwargs) -> None:
    """After migrate, and after a flush (a transactional test's teardown sends post_migrate
    too): the built-in rubrics exist whatever ran before."""
    from keshi.checks.builtins import ensure_builtin_rubrics

    if apps is None:  # flush sends no apps: the models as they are
        from django.apps import apps
    try:
        model = apps.get_model("checks", "Rubric")
    except LookupError:  # migrated back to before the table existed
        return
    ensure_builtin_rubrics(model)


class ChecksConfig(AppConfig):
    name = "keshi.checks"
    verbose_name = _("检查与抽查")

    def ready(self) -> None:
        post_migrate.connect(restore_builtin_rubrics, sender=self)
