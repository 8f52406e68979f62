from django.urls import path

from keshi.contests import round_views, views

app_name = "contests"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", round_views.edit, name="edit"),
    path("<int:pk>/rounds/new/", round_views.round_new, name="round_new"),
    path("rounds/<int:pk>/", round_views.round_detail, name="round"),
    path("rounds/<int:pk>/scores/", round_views.round_scores, name="round_scores"),
    path("rounds/<int:pk>/close/", round_views.round_close, name="round_close"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/submit-group/", views.submit_group, name="submit_group"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/assign/", views.auto_assign, name="assign"),
    path("<int:pk>/judge/", views.judge, name="judge"),
    path("<int:pk>/ranking/", views.ranking, name="ranking"),
    path("score/<int:pk>/", views.score, name="score"),
    path("score/<int:pk>/document/", views.judge_document, name="judge_document"),
    path("entry/<int:pk>/document/", views.entry_document, name="entry_document"),
    path("entry/<int:pk>/recommend/", views.recommend, name="recommend"),
]
