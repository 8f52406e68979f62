from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "keshi.accounts"
    verbose_name = _("账号与权限")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from keshi.accounts.language import remember_language
        from keshi.accounts.middleware import flag_initial_password

        user_logged_in.connect(flag_initial_password, dispatch_uid="keshi.initial_password")
        user_logged_in.connect(remember_language, dispatch_uid="keshi.remember_language")
