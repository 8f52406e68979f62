from django.urls import path

from keshi.accounts import views_logins

app_name = "logins"
urlpatterns = [
    path("", views_logins.login_list, name="list"),
    path("open/", views_logins.login_open, name="open"),
    path("<int:pk>/reset/", views_logins.login_reset, name="reset"),
    path("<int:pk>/active/", views_logins.login_active, name="active"),
    path("credentials/", views_logins.credentials, name="credentials"),
    path("credentials.xlsx", views_logins.credentials_file, {"kind": "xlsx"}, name="xlsx"),
    path("credentials.docx", views_logins.credentials_file, {"kind": "docx"}, name="docx"),
]
