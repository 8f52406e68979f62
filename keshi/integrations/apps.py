from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "keshi.integrations"
    verbose_name = _("钉钉与企业微信")

    def ready(self) -> None:
        # The daily reminder run hands each person's digest to the registered personal senders,
        # and every single notice goes out the same way.
        from keshi.integrations import notices
        from keshi.notify import personal

        personal.register(notices.send_work_notices)
        personal.register_notice(notices.send_work_notice, notices.takes_notices)
