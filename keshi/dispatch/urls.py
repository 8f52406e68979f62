from django.urls import path

from keshi.dispatch import views, views_office

app_name = "dispatch"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("request/", views.request_create, name="request_create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/obligations/new/", views.obligation_create, name="obligation_create"),
    path("<int:pk>/notice/", views_office.notice_page, name="notice"),
    path("<int:pk>/notice.docx", views_office.notice_docx, name="notice_docx"),
    path("teachers/<int:pk>/returned/", views.mark_returned, name="mark_returned"),
    path("teachers/<int:pk>/attendance/", views.confirm_attendance, name="confirm_attendance"),
    path("teachers/<int:pk>/record.docx", views_office.record_docx, name="record_docx"),
    path("obligations/<int:pk>/", views.obligation_edit, name="obligation_edit"),
    path("obligations/<int:pk>/file/", views.obligation_file, name="obligation_file"),
    path("obligations/<int:pk>/delete/", views.obligation_delete, name="obligation_delete"),
    path("notice-parts/<int:pk>/acknowledge/", views_office.acknowledge, name="acknowledge"),
    path("verify/", views_office.verify, name="verify"),
    path("reimbursement/", views_office.reimbursement, name="reimbursement"),
    path("reimbursement.xlsx", views_office.reimbursement_xlsx, name="reimbursement_xlsx"),
    path("overdue/", views_office.overdue, name="overdue"),
]
