"""Django admin for requirements and exemptions: the superuser's escape hatch. Office staff
work through the scoped pages under /requirements/."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from keshi.org.admin import SuperuserOnly
from keshi.rules.describe import describe, rule_of
from keshi.rules.models import Exemption, Requirement


@admin.register(Requirement)
class RequirementAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["name", "sentence", "org", "period", "points", "active"]
    list_filter = ["active", "period", "measure", "org"]
    search_fields = ["name", "source_text"]
    filter_horizontal = ["kinds", "groups", "tags"]
    autocomplete_fields = ["org"]
    list_select_related = ["org"]
    readonly_fields = ["sentence"]

    @admin.display(description=_("要求"))
    def sentence(self, obj: Requirement) -> str:
        return describe(rule_of(obj)) if obj.pk else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("kinds", "groups", "tags")


@admin.register(Exemption)
class ExemptionAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["person", "requirement", "start", "end", "reason"]
    list_filter = ["reason"]
    search_fields = ["person__name", "person__staff_no", "reason"]
    autocomplete_fields = ["person", "requirement"]
    list_select_related = ["person", "requirement"]
    date_hierarchy = "start"
