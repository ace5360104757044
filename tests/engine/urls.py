"""The engine's own URLs only: no process app is mounted."""

from django.urls import include, path

urlpatterns = [
    path("", include("workflows.urls")),
]
