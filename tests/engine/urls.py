"""The project's URLs without any process app: what the engine and the
base template need (the language switch, the JavaScript catalogue)."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from tests.engine.toy import views as toy_views
from workflows.cases.list_views import case_list
from workflows.coverage.moved import moved_to_the_coverage_page
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("workflows.urls")),
    # The toy's case list, served by the engine from its registered CaseList.
    path("toy/", case_list, {"process_key": "toy"}, name="toy_list"),
    # A register of rows that are no process's cases, on the same page.
    path("toy/<int:pk>/", toy_views.case_page, name="toy_case"),
    # A new toy case on the engine's case form page.
    path("toy/new/", toy_views.case_new, name="toy_new"),
    path("toy/units/", case_list, {"process_key": "toy.units"}, name="toy_units"),
    # The JSON API is the engine's: it works without any process app.
    path("", include("workflows.api.urls")),
    # The one coverage page: the engine's, whatever process registers on it.
    path("coverage/", include("workflows.coverage.urls")),
    # The toy campaign's places and mix rules, on the engine's page.
    path("toy/campaigns/<slug:code>/rules/", toy_views.campaign_rules, name="toy_campaign_rules"),
    # The toy's inspectors' pages, on the engine's scoring pages.
    path("toy/<int:pk>/inspectors/<int:version_pk>/", toy_views.case_assign, name="toy_assign"),
    path("toy/<int:pk>/score/", toy_views.case_score, name="toy_score"),
    path("toy/<int:pk>/remedies/", toy_views.case_remedies, name="toy_remedies"),
    path("toy/<int:pk>/signoff/", toy_views.case_signoff, name="toy_signoff"),
    path("toy/<int:pk>/departments/", toy_views.case_departments, name="toy_departments"),
    # A process's old coverage address, sent on to the one page.
    path("toy/coverage/", moved_to_the_coverage_page, name="toy_coverage"),
]
