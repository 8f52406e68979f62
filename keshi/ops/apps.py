from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "keshi.ops"
    verbose_name = "运维"

    def ready(self) -> None:
        from keshi.ops import faults

        faults.install()
