"""Middleware that answers before a request's body is read: the admin's
network restriction, the request-size cap and the rate limits of public
forms (config.ratelimit)."""

import ipaddress

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse

from workflows.middleware import client_ip

from .ratelimit import exceeded


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


class RateLimitMiddleware:
    """Refuses, without reading the body, a request announcing more than
    UNIONFLOW_MAX_REQUEST_BYTES (413), and one past the rate limit of the
    view it is for (429; views label themselves with
    config.ratelimit.rate_limited)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UNIONFLOW_MAX_REQUEST_BYTES:
            return render(request, "request_too_large.html", {"limit": settings.UPLOAD_MAX_BYTES}, status=413)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        rule = getattr(match.func, "unionflow_rate_limit", None)
        if rule is not None and request.method in rule.methods and exceeded(request, rule):
            response = render(request, rule.template, {"kwargs": match.kwargs}, status=429)
            response["Retry-After"] = str(rule.window)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
