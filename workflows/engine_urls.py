from django.urls import path

from . import engine_views

urlpatterns = [
    path("notifications/", engine_views.notification_list, name="notifications"),
    path("notifications/read/", engine_views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/<int:pk>/", engine_views.notification_open, name="notification_open"),
]
