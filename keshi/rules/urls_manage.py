from django.urls import path

from keshi.rules import views_manage

app_name = "requirements"
urlpatterns = [
    path("", views_manage.requirement_list, name="list"),
]
