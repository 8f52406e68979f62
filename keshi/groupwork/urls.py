from django.urls import path

from keshi.groupwork import views, views_meetings, views_open, views_sessions, views_training

app_name = "groupwork"
urlpatterns = [
    path("", views.index, name="index"),
    path("signin/<str:token>/", views.sign_in, name="signin"),
    path("schedules/new/", views_sessions.schedule_create, name="schedule_create"),
    path("schedules/<int:pk>/", views_sessions.schedule_detail, name="schedule"),
    path("sessions/", views_sessions.session_list, name="sessions"),
    path("sessions/new/", views_sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", views_sessions.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views_sessions.session_edit, name="session_edit"),
    path(
        "sessions/<int:pk>/attendance/",
        views_sessions.session_attendance,
        name="session_attendance",
    ),
    path("sessions/<int:pk>/close/", views_sessions.session_close, name="session_close"),
    path("sessions/<int:pk>/files/", views_sessions.session_files, name="session_files"),
    path("files/<int:pk>/", views_sessions.session_file, name="session_file"),
    path("attendance/", views_sessions.attendance_stats, name="stats"),
    path("meetings/", views_meetings.meeting_list, name="meetings"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/members/", views_meetings.meeting_members, name="meeting_members"),
    path("training/", views_training.training_list, name="training_list"),
    path("training/new/", views_training.training_form, name="training_create"),
    path("training/<int:pk>/", views_training.training_detail, name="training"),
    path("training/<int:pk>/edit/", views_training.training_form, name="training_edit"),
    path(
        "training/<int:pk>/attendance/",
        views_training.training_attendance,
        name="training_attendance",
    ),
    path(
        "training/<int:pk>/materials/", views_training.training_material, name="training_material"
    ),
    path("materials/<int:pk>/", views_training.material_file, name="material_file"),
    path("training/<int:pk>/grant/", views_training.training_grant, name="training_grant"),
    path("open-classes/", views_open.open_class_list, name="open_classes"),
    path("open-classes/new/", views_open.open_class_form, name="open_class_create"),
    path("open-classes/<int:pk>/", views_open.open_class_detail, name="open_class"),
    path("open-classes/<int:pk>/edit/", views_open.open_class_form, name="open_class_edit"),
    path(
        "open-classes/<int:pk>/attendance/",
        views_open.open_class_attendance,
        name="open_class_attendance",
    ),
    path("open-classes/<int:pk>/close/", views_open.open_class_close, name="open_class_close"),
]
