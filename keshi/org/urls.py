from django.urls import path

from keshi.org import views

app_name = "org"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/export.xlsx", views.people_export, name="people_export"),
    path("people/<int:pk>/", views.person, name="person"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("tree/", views.tree, name="tree"),
]
