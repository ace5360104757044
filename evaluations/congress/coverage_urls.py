from django.urls import path

from . import coverage_views

app_name = "coverage"

urlpatterns = [
    path("", coverage_views.dashboard, name="dashboard"),
    path("export.xlsx", coverage_views.export, name="export"),
    path("close/", coverage_views.close_year, name="close_year"),
    path("<slug:code>/", coverage_views.missing, name="missing"),
]
