"""Django admin for plans: the superuser's escape hatch. Office staff work through the scoped
pages under /plans/."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keshi.org.admin import SuperuserOnly
from keshi.plans.models import CalendarItem, Duty, Plan, PlanSection, Suggestion


class SectionInline(SuperuserOnly, admin.StackedInline):
    model = PlanSection
    extra = 0


class DutyInline(SuperuserOnly, admin.TabularInline):
    model = Duty
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Plan)
class PlanAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["title", "org", "term", "school_year", "group", "status", "updated_at"]
    list_filter = ["status", "org"]
    search_fields = ["title", "source_name"]
    autocomplete_fields = ["org", "group"]
    list_select_related = ["org", "term__school_year", "school_year", "group"]
    inlines = [SectionInline, DutyInline]


@admin.register(Suggestion)
class SuggestionAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["source", "plan", "kind", "status", "requirement"]
    list_filter = ["kind", "status"]
    search_fields = ["source"]
    raw_id_fields = ["plan", "requirement"]


@admin.register(CalendarItem)
class CalendarItemAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["title", "plan", "month", "week", "date", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["plan", "group"]
    filter_horizontal = ["owners"]
