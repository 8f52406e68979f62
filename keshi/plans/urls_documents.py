from django.urls import path

from keshi.plans import views_documents

app_name = "plan_documents"
urlpatterns = [
    path("", views_documents.index, name="index"),
    path("<int:pk>/plan.docx", views_documents.plan_download, name="plan"),
    path("<int:pk>/summary/", views_documents.summary, name="summary"),
    path("<int:pk>/summary.docx", views_documents.summary_download, name="summary_docx"),
]
