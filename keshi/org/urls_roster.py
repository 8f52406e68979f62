from django.urls import path

from keshi.org import views_roster

app_name = "roster"
urlpatterns = [
    path("import/", views_roster.roster_import, name="import"),
    path("import/<str:token>/", views_roster.roster_preview, name="preview"),
    path("export/<slug:code>/", views_roster.roster_export, name="export"),
]
