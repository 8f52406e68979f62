from django.urls import path

from keshi.safety import views

app_name = "safety"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/handle/", views.handle, name="handle"),
]
