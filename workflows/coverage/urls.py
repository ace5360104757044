"""/coverage/: the engine's page and download, then the pages the
processes' sections hang under it (workflows.coverage.registry)."""

from django.urls import path

from . import views
from .registry import section_urlpatterns

app_name = "coverage"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
    *section_urlpatterns(),
]
