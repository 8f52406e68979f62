from django.urls import path

from keshi.rules import views

app_name = "rules"
urlpatterns = [
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("compliance/", views.compliance, name="compliance"),
]
