from django.urls import path

from keshi.plans import views_documents, views_personal

app_name = "plan_documents"
urlpatterns = [
    path("", views_documents.index, name="index"),
    path("<int:pk>/plan.docx", views_documents.plan_download, name="plan"),
    path("<int:pk>/summary/", views_documents.summary, name="summary"),
    path("<int:pk>/summary.docx", views_documents.summary_download, name="summary_docx"),
    path("personal/", views_personal.my_personal_summary, name="my_personal_summary"),
    path(
        "personal/<int:pk>/summary.docx",
        views_personal.personal_summary_download,
        name="personal_summary",
    ),
]
