"""Django admin for orgs and people: the superuser's escape hatch, not a page for office staff
(office staff work through the scoped pages)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from keshi.org.models import Group, Membership, Mentorship, Org, Person, Tag

admin.site.site_header = _("科室工作系统 · 后台")
admin.site.site_title = _("科室工作系统后台")
admin.site.index_title = _("数据管理")


class SuperuserOnly:
    """Admin pages bypass keshi.org.scoping, so only system admins may use them."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(Org)
class OrgAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(Group)
class GroupAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["name", "kind", "subject", "parent", "org"]
    list_filter = ["kind", "org"]
    search_fields = ["name", "subject"]
    autocomplete_fields = ["org", "parent"]
    list_select_related = ["org", "parent"]


@admin.register(Tag)
class TagAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class MembershipInline(SuperuserOnly, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["group"]
    fields = ["group", "role", "start", "end"]


@admin.register(Person)
class PersonAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["name", "staff_no", "gender", "subject", "title", "org", "active"]
    list_filter = ["active", "gender", "org", "tags"]
    search_fields = ["name", "staff_no", "subject", "phone"]
    autocomplete_fields = ["org", "user"]
    filter_horizontal = ["tags"]
    list_select_related = ["org"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["org", "staff_no", "name", "gender", "birth_date", "active"]}),
        (
            _("任教"),
            {"fields": ["work_start", "teaching_start", "subject", "title", "position", "tags"]},
        ),
        (_("联系与登录"), {"fields": ["phone", "user"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["person", "group", "role", "start", "end"]
    list_filter = ["role", "group__kind", "group__org"]
    search_fields = ["person__name", "person__staff_no", "group__name"]
    autocomplete_fields = ["person", "group"]
    list_select_related = ["person", "group"]


@admin.register(Mentorship)
class MentorshipAdmin(SuperuserOnly, SimpleHistoryAdmin):
    list_display = ["mentor", "mentee", "org", "start", "end"]
    list_filter = ["org"]
    search_fields = ["mentor__name", "mentee__name"]
    autocomplete_fields = ["org", "mentor", "mentee"]
    list_select_related = ["org", "mentor", "mentee"]
