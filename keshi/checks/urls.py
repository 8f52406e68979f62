from django.urls import path

from keshi.checks import (
    views,
    views_bulletins,
    views_draw_work,
    views_draws,
    views_inspections,
    views_rectifications,
)

app_name = "checks"
urlpatterns = [
    path("", views.index, name="index"),
    path("rubrics/", views.rubric_list, name="rubrics"),
    path("rubrics/new/", views.rubric_edit, name="rubric_new"),
    path("rubrics/<int:pk>/", views.rubric_detail, name="rubric"),
    path("rubrics/<int:pk>/edit/", views.rubric_edit, name="rubric_edit"),
    path("rubrics/<int:pk>/copy/", views.rubric_copy, name="rubric_copy"),
    path("inspections/new/", views_inspections.inspection_edit, name="inspection_new"),
    path("inspections/<int:pk>/", views_inspections.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/edit/", views_inspections.inspection_edit, name="inspection_edit"),
    path(
        "inspections/<int:pk>/score/", views_inspections.inspection_score, name="inspection_score"
    ),
    path(
        "inspections/<int:pk>/export/",
        views_inspections.inspection_export,
        name="inspection_export",
    ),
    path(
        "inspections/<int:pk>/rectifications/",
        views_inspections.rectification_add,
        name="rectification_add",
    ),
    path(
        "inspections/<int:pk>/rectifications/<int:item>/close/",
        views_inspections.rectification_close,
        name="rectification_close",
    ),
    path("rectifications/", views_rectifications.rectification_list, name="rectifications"),
    path("rectifications/mine/", views_rectifications.my_rectifications, name="my_rectifications"),
    path(
        "rectifications/<int:pk>/close/",
        views_rectifications.my_rectification_close,
        name="my_rectification_close",
    ),
    path(
        "rectifications/<int:pk>/evidence/",
        views_rectifications.rectification_evidence,
        name="rectification_evidence",
    ),
    path(
        "inspections/<int:pk>/<str:action>/",
        views_inspections.inspection_transition,
        name="inspection_transition",
    ),
    path("draws/", views_draws.draw_list, name="draws"),
    path("draws/new/", views_draws.draw_create, name="draw_new"),
    path("draws/pair/", views_draws.draw_pair, name="draw_pair"),
    path("draws/<int:pk>/", views_draws.draw_detail, name="draw"),
    path("draws/<int:pk>/reveal/", views_draws.draw_reveal, name="draw_reveal"),
    path("draws/<int:pk>/redraw/", views_draws.draw_redraw, name="draw_redraw"),
    path("draws/<int:pk>/observe/", views_draw_work.draw_observe, name="draw_observe"),
    path("draws/<int:pk>/inspect/", views_draw_work.draw_inspect, name="draw_inspect"),
    path("draws/<int:pk>/open-class/", views_draw_work.draw_open_class, name="draw_open_class"),
    path("bulletins/", views_bulletins.bulletin_list, name="bulletins"),
    path("bulletins/new/", views_bulletins.bulletin_create, name="bulletin_new"),
    path("bulletins/<int:pk>/", views_bulletins.bulletin_detail, name="bulletin"),
    path(
        "bulletins/<int:pk>/items/<int:item>/", views_bulletins.bulletin_item, name="bulletin_item"
    ),
    path("bulletins/<int:pk>/publish/", views_bulletins.bulletin_publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/export/", views_bulletins.bulletin_export, name="bulletin_export"),
]
