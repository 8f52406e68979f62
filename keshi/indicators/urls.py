from django.urls import path

from keshi.indicators import views, views_report

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("new/", views.indicator_new, name="new"),
    path("<int:pk>/edit/", views.indicator_edit, name="edit"),
    path("<int:pk>/retire/", views.indicator_retire, name="retire"),
    path("<int:pk>/year-targets/", views.year_target_set, name="year_target_set"),
    path(
        "<int:pk>/year-targets/<int:year>/remove/",
        views.year_target_remove,
        name="year_target_remove",
    ),
    path("entry/", views.entry, name="entry"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("compare/", views.compare, name="compare"),
    path("report/", views_report.month_report, name="month_report"),
    path("targets/<int:pk>/create/", views.from_target, name="from_target"),
]
