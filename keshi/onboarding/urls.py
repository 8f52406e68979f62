from django.urls import path

from keshi.onboarding import views

app_name = "onboarding"
urlpatterns = [path("", views.first_run, name="first_run")]
