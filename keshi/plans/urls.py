from django.urls import path

from keshi.plans import views, views_import, views_publish

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="new"),
    path("import/", views_import.import_upload, name="import"),
    path("import/<str:token>/", views_import.import_preview, name="import_preview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/publish/", views_publish.publish, name="publish"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/sections/new/", views.section_edit, name="section_new"),
    path("<int:pk>/sections/<int:section_id>/", views.section_edit, name="section_edit"),
    path("<int:pk>/sections/<int:section_id>/delete/", views.section_delete, name="section_delete"),
    path("<int:pk>/sections/<int:section_id>/move/", views.section_move, name="section_move"),
    path("<int:pk>/duties/new/", views.duty_edit, name="duty_new"),
    path("<int:pk>/duties/<int:duty_id>/", views.duty_edit, name="duty_edit"),
    path("<int:pk>/duties/<int:duty_id>/delete/", views.duty_delete, name="duty_delete"),
    path("<int:pk>/suggestions/", views_import.suggestions, name="suggestions"),
    path(
        "<int:pk>/suggestions/accept-all/",
        views_import.suggestion_accept_all,
        name="suggestions_accept_all",
    ),
    path(
        "<int:pk>/suggestions/<int:suggestion_id>/accept/",
        views_import.suggestion_accept,
        name="suggestion_accept",
    ),
    path(
        "<int:pk>/suggestions/<int:suggestion_id>/dismiss/",
        views_import.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
]
