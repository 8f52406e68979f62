from django.urls import path

from keshi.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.index, name="index"),
]
