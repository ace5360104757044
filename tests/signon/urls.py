"""The project's URLs and the test identity provider's under /provider/."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("provider/", include("tests.signon.provider.urls")),
    *project_urlpatterns,
]
