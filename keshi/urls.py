from django.contrib import admin
from django.urls import include, path

from keshi.accounts.language import set_language
from keshi.api import api

urlpatterns = [
    path("", include("keshi.web.urls")),
    path("accounts/", include("keshi.accounts.urls")),
    path("setup/", include("keshi.onboarding.urls")),
    path("roles/", include("keshi.accounts.urls_grants")),
    path("logins/", include("keshi.accounts.urls_logins")),
    path("org/", include("keshi.org.urls")),
    path("roster/", include("keshi.org.urls_roster")),
    path("calendar/", include("keshi.calendar.urls")),
    path("records/", include("keshi.records.urls")),
    path("requirements/", include("keshi.rules.urls_manage")),
    path("notifications/", include("keshi.notify.urls")),
    path("plans/documents/", include("keshi.plans.urls_documents")),
    path("plans/", include("keshi.plans.urls")),
    path("itinerary/", include("keshi.plans.urls_calendar")),
    path("checks/", include("keshi.checks.urls")),
    path("groupwork/", include("keshi.groupwork.urls")),
    path("originality/", include("keshi.originality.urls")),
    path("indicators/", include("keshi.indicators.urls")),
    path("research/", include("keshi.research.urls")),
    path("contests/", include("keshi.contests.urls")),
    path("appraisal/", include("keshi.appraisal.urls")),
    path("dispatch/", include("keshi.dispatch.urls")),
    path("safety/", include("keshi.safety.urls")),
    path("cover/", include("keshi.cover.urls")),
    path("weekly/", include("keshi.weekly.urls")),
    path("exams/", include("keshi.exams.urls")),
    path("integrations/", include("keshi.integrations.urls")),
    path("", include("keshi.rules.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]
