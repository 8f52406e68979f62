from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OriginalityConfig(AppConfig):
    name = "keshi.originality"
    verbose_name = _("查重")

    def ready(self) -> None:
        from keshi.originality import signals  # noqa: F401
