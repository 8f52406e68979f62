from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "keshi.ops"
    verbose_name = "运维"

    def ready(self) -> None:
        from keshi.ops import checks, faults  # noqa: F401 -- checks registers itself

        faults.install()
