from django.urls import path

from keshi.records import views

app_name = "records"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
]
