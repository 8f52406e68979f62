from django.urls import path

from keshi.research import views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("district/", views.district, name="district"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("documents/<int:pk>/", views.document, name="document"),
]
