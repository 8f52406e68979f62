from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from keshi.web import bounds
from keshi.web.forms import strip_control_chars_from_forms


class WebConfig(AppConfig):
    name = "keshi.web"
    verbose_name = _("界面")

    def ready(self) -> None:
        # Ids and form numbers beyond what a column holds: no row, a form error (bounds.py).
        bounds.install()
        # Every forms.CharField drops control characters (see keshi/web/forms.py).
        strip_control_chars_from_forms()
