"""Django admin for records: the superuser's escape hatch (office staff use the scoped pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keshi.org.admin import SuperuserOnly
from keshi.records.models import Activity, ActivityKind, Attachment


@admin.register(ActivityKind)
class ActivityKindAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["label", "code", "org", "audience", "unit", "needs_review", "active"]
    list_filter = ["active", "needs_review", "unit", "audience"]
    search_fields = ["label", "code"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["name", "size", "content_type", "uploaded_at"]


@admin.register(Activity)
class ActivityAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["person", "kind", "date", "quantity", "status", "org"]
    list_filter = ["status", "kind"]
    search_fields = ["person__name", "person__staff_no", "title"]
    date_hierarchy = "date"
    raw_id_fields = ["person", "observed", "created_by", "reviewed_by"]
    inlines = [AttachmentInline]
