from django.urls import path

from keshi.rules import views_manage as views

app_name = "requirements"
urlpatterns = [
    path("", views.requirement_list, name="list"),
    path("new/", views.requirement_new, name="new"),
    path("preview/", views.requirement_preview, name="preview"),
    path("<int:pk>/", views.requirement_detail, name="detail"),
    path("<int:pk>/edit/", views.requirement_edit, name="edit"),
    path("<int:pk>/copy/", views.requirement_copy, name="copy"),
    path("<int:pk>/toggle/", views.requirement_toggle, name="toggle"),
    path("<int:pk>/delete/", views.requirement_delete, name="delete"),
    path("exemptions/", views.exemption_list, name="exemptions"),
    path("exemptions/new/", views.exemption_new, name="exemption_new"),
    path("exemptions/<int:pk>/end/", views.exemption_end, name="exemption_end"),
]
