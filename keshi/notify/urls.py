from django.urls import path

from keshi.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("channels/", views.channels, name="channels"),
    path("channels/new/", views.channel_edit, name="channel_add"),
    path("channels/<int:pk>/", views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/test/", views.channel_test, name="channel_test"),
    path("channels/<int:pk>/delete/", views.channel_delete, name="channel_delete"),
    path("remind/", views.remind, name="remind"),
    path("remind/requirements/<int:pk>/", views.remind, name="remind_requirement"),
    path("remind/send/", views.remind_send, name="remind_send"),
]
