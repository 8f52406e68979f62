from django.urls import path

from keshi.originality import views

app_name = "originality"
urlpatterns = [
    path("", views.index, name="index"),
    path("flags/<int:pk>/", views.flag_detail, name="flag"),
    path("flags/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("corpus/", views.corpus, name="corpus"),
    path("corpus/<int:pk>/delete/", views.corpus_delete, name="corpus_delete"),
    path("settings/", views.save_settings, name="settings"),
]
