from django.urls import path

from keshi.calendar import views, views_lifecycle

app_name = "calendar"
urlpatterns = [
    path("", views.term_calendar, name="term"),
    path("new/", views.create_school_year, name="create_year"),
    path("next/", views_lifecycle.start_next, name="next"),
    path("terms/<int:pk>/close/", views_lifecycle.close_term, name="close"),
    path("terms/<int:pk>/reopen/", views_lifecycle.reopen_term, name="reopen"),
]
