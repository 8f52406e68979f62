from django.urls import path

from keshi.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.term_calendar, name="term"),
    path("new/", views.create_school_year, name="create_year"),
]
