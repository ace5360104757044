"""The May Day award's old addresses, served as redirects to the campaign
kinds it became (awards/legacy/urls.py)."""

from awards.legacy import urls as legacy

app_name = legacy.app_name
urlpatterns = legacy.urlpatterns
