"""Django admin for 不良事件 reports: the superuser's escape hatch (the confidential pages are
keshi.safety.views)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keshi.org.admin import SuperuserOnly
from keshi.safety.models import IncidentReport


@admin.register(IncidentReport)
class IncidentReportAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["occurred_on", "title", "org", "department", "severity", "status"]
    list_filter = ["status", "severity", "category"]
    search_fields = ["title", "reporter__name"]
    raw_id_fields = ["reporter", "department", "handled_by", "created_by"]
