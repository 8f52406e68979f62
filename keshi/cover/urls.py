from django.urls import path

from keshi.cover import views

app_name = "cover"
urlpatterns = [
    path("", views.index, name="index"),
]
