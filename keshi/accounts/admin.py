from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keshi.accounts.models import ApiToken, RoleGrant
from keshi.org.admin import SuperuserOnly


@admin.register(RoleGrant)
class RoleGrantAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["user", "org", "role"]
    list_filter = ["role", "org"]
    search_fields = ["user__username", "org__name"]
    autocomplete_fields = ["user", "org"]
    list_select_related = ["user", "org"]


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserOnly, admin.ModelAdmin):
    """Tokens are issued by ``keshi create-token`` (the raw value is shown once); here they
    can only be renamed or revoked."""

    list_display = ["user", "name", "prefix", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "prefix", "key_hash", "created", "last_used", "revoked"]
    readonly_fields = ["user", "prefix", "key_hash", "created", "last_used"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False
