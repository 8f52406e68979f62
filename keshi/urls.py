from django.contrib import admin
from django.urls import include, path

from keshi.api import api

urlpatterns = [
    path("", include("keshi.web.urls")),
    path("accounts/", include("keshi.accounts.urls")),
    path("org/", include("keshi.org.urls")),
    path("roster/", include("keshi.org.urls_roster")),
    path("calendar/", include("keshi.calendar.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
