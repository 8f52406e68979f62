from django.contrib import admin
from django.urls import include, path

from keshi.api import api

urlpatterns = [
    path("", include("keshi.web.urls")),
    path("accounts/", include("keshi.accounts.urls")),
    path("org/", include("keshi.org.urls")),
    path("roster/", include("keshi.org.urls_roster")),
    path("calendar/", include("keshi.calendar.urls")),
    path("records/", include("keshi.records.urls")),
    path("requirements/", include("keshi.rules.urls_manage")),
    path("notifications/", include("keshi.notify.urls")),
    path("", include("keshi.rules.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
