"""Rows that data migrations write (built-in kinds, rubrics) kept present after every flush.

A flush — a transactional test's teardown, or ``keshi flush`` — empties every table, and the
data migrations do not run again; Django does send ``post_migrate`` after it, as after every
``migrate``. So whether the built-ins exist no longer depends on what ran before.
"""

from collections.abc import Callable

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def restore_after_migrate(app: AppConfig, model_name: str, ensure: Callable) -> None:
    """Call ``ensure(model)`` after every migrate and every flush of ``app``."""

    def receiver(apps=None, **kwargs) -> None:
        try:  # migrate passes the migrated state; flush passes none
            model = (apps or global_apps).get_model(app.label, model_name)
        except LookupError:  # migrated back to before the table existed
            return
        ensure(model)

    post_migrate.connect(receiver, sender=app, weak=False, dispatch_uid=f"builtins:{app.label}")
