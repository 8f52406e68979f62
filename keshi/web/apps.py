from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from keshi.web import bounds, menu_cache
from keshi.web.forms import strip_control_chars_from_forms


class WebConfig(AppConfig):
    name = "keshi.web"
    verbose_name = _("界面")

    def ready(self) -> None:
        # Ids and form numbers beyond what a column holds: no row, a form error (bounds.py).
        bounds.install()
        # Every forms.CharField drops control characters (see keshi/web/forms.py).
        strip_control_chars_from_forms()
        # The menu is cached per user until a row it depends on changes (menu_cache.py).
        menu_cache.install()
