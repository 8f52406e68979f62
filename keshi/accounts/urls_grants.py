from django.urls import path

from keshi.accounts import views_grants

app_name = "roles"
urlpatterns = [
    path("", views_grants.grant_list, name="list"),
    path("<int:pk>/revoke/", views_grants.grant_revoke, name="revoke"),
]
