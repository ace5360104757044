from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from awards.legacy.urls import engine_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The retired May Day award's engine and API addresses, before the
    # engine's own (which name no process): redirects to the kinds.
    *engine_urlpatterns,
    path("", include("workflows.urls")),
    path("", include("workflows.api.urls")),
    path("awards/model-home/", include("awards.modelhome.urls")),
    path("awards/kinds/", include("awards.kinds.urls")),
    path("awards/", include("awards.urls")),
    path("evaluations/", include("evaluations.cadres.urls")),
    path("reports/", include("evaluations.congress.urls")),
    # One coverage page for every process (the engine's); the processes'
    # sections hang their own pages under it.
    path("coverage/", include("workflows.coverage.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)

# The site's own 400 page (and 413 for a body too large); 403, 404 and 500
# are templates/403.html, 404.html, 500.html through Django's own handlers.
handler400 = "config.error_pages.bad_request"
