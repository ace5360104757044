from django.test import RequestFactory

from workflows.middleware import client_ip


def test_without_proxies_the_peer_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent a forged "6.6.6.6"; our proxy appended the real peer.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_garbage_is_no_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(request) is None
