from django.urls import path

from keshi.appraisal import views

app_name = "appraisal"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.entry_new, name="entry_new"),
    path("table/", views.table, name="table"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_new, name="rule_new"),
    path("rules/apply/", views.rules_apply, name="rules_apply"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("archive/", views.my_archive, name="my_archive"),
    path("archive/<int:pk>/", views.archive, name="archive"),
    path("archive/<int:pk>/docx/", views.archive_docx, name="archive_docx"),
    path("archive/<int:pk>/pdf/", views.archive_pdf, name="archive_pdf"),
    path("exports/", views.exports_page, name="exports"),
    path("exports/group/<int:group_id>/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export_status, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
