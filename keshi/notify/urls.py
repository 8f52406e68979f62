from django.urls import path

from keshi.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
]
