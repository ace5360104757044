from django.urls import path

from . import engine_views as views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    # Public notices: the public pages need no login.
    path("notices/", views.public_notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.public_notice_detail, name="notice_detail"),
    path("notices/<int:pk>/object/<int:entry_pk>/", views.objection_create, name="objection_create"),
    path("notices/<int:pk>/received/", views.objection_received, name="objection_received"),
    path("notices/<int:pk>/manage/", views.notice_manage, name="notice_manage"),
    path("notices/<int:pk>/close/", views.notice_close_view, name="notice_close"),
    path("notices/objections/<int:pk>/", views.objection_detail, name="notice_objection"),
    path("notices/objections/<int:pk>/seal/", views.objection_seal, name="objection_seal"),
    path("delegations/", views.delegation_list, name="delegations"),
    path("delegations/<int:pk>/end/", views.delegation_end, name="delegation_end"),
    path("conflicts/", views.conflict_list, name="conflicts"),
    path("tasks/<int:pk>/reassign/", views.task_reassign_view, name="task_reassign"),
]
