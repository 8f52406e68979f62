from django.urls import path

from keshi.org import views

app_name = "org"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("groups/", views.groups, name="groups"),
    path("tree/", views.tree, name="tree"),
]
