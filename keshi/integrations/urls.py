from django.urls import path

from keshi.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("test/", views.test_connection, name="test"),
    path("sync/", views.sync_page, name="sync"),
    path("me/", views.preference, name="preference"),
    path("dingtalk/login/", views.platform_login, {"platform": "dingtalk"}, name="dingtalk_login"),
    path("wecom/login/", views.platform_login, {"platform": "wecom"}, name="wecom_login"),
]
