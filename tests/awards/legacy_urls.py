"""The site's addresses as they will be after the switch: the old May Day
addresses served by awards/legacy (tests/awards/test_legacy_urls.py)."""

from django.urls import include, path

from awards.legacy.urls import engine_urlpatterns
from config.urls import urlpatterns as site

urlpatterns = [*engine_urlpatterns, path("awards/", include("awards.legacy.urls")), *site]
