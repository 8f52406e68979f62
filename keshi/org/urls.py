from django.urls import path

from keshi.org import views, views_mentorships

app_name = "org"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/export.xlsx", views.people_export, name="people_export"),
    path("people/<int:pk>/", views.person, name="person"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("tree/", views.tree, name="tree"),
    path("mentorships/", views_mentorships.pair_list, name="mentorships"),
    path("mentorships/export.xlsx", views_mentorships.pair_export, name="mentorships_export"),
    path("mentorships/new/", views_mentorships.pair_new, name="mentorship_new"),
    path("mentorships/import/", views_mentorships.pair_import, name="mentorship_import"),
    path("mentorships/<int:pk>/edit/", views_mentorships.pair_edit, name="mentorship_edit"),
    path("mentorships/<int:pk>/end/", views_mentorships.pair_end, name="mentorship_end"),
]
