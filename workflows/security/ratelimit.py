"""The engine's rate limits on public pages, counted in the shared cache per
client address and enforced by RateLimitMiddleware (below) before anything
reads the request's body (a view decorator alone would run after the CSRF
middleware has parsed it, file parts included). The engine owns the limiter;
config only lists the middleware and the per-window numbers in settings.

A view opts in with `@rate_limited(...)`; the decorator only labels it."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import Resolver404, resolve

from workflows.middleware import client_ip


@dataclass(frozen=True)
class RateLimit:
    name: str  # the cache key's part, one bucket per name
    setting: str  # the settings name holding the number allowed per window
    window: int  # seconds
    methods: tuple
    template: str  # the 429 page

    @property
    def limit(self):
        return int(getattr(settings, self.setting))


def rate_limited(name, *, setting, window, methods=("POST",), template="too_many_requests.html"):
    """Label a view: at most `settings.<setting>` requests with one of
    `methods` per client address per `window` seconds."""
    rule = RateLimit(name, setting, window, tuple(m.upper() for m in methods), template)

    def label(view):
        view.unionflow_rate_limit = rule
        return view

    return label


def exceeded(request, rule):
    """Count this request in a fixed window per client address; True past
    the limit. Behind proxies the address is the one TRUSTED_PROXY_COUNT
    designates (workflows.middleware.client_ip), so citizens do not share
    the proxy's bucket."""
    window = int(time.time() // rule.window)
    key = f"unionflow:rate:{rule.name}:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, rule.window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, rule.window * 2)
        count = 1
    return count > rule.limit


class RateLimitMiddleware:
    """Refuses, without reading the body, a request announcing more than
    UNIONFLOW_MAX_REQUEST_BYTES (413), and one past the rate limit of the
    view it is for (429; views label themselves with
    rate_limited, above)."""

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
