from django.urls import path

from keshi.cover import views, views_timetable

app_name = "cover"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("absences/", views.absences, name="absences"),
    path("absences/new/", views.absence_new, name="absence_new"),
    path("absences/<int:pk>/", views.absence_detail, name="absence"),
    path("absences/<int:pk>/edit/", views.absence_edit, name="absence_edit"),
    path("absences/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
    path("absences/<int:pk>/covers/create/", views.cover_create, name="cover_create"),
    path("absences/<int:pk>/homeroom/create/", views.homeroom_create, name="homeroom_create"),
    path("covers/<int:pk>/decide/", views.cover_decide, name="cover_decide"),
    path("covers/<int:pk>/cancel/", views.cover_cancel, name="cover_cancel"),
    path("timetable/", views_timetable.timetable_view, name="timetable"),
    path("timetable/import/", views_timetable.timetable_import, name="timetable_import"),
    path(
        "timetable/import/<str:token>/",
        views_timetable.timetable_preview,
        name="timetable_import_preview",
    ),
    path("timetable/export/", views_timetable.timetable_export, name="timetable_export"),
    path("counts/", views_timetable.counts, name="counts"),
    path("settings/edit/", views_timetable.settings_edit, name="settings_edit"),
]
