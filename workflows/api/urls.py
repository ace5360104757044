"""/api/v1/ (the API), /api/schema/ (its OpenAPI 3 document) and
/api/docs/ (Swagger UI from our own static files)."""

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from workflows.api import token_views, views

app_name = "api"


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, CSP-clean: its files from drf-spectacular-sidecar (our
    static files), its start-up script a file of its own, no inline style."""

    template_name = "workflows/api/swagger_ui.html"
    url_name = "api:schema"


urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", DocsView.as_view(), name="docs"),
    path("api/v1/me/", views.MeView.as_view(), name="me"),
    path("api/v1/roles/", views.RoleListView.as_view(), name="roles"),
    path("api/v1/organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path("api/v1/organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("api/v1/processes/", views.ProcessListView.as_view(), name="processes"),
    path("api/v1/processes/<slug:key>/", views.ProcessDetailView.as_view(), name="process"),
    path("api/v1/processes/<slug:key>/cases/", views.CaseListView.as_view(), name="cases"),
    path("api/v1/processes/<slug:key>/cases/<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("api/v1/processes/<slug:key>/cases/<int:pk>/decisions/", views.DecisionView.as_view(), name="decide"),
    path("api/v1/tasks/", views.TaskListView.as_view(), name="tasks"),
    path("api/v1/figures/<slug:name>/", views.FiguresView.as_view(), name="figures"),
    path("api/v1/certificates/<str:token>/", views.CertificateCheckView.as_view(), name="certificate"),
    path("api/v1/tokens/", token_views.TokenListView.as_view(), name="tokens"),
    path("api/v1/tokens/<int:pk>/", token_views.TokenDetailView.as_view(), name="token"),
    # Anything else under api/ is a JSON 404, not the site's HTML page.
    re_path(r"^api/", csrf_exempt(lambda request: JsonResponse({"detail": _("Not found.")}, status=404)),
            name="not_found"),
]
