from django.urls import path

from keshi.records import views, views_assignments, views_feedback, views_manage

app_name = "records"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("bulk/", views.activity_bulk, name="bulk"),
    path("export/", views.activity_export, name="export"),
    path("directory/", views.directory, name="directory"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("<int:pk>/review/", views_manage.review, name="review_one"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("review/", views_manage.review_queue, name="review"),
    path("kinds/", views_manage.kind_list, name="kinds"),
    path("kinds/new/", views_manage.kind_edit, name="kind_create"),
    path("kinds/<int:pk>/", views_manage.kind_edit, name="kind_edit"),
    path("import/", views_manage.import_upload, name="import"),
    path("import/<str:token>/", views_manage.import_preview, name="import_preview"),
    path("feedback/", views_feedback.received, name="feedback"),
    path("feedback/coverage/", views_feedback.coverage, name="feedback_coverage"),
    path(
        "feedback/coverage/export/",
        views_feedback.coverage_export,
        name="feedback_coverage_export",
    ),
    path("feedback/instrument/", views_feedback.instrument, name="feedback_instrument"),
    path("feedback/<int:pk>/", views_feedback.detail, name="feedback_detail"),
    path("feedback/<int:pk>/acknowledge/", views_feedback.acknowledge, name="feedback_acknowledge"),
    path("feedback/<int:pk>/reply/", views_feedback.reply, name="feedback_reply"),
    path("assignments/", views_assignments.my_assignments, name="assignments"),
    path("assignments/<int:pk>/", views_assignments.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/done/", views_assignments.assignment_done, name="assignment_done"),
]
