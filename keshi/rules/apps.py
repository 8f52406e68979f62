from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "keshi.rules"
    verbose_name = _("量化要求")

    def ready(self) -> None:
        from keshi.rules import signals

        signals.connect()
