from django.contrib import admin

from keshi.notify.models import Channel, Digest, Notification, ReminderPolicy


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "kind", "active"]
    list_filter = ["kind", "active"]
    exclude = ["secret"]  # write-only: set it on the channel page


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["date", "org", "key", "via", "status", "attempts"]
    list_filter = ["status", "via", "date"]
    readonly_fields = [f.name for f in Digest._meta.fields]


admin.site.register(Notification)
admin.site.register(ReminderPolicy)
