from django.urls import path

from keshi.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.term_calendar, name="term"),
]
