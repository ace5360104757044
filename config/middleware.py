"""The deployment's own middleware: the admin's network restriction. (The
request-size cap and the rate limits of public forms are the engine's:
workflows.security.ratelimit.RateLimitMiddleware.)"""

import ipaddress

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from workflows.middleware import client_ip


class AdminNetworkMiddleware:
    """The admin exists only for addresses in UNIONFLOW_ADMIN_ALLOWED_NETWORKS
    (when set): anyone else gets the site's 404, as if there were none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = [ipaddress.ip_network(n, strict=False) for n in settings.UNIONFLOW_ADMIN_ALLOWED_NETWORKS]
        self.prefix = reverse("admin:index")

    def __call__(self, request):
        if self.networks and request.path_info.startswith(self.prefix) and not self.allowed(request):
            raise Http404
        return self.get_response(request)

    def allowed(self, request):
        address = client_ip(request)
        if address is None:
            return False
        address = ipaddress.ip_address(address)
        return any(address in network for network in self.networks)
