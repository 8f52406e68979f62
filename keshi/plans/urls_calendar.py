from django.urls import path

from keshi.plans import views_calendar as views

app_name = "itinerary"
urlpatterns = [
    path("", views.index, name="index"),
    path("weeks/", views.weeks, name="weeks"),
    path("print/", views.print_view, name="print"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_edit, name="item"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/evidence/", views.evidence_search, name="evidence_search"),
    path("items/<int:pk>/evidence/add/", views.evidence_add, name="evidence_add"),
    path(
        "items/<int:pk>/evidence/<int:activity_id>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/new/", views.feed_create, name="feed_create"),
    path("subscribe/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
