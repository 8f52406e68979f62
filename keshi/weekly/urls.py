from django.urls import path

from keshi.weekly import views

app_name = "weekly"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:term>/<int:week>/", views.week_page, name="week"),
    path("<int:term>/<int:week>/print/", views.print_view, name="print"),
    path("<int:term>/<int:week>/schedule.docx", views.week_docx, name="docx"),
    path("<int:term>/<int:week>/notes/", views.notes, name="notes"),
    path("<int:term>/<int:week>/publish/", views.publish, name="publish"),
]
