from django.urls import path

from keshi.exams import views, views_import, views_meeting

app_name = "exams"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/classes/", views.classes, name="classes"),
    path("<int:pk>/classes/<int:class_id>/", views.class_teachers, name="class_teachers"),
    path("<int:pk>/classes/<int:class_id>/delete/", views.class_delete, name="class_delete"),
    path("<int:pk>/import/", views_import.upload, name="import"),
    path("import/<str:token>/", views_import.preview, name="import_preview"),
    path("<int:pk>/analysis/", views.analysis, name="analysis"),
    path("<int:pk>/report.docx", views.report, name="report"),
    path("<int:pk>/tables.xlsx", views.tables, name="tables"),
    path("<int:pk>/paper-analyses/", views.paper_analyses, name="paper_analyses"),
    path("<int:pk>/paper-analyses/new/", views.paper_analysis_new, name="paper_analysis_new"),
    path("<int:pk>/meeting/new/", views_meeting.meeting_new, name="meeting_new"),
    path("subjects/<int:pk>/", views.subject_edit, name="subject_edit"),
    path("subjects/<int:pk>/paper/", views.assign, name="assign"),
    path("papers/<int:pk>/", views.paper, name="paper"),
    path("versions/<int:pk>/", views.version, name="version"),
]
