from django.urls import path

from keshi.rules import views

app_name = "rules"
urlpatterns = [
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/groups/<int:pk>/", views.group_standing, name="group_standing"),
    path("compliance/cell/", views.compliance_cell, name="compliance_cell"),
    path("compliance/trend.json", views.compliance_trend, name="compliance_trend"),
    path("compliance/export.xlsx", views.compliance_export, name="compliance_export"),
]
