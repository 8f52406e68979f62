from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "keshi.calendar"
    label = "schoolcalendar"
    verbose_name = _("校历")
